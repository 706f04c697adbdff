/**
 * Webhook deliveries in the outbox: queuing an event's rows (inside the caller's
 * transaction, so the event exists exactly when what caused it does) and reading the
 * recent ones back for the delivery log of /admin.
 */
import { desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox } from "../../../db/schema";
import {
  type WebhookDeliveryRow,
  type WebhookEndpoint,
  type WebhookEvent,
  webhookDeliveries,
} from "../../domain/webhooks";

/** The database or a transaction of it: what can insert. */
export type Writer = Pick<Database, "insert">;

/**
 * Queues one delivery of `event` per endpoint that wants it (none is a no-op); a second
 * call for the same event and endpoint adds nothing. Answers how many rows it added.
 */
export function queueWebhooks(
  db: Writer,
  endpoints: readonly WebhookEndpoint[],
  event: WebhookEvent,
  signupId: number | null = null,
): number {
  const rows = webhookDeliveries(endpoints, event);
  if (rows.length === 0) return 0;
  return db
    .insert(outbox)
    .values(rows.map((row) => ({ ...row, signupId, nextAttemptAt: event.at, createdAt: event.at })))
    .onConflictDoNothing()
    .run().changes;
}

/** The latest webhook deliveries, newest first. */
export function recentWebhookDeliveries(db: Database, limit = 10): WebhookDeliveryRow[] {
  return db
    .select({
      event: outbox.event,
      to: outbox.to,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(outbox)
    .where(eq(outbox.kind, "webhook"))
    .orderBy(desc(outbox.id))
    .limit(limit)
    .all()
    .map(({ to, event, ...row }) => ({ ...row, event: event ?? "", url: to[0] ?? "" }));
}
