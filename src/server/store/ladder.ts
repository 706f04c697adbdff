/**
 * The writes of the intent ladder's visitor side: a fake-door tier click, and the thank-you
 * step's rungs on a signup (the answer, changed once at most; the interview opt-in; the
 * reservation). Each is one statement or one transaction: nothing is ever half-stored.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { signups, tierClicks } from "../../../db/schema";
import type { TierClick } from "../../domain/ladder";
import {
  ANSWER_CHANGES_ALLOWED,
  type Answer,
  type AnswerOutcome,
  answerOutcome,
  type StepsState,
} from "../../domain/ladder-steps";

/**
 * Stores a visitor-day's first click on a tier; a second click on the same tier changes
 * nothing. Whether it counts (its view recorded, before or after it) the database keeps in
 * `counted` (db/schema.ts).
 */
export function recordTierClick(db: Database, row: TierClick): boolean {
  return db.insert(tierClicks).values(row).onConflictDoNothing().run().changes === 1;
}

/** Where a signup stands on the thank-you step, or undefined when there is no such signup (erased). */
export function findSignupSteps(db: Database, signupId: number): StepsState | undefined {
  const row = db
    .select({
      answer: signups.answer,
      changes: signups.answerChanges,
      interviewAt: signups.interviewAt,
      reservedAt: signups.reservedAt,
    })
    .from(signups)
    .where(eq(signups.id, signupId))
    .get();
  return (
    row && {
      answer: row.answer,
      answerLocked: row.answer !== null && row.changes >= ANSWER_CHANGES_ALLOWED,
      interview: row.interviewAt !== null,
      reserved: row.reservedAt !== null,
    }
  );
}

/**
 * Applies an answer by the rule of answerOutcome, read and written in one transaction so
 * that two answers sent at once cannot both count as the one change. Undefined when the
 * signup is gone.
 */
export function answerSignup(db: Database, signupId: number, answer: Answer, at: Date): AnswerOutcome | undefined {
  return db.transaction((tx) => {
    const row = tx
      .select({ answer: signups.answer, changes: signups.answerChanges })
      .from(signups)
      .where(eq(signups.id, signupId))
      .get();
    if (!row) return undefined;
    const outcome = answerOutcome(row, answer);
    if (outcome === "saved" || outcome === "changed") {
      tx.update(signups)
        .set({ answer, answeredAt: at, answerChanges: outcome === "changed" ? row.changes + 1 : row.changes })
        .where(eq(signups.id, signupId))
        .run();
    }
    return outcome;
  });
}

/** The interview opt-in, with the preferred time as typed; the first opt-in is the one kept. */
export function recordInterview(db: Database, signupId: number, when: string | undefined, at: Date): void {
  db.update(signups)
    .set({ interviewAt: at, interviewWhen: when ?? null })
    .where(and(eq(signups.id, signupId), isNull(signups.interviewAt)))
    .run();
}

/** "Reserve mine": the first click is the one kept; nothing is charged, nothing else changes. */
export function recordReservation(db: Database, signupId: number, at: Date): void {
  db.update(signups)
    .set({ reservedAt: at })
    .where(and(eq(signups.id, signupId), isNull(signups.reservedAt)))
    .run();
}
