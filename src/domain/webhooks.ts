/**
 * Webhooks as the Standard Webhooks specification has them (https://www.standardwebhooks.com,
 * used by Svix, Resend, OpenAI): the events racine sends, the endpoints that want them,
 * the signature (`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with
 * the base64 key after `whsec_`), the JSON body of each event, the outbox rows of one event
 * (one per endpoint, each with a `webhook-id` that stays the same on every retry) and the
 * delivery log of /admin. Pure: the store queues the rows, the sender signs and posts them.
 */
import { createHash, createHmac } from "node:crypto";
import { conversionRate } from "./analytics";
import { type ReachedVerdict, verdictKey } from "./reached-verdict";

export const WEBHOOK_EVENTS = ["signup.created", "signup.confirmed", "signup.unsubscribed", "verdict.reached"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export type SignupEventType = Exclude<WebhookEventType, "verdict.reached">;

export interface WebhookEndpoint {
  url: string;
  /** `whsec_` and the base64 of 24–64 random bytes, as the specification suggests. */
  secret: string;
  /** The events it receives (all of them unless WEBHOOK_URLS names some). */
  events: readonly WebhookEventType[];
}

export const SECRET_PREFIX = "whsec_";

/** The key of a `whsec_…` secret, or undefined when it is not one (not base64, or not 24–64 bytes). */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, "base64");
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

/** The `webhook-signature` of a delivery: `v1,` and the base64 HMAC-SHA256 of "id.timestamp.body". */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = secretKey(secret);
  if (!key) throw new Error("not a whsec_ secret (checked when WEBHOOK_URLS is read)");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/** The headers of one attempt; the timestamp is the attempt's, so a retry is not refused as stale. */
export function webhookHeaders(endpoint: WebhookEndpoint, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(endpoint.secret, id, timestamp, body),
  };
}

/**
 * A signup as its events carry it. The address is in it: the events go to the founder's
 * own tools (a CRM, a mailing list), signed, over HTTPS, and are useless to them without it.
 */
export interface SignupEventData {
  concept: string;
  variant: string;
  signupId: number;
  email: string;
  name: string | null;
  lang: string;
}

export type WebhookEvent =
  | { type: SignupEventType; at: Date; data: SignupEventData }
  | { type: "verdict.reached"; at: Date; data: ReachedVerdict };

/** A signup's event, from its row as ingested or as stored. */
export function signupEvent(
  type: SignupEventType,
  signup: { concept: string; variant: string; email: string; name?: string | null | undefined; lang: string },
  signupId: number,
  at: Date,
): WebhookEvent {
  const { concept, variant, email, lang } = signup;
  return { type, at, data: { concept, variant, signupId, email, name: signup.name ?? null, lang } };
}

/** The body of an event: `{ type, timestamp, data }`, the same bytes to every endpoint and on every retry. */
export function webhookBody(event: WebhookEvent): string {
  const data =
    event.type === "verdict.reached"
      ? { ...event.data, figures: { ...event.data.figures, conversion: conversionRate(event.data.figures) } }
      : event.data;
  return JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data });
}

/** What makes an event happen once: its signup, or its verdict. */
function eventSubject(event: WebhookEvent): string {
  return event.type === "verdict.reached" ? verdictKey(event.data) : String(event.data.signupId);
}

/** Stands for an endpoint in ids: short, stable while its URL is, and it does not show the URL's tokens. */
function endpointTag(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 12);
}

/** The outbox row of one delivery: the endpoint's URL as recipient, the event and its body. */
export interface QueuedWebhook {
  kind: "webhook";
  /** Also the `webhook-id`: one per (event, endpoint), the same on every retry. */
  idempotencyKey: string;
  /** A webhook has no sender; the not-null column says who sends it. */
  from: "racine";
  to: [string];
  event: WebhookEventType;
  payload: string;
}

/** The endpoints that want events of `type`. */
export function subscribers(endpoints: readonly WebhookEndpoint[], type: WebhookEventType): WebhookEndpoint[] {
  return endpoints.filter((endpoint) => endpoint.events.includes(type));
}

/** One row per endpoint that wants the event; none when no endpoint does. */
export function webhookDeliveries(endpoints: readonly WebhookEndpoint[], event: WebhookEvent): QueuedWebhook[] {
  const wanting = subscribers(endpoints, event.type);
  if (wanting.length === 0) return [];
  const payload = webhookBody(event);
  const subject = eventSubject(event);
  return wanting.map((endpoint) => ({
    kind: "webhook",
    idempotencyKey: `${event.type}/${subject}/${endpointTag(endpoint.url)}`,
    from: "racine",
    to: [endpoint.url],
    event: event.type,
    payload,
  }));
}

/** A delivery as the store reads it back for /admin. */
export interface WebhookDeliveryRow {
  event: string;
  url: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
}

export interface WebhookLog {
  /** "2 webhook deliveries failed", when some did. */
  failures: string | undefined;
  deliveries: {
    event: string;
    /** The host only: a hook URL often carries a token in its path. */
    host: string;
    status: "delivered" | "retrying" | "failed";
    attempts: number;
    queuedAt: string;
    /** The last error, or the next attempt of a delivery that is retrying. */
    detail: string;
    failed: boolean;
  }[];
}

const minute = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The recent deliveries (newest first) as /admin lists them; undefined when there are none. */
export function composeWebhookLog(rows: readonly WebhookDeliveryRow[]): WebhookLog | undefined {
  if (rows.length === 0) return undefined;
  const failed = rows.filter((row) => row.status === "failed").length;
  return {
    failures:
      failed === 0 ? undefined : failed === 1 ? "A webhook delivery failed" : `${failed} webhook deliveries failed`,
    deliveries: rows.map((row) => {
      const status = row.status === "sent" ? "delivered" : row.status === "failed" ? "failed" : "retrying";
      const retry = row.attempts > 0 ? `${row.lastError ?? "failed"}; next attempt ${minute(row.nextAttemptAt)}` : "";
      return {
        event: row.event,
        host: hostOf(row.url),
        status,
        attempts: row.attempts,
        queuedAt: minute(row.createdAt),
        detail: status === "retrying" ? retry || "queued" : status === "failed" ? (row.lastError ?? "") : "",
        failed: status === "failed",
      };
    }),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
