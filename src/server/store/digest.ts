/**
 * The weekly digest's figures: the week and the week before, counted from the raw tables
 * between the week's local-time bounds (DIGEST_TZ), everything up to the end of the
 * week, whose whole UTC days come from the rollups (countsGroupedBy), and for the
 * verdicts each test's own days up to the week's last UTC day with the decision log.
 */

import type { Database } from "../../../db/client";
import { DAY_MS, EARLIEST_DAY, isoWeekRange, shiftIsoWeek, utcDay } from "../../domain/calendar";
import { type Concept, isPublished } from "../../domain/concept";
import { verdictWindow } from "../../domain/decision";
import { type DigestFigures, type DigestRow, type DigestTotal, digestLastDay } from "../../domain/digest";
import { confirmedByConcept, countsGroupedBy, SOURCE_SQL } from "./counts";
import { getDecisionsByConcept, getTestStarts } from "./decisions";
import { gatherExperiment } from "./experiments";
import { countAnswers, countLadderByConcept } from "./funnel";

/**
 * Visitors, signups and confirmed signups per concept, variant and source in [start, end)
 * (ms). A return visit (the A/B cookie's later day) is not a visitor, nor is a throwaway
 * address a signup, as in countsGroupedBy.
 */
export function countActivityBetween(db: Database, start: number, end: number): DigestRow[] {
  if (start >= end) return [];
  return db.$client
    .prepare(
      `select concept, variant, source, sum(visitors) as visitors, sum(signups) as signups, sum(confirmed) as confirmed from (
         select concept, variant, ${SOURCE_SQL} as source, exposure <> 'return' as visitors, 0 as signups, 0 as confirmed
           from views where day between ? and ? and created_at >= ? and created_at < ?
         union all
         select concept, variant, ${SOURCE_SQL}, 0, exposure <> 'none' and not throwaway,
                confirmed_at is not null and exposure <> 'none' and not throwaway
           from signups where created_at >= ? and created_at < ?
       ) group by concept, variant, source`,
    )
    .all(utcDay(new Date(start)), utcDay(new Date(end - 1)), start, end, start, end) as DigestRow[];
}

/**
 * Visitors and signups per concept up to `end` (ms), confirmed signups among them. The
 * whole UTC days before `end` come from countsGroupedBy (rollups for settled days); only
 * the part of a day left before `end` (less than a day, inside the week: weeks end at a
 * local midnight) is counted from the raw tables.
 */
export function countTotalsBefore(db: Database, end: number): Map<string, DigestTotal> {
  const midnight = Math.floor(end / DAY_MS) * DAY_MS;
  const wholeDays = { from: EARLIEST_DAY, to: utcDay(new Date(midnight - 1)) };
  const totals = new Map<string, DigestTotal>();
  const of = (concept: string) => {
    const entry = totals.get(concept) ?? { visitors: 0, signups: 0, confirmed: 0 };
    totals.set(concept, entry);
    return entry;
  };
  for (const row of [
    ...countsGroupedBy(db, { window: wholeDays }, ["concept"]),
    ...countActivityBetween(db, midnight, end),
  ]) {
    const entry = of(row.concept);
    entry.visitors += row.visitors;
    entry.signups += row.signups;
  }
  for (const [concept, { confirmed }] of confirmedByConcept(db, { before: end })) of(concept).confirmed = confirmed;
  return totals;
}

export function gatherDigest(
  db: Database,
  concepts: readonly Concept[],
  week: string,
  timeZone: string,
): DigestFigures {
  const { start, end } = isoWeekRange(week, timeZone);
  const previous = isoWeekRange(shiftIsoWeek(week, -1), timeZone);
  const lastDay = digestLastDay(week, timeZone);
  // The answers and the tier split: everything up to the week's last UTC day.
  const soFar = { from: EARLIEST_DAY, to: lastDay };
  const testStarts = new Map([...getTestStarts(db)].map(([concept, test]) => [concept, test.startedOn]));
  const published = concepts.filter(isPublished).map((concept) => ({
    concept,
    test: verdictWindow(testStarts.get(concept.slug), concept.successCriteria, lastDay),
  }));
  const ladders = countLadderByConcept(db, soFar);
  return {
    week,
    timeZone,
    thisWeek: countActivityBetween(db, start, end),
    lastWeek: countActivityBetween(db, previous.start, previous.end),
    totals: countTotalsBefore(db, end),
    testStarts,
    tests: new Map(
      published.map(({ concept, test }) => {
        const [sum] = countsGroupedBy(
          db,
          { concept: concept.slug, window: test, rung: concept.successCriteria.rung },
          [],
        );
        return [concept.slug, { visitors: sum?.visitors ?? 0, signups: sum?.signups ?? 0 }];
      }),
    ),
    experiments: new Map(
      published
        .filter(({ concept }) => concept.variants.length > 1)
        .map(({ concept, test }) => [concept.slug, gatherExperiment(db, concept, test, lastDay)]),
    ),
    decisions: getDecisionsByConcept(db),
    ladders,
    answers: new Map(
      published
        .filter(({ concept }) => concept.question)
        .map(({ concept }) => [
          concept.slug,
          countAnswers(db, concept, soFar, ladders.get(concept.slug)?.answered ?? 0, 3),
        ]),
    ),
  };
}
