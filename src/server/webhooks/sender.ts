/**
 * The outbox's sender for webhook rows: signs the stored body for this attempt (a fresh
 * `webhook-timestamp`, the same `webhook-id`) and POSTs it to the endpoint. A 2xx is
 * delivered; 408, 429, 5xx, a time-out or a network error are retried by the outbox; any
 * other answer (a 4xx, a redirect, which is not followed) is a refusal that will not change.
 * Errors name the status or the network's code only: never the URL (it may hold a token)
 * nor what the receiver answered (it may echo the address).
 */
import { isRetryableStatus, retryAfterMs } from "../../domain/delivery";
import { type WebhookEndpoint, webhookHeaders } from "../../domain/webhooks";
import type { OutboxSender } from "../jobs/outbox";

export interface WebhookSenderOptions {
  endpoints: readonly WebhookEndpoint[];
  now: () => Date;
  timeoutMs: number;
}

export function createWebhookSender({ endpoints, now, timeoutMs }: WebhookSenderOptions): OutboxSender {
  const byUrl = new Map(endpoints.map((endpoint) => [endpoint.url, endpoint]));
  return {
    async send(row) {
      const endpoint = byUrl.get(row.to[0] ?? "");
      // The secret lives in the environment only: without the endpoint there, nothing can sign.
      if (!endpoint || row.payload === null)
        return { ok: false, retryable: false, error: "its endpoint is no longer in WEBHOOK_URLS" };
      try {
        const response = await fetch(endpoint.url, {
          method: "POST",
          headers: { ...webhookHeaders(endpoint, row.idempotencyKey, now(), row.payload), "user-agent": "racine" },
          body: row.payload,
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return { ok: true, providerId: `HTTP ${response.status}` };
        return {
          ok: false,
          retryable: isRetryableStatus(response.status),
          error: `HTTP ${response.status}${response.status < 400 ? " (redirects are not followed)" : ""}`,
          retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
        };
      } catch (error) {
        return { ok: false, retryable: true, error: networkError(error, timeoutMs) };
      }
    },
  };
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return `no answer in ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return `network: ${typeof cause?.code === "string" ? cause.code : "unreachable"}`;
}
