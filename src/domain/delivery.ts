/**
 * What one attempt at a delivery answers, whatever the channel (an email through the
 * mailer, a webhook to its endpoint), and which HTTP answers are worth retrying: the
 * outbox reads only this to decide between sent, retry later and failed for good.
 */

export type SendResult =
  | { ok: true; providerId: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number | undefined };

/**
 * 408 (the receiver timed out), 429 (slow down) and 5xx may pass later; any other 4xx is
 * the request's fault and will fail the same way again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A Retry-After header in seconds, in milliseconds; undefined when absent or not a positive number. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
