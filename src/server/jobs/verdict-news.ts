/**
 * What happens when a verdict is first reached: the `verdict.reached` webhooks and the
 * founder's email (NOTIFY_TO), both queued in the outbox — inside the caller's transaction
 * when it passes one, so that the news exists exactly when the decision it tells of does.
 * Each is queued once per decision, however often it is called.
 */
import { outbox } from "../../../db/schema";
import type { Concept } from "../../domain/concept";
import { type ReachedVerdict, verdictKey } from "../../domain/reached-verdict";
import { composeVerdictNotification } from "../../domain/verdict-notification";
import type { WebhookEndpoint } from "../../domain/webhooks";
import { queueWebhooks, type Writer } from "../store/webhooks";

/** Queues `verdict.reached` for every endpoint that wants it; answers how many deliveries it added. */
export function queueVerdictReached(
  db: Writer,
  webhooks: readonly WebhookEndpoint[],
  decision: ReachedVerdict,
  now: Date,
): number {
  return queueWebhooks(db, webhooks, { type: "verdict.reached", at: now, data: decision });
}

/** Who gets the founder's email about a verdict, and what it links to. */
export interface VerdictNotify {
  from: string;
  to: string[];
  concepts: readonly Concept[];
  /** The absolute URL of a concept's report on /admin. */
  reportUrl: (slug: string) => string;
}

/**
 * Queues the founder's email about a verdict; answers whether it queued one (not without
 * NOTIFY_TO, for a concept the build does not know, or a second time for one decision).
 */
export function queueVerdictNotification(
  db: Writer,
  notify: VerdictNotify | undefined,
  decision: ReachedVerdict,
  now: Date,
): boolean {
  const concept = notify?.concepts.find((candidate) => candidate.slug === decision.concept);
  if (!notify || !concept) return false;
  const email = composeVerdictNotification({ concept, decision, reportUrl: notify.reportUrl(concept.slug) });
  const inserted = db
    .insert(outbox)
    .values({
      kind: "notification",
      idempotencyKey: `notification/${verdictKey(decision)}`,
      from: notify.from,
      to: notify.to,
      ...email,
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .run();
  return inserted.changes > 0;
}
