/**
 * Pre-registration in the database: each concept's test start (recorded at server start)
 * and the decision log (written by the server's timer on whole days, read by the pages
 * and the digest, which never write).
 */
import { asc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { conceptTests, decisions, experimentEpochs } from "../../../db/schema";
import { addDays, utcDay } from "../../domain/calendar";
import { type Concept, isPublished } from "../../domain/concept";
import { type Decision, daysBetween, newDecisions } from "../../domain/decision";
import { dailyByVariant } from "./counts";
import { getExperimentEpochs } from "./experiments";
import type { Writer } from "./webhooks";

/** The first UTC day with a view or a signup of `concept`, if any. */
function firstDataDay(db: Database, concept: string): string | undefined {
  const row = db.$client
    .prepare(
      `select min(day) as day from (
         select min(day) as day from views where concept = ?
         union all
         select strftime('%Y-%m-%d', min(created_at) / 1000, 'unixepoch') from signups where concept = ?)`,
    )
    .get(concept, concept) as { day: string | null };
  return row.day ?? undefined;
}

/**
 * Records the test start of every published concept that has none: the first day with
 * data for it (a database from before test starts were recorded), else the day its split
 * was first recorded after the beginning, else today if it is live now. A concept that
 * was never live and has no data has not started.
 */
export function recordTestStarts(db: Database, concepts: readonly Concept[], now: Date): void {
  db.transaction((tx) => {
    for (const concept of concepts) {
      if (!isPublished(concept)) continue;
      if (tx.select().from(conceptTests).where(eq(conceptTests.concept, concept.slug)).get()) continue;
      const firstEpoch = tx
        .select({ startedAt: experimentEpochs.startedAt })
        .from(experimentEpochs)
        .where(eq(experimentEpochs.concept, concept.slug))
        .orderBy(asc(experimentEpochs.startedAt))
        .limit(1)
        .get();
      const candidates = [
        firstDataDay(db, concept.slug),
        firstEpoch && firstEpoch.startedAt.getTime() > 0 ? utcDay(firstEpoch.startedAt) : undefined,
        concept.status === "live" ? utcDay(now) : undefined,
      ].filter((day) => day !== undefined);
      const [startedOn] = candidates.sort();
      if (startedOn) tx.insert(conceptTests).values({ concept: concept.slug, startedOn, recordedAt: now }).run();
    }
  });
}

/** Each started concept's test start and the last day the decision log has looked at. */
export function getTestStarts(db: Database): Map<string, { startedOn: string; lookedThrough: string | null }> {
  return new Map(
    db
      .select()
      .from(conceptTests)
      .all()
      .map((row) => [row.concept, { startedOn: row.startedOn, lookedThrough: row.lookedThrough }]),
  );
}

export function getTestStart(db: Database, concept: string): string | undefined {
  return db.select().from(conceptTests).where(eq(conceptTests.concept, concept)).get()?.startedOn;
}

/** The logged decisions of one concept, oldest first. */
export function getDecisions(db: Database, concept: string): Decision[] {
  return db
    .select()
    .from(decisions)
    .where(eq(decisions.concept, concept))
    .orderBy(asc(decisions.reachedOn), asc(decisions.id))
    .all()
    .map(({ id: _id, concept: _concept, decidedAt: _decidedAt, ...decision }) => decision);
}

/** Every concept's logged decisions, by concept. */
export function getDecisionsByConcept(db: Database): Map<string, Decision[]> {
  const byConcept = new Map<string, Decision[]>();
  for (const row of db.select().from(decisions).orderBy(asc(decisions.reachedOn), asc(decisions.id)).all()) {
    const { id: _id, concept, decidedAt: _decidedAt, ...decision } = row;
    byConcept.set(concept, [...(byConcept.get(concept) ?? []), decision]);
  }
  return byConcept;
}

/**
 * Looks at every whole day up to `lastDay` that the log has not looked at yet, for each
 * started concept, and logs the first decisions reached (at most one per idea and per
 * comparison window: a unique index keeps a second one out). Called by the server's
 * timer after the rollups; a day once looked at is not looked at again.
 */
export function recordDecisions(
  db: Database,
  concepts: readonly Concept[],
  lastDay: string,
  now: Date,
  /** Called in the transaction that logs each new decision (its news is queued with it, or not at all). */
  onDecision: (tx: Writer, concept: Concept, decision: Decision) => void = () => {},
): number {
  const starts = getTestStarts(db);
  let logged = 0;
  for (const concept of concepts) {
    const start = starts.get(concept.slug);
    if (!isPublished(concept) || !start) continue;
    const from = start.lookedThrough ? addDays(start.lookedThrough, 1) : start.startedOn;
    const days = daysBetween(from, lastDay);
    if (days.length === 0) continue;
    // The rung the criteria judge, counted on the day of its signup (or tier click), from the raw rows.
    const rung = concept.successCriteria.rung;
    const found = newDecisions({
      concept,
      epochs: getExperimentEpochs(db, concept.slug),
      daily: dailyByVariant(db, concept.slug, { from: start.startedOn, to: lastDay }, undefined, rung),
      splitDaily: dailyByVariant(db, concept.slug, { from: start.startedOn, to: lastDay }, "split", rung),
      testStart: start.startedOn,
      days,
      logged: getDecisions(db, concept.slug),
    });
    db.transaction((tx) => {
      for (const decision of found) {
        const inserted = tx
          .insert(decisions)
          .values({ concept: concept.slug, ...decision, decidedAt: now })
          .onConflictDoNothing()
          .run();
        if (inserted.changes > 0) onDecision(tx, concept, decision);
      }
      tx.update(conceptTests).set({ lookedThrough: lastDay }).where(eq(conceptTests.concept, concept.slug)).run();
    });
    logged += found.length;
  }
  return logged;
}
