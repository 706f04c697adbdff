/**
 * The weekly digest's job: the email of a week (gathered by the store, judged and
 * composed by the domain), queued once per week (digest_log, in the same transaction as
 * the outbox row), on the schedule the server keeps by itself (DIGEST_SCHEDULE in DIGEST_TZ).
 */

import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { digestLog, outbox } from "../../../db/schema";
import { dueDigestWeek } from "../../domain/calendar";
import type { Concept } from "../../domain/concept";
import { type ComposedDigest, composeDigest, digestData } from "../../domain/digest";
import type { EmailEnvelope } from "../../domain/email";
import { gatherDigest } from "../store/digest";

export type QueueResult = { status: "queued"; outboxId: number } | { status: "already"; outboxId: number };

/** Queues the digest of `week` unless it was queued before (or `force`); safe to race. */
export function queueDigest(
  db: Database,
  email: EmailEnvelope & ComposedDigest & { week: string },
  { force = false, now }: { force?: boolean; now: Date },
): QueueResult {
  return db.transaction((tx) => {
    const logged = tx.select().from(digestLog).where(eq(digestLog.week, email.week)).get();
    if (logged && !force) return { status: "already", outboxId: logged.outboxId };
    const key = force ? `digest/${email.week}/${now.getTime()}` : `digest/${email.week}`;
    const row = tx
      .insert(outbox)
      .values({
        kind: "digest",
        idempotencyKey: key,
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: {},
        nextAttemptAt: now,
        createdAt: now,
      })
      .returning({ id: outbox.id })
      .get();
    tx.insert(digestLog)
      .values({ week: email.week, outboxId: row.id, createdAt: now })
      .onConflictDoUpdate({ target: digestLog.week, set: { outboxId: row.id, createdAt: now } })
      .run();
    return { status: "queued", outboxId: row.id };
  });
}

export interface DigestSettings {
  from: string;
  to: string[];
  timeZone: string;
}

/** The digest email of a week, ready to queue. */
export function digestEmail(db: Database, concepts: readonly Concept[], week: string, settings: DigestSettings) {
  const composed = composeDigest(digestData(concepts, gatherDigest(db, concepts, week, settings.timeZone)));
  return { week, from: settings.from, to: settings.to, ...composed };
}

/**
 * Queues the digest when its weekly slot has passed and it was not queued yet: called by
 * the server every minute. Restarts and other processes are safe: digest_log decides.
 */
export function queueScheduledDigest(
  db: Database,
  concepts: readonly Concept[],
  settings: DigestSettings & { schedule: string },
  now: Date,
): QueueResult | undefined {
  const week = dueDigestWeek(settings.schedule, settings.timeZone, now);
  if (!week) return undefined;
  if (db.select().from(digestLog).where(eq(digestLog.week, week)).get()) return undefined;
  return queueDigest(db, digestEmail(db, concepts, week, settings), { now });
}
