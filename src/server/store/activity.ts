/**
 * The admin pages' figures, gathered as plain data for the domain to compose. The
 * overview: per concept, visitors and signups in the chosen days, in the 7 days up to
 * their end, day by day and by traffic source; and, for the verdicts, each test from its
 * start (verdictWindow) and the last 7 days whatever the chosen days, with the decision log. A few grouped queries
 * for all concepts, so the page costs the same whatever the number of concepts. A concept's page: the counts of every
 * window its report reads, its days, its sources and its latest signups.
 */
import type { Database } from "../../../db/client";
import type { Counts } from "../../domain/analytics";
import type { Concept } from "../../domain/concept";
import { type ConceptPageData, conceptPageWindows } from "../../domain/concept-page";
import { verdictWindow } from "../../domain/decision";
import {
  type AdminPeriod,
  addExposure,
  inWindow,
  NO_EXPOSURE,
  paceWindow,
  spanOf,
  windowKey,
} from "../../domain/experiment-report";
import { type ConceptActivity, lastWeekOf, noActivity, type OverviewData, seriesDays } from "../../domain/overview";
import {
  countRungNumerator,
  countSignupsByVisit,
  countsGroupedBy,
  countTryEntries,
  countVariantDays,
  countVariantsInWindows,
  directByVariant,
  failedEmails,
  latestSignups,
  sourcesByVariant,
} from "./counts";
import { getDecisions, getDecisionsByConcept, getTestStart, getTestStarts } from "./decisions";
import { getExperimentEpochs } from "./experiments";
import { countAnswers, countLadderByVariant, countOverviewLadders, interviewOptIns } from "./funnel";
import { recentWebhookDeliveries } from "./webhooks";

function conceptActivity(
  db: Database,
  concepts: readonly Concept[],
  { window, lastDay, today }: AdminPeriod,
): Map<string, ConceptActivity> {
  const activity = new Map<string, ConceptActivity>();
  const of = (concept: string): ConceptActivity => {
    const entry = activity.get(concept) ?? noActivity();
    activity.set(concept, entry);
    return entry;
  };
  const add = (sum: Counts, { visitors, signups }: Counts): Counts => ({
    visitors: sum.visitors + visitors,
    signups: sum.signups + signups,
  });
  // Each test has its own days.
  const starts = getTestStarts(db);
  const tests = new Map(
    concepts.map((c) => [c.slug, verdictWindow(starts.get(c.slug)?.startedOn, c.successCriteria, lastDay)]),
  );
  const recentWeek = paceWindow(today);
  const lastWeek = lastWeekOf(window);
  const series = { from: seriesDays(window)[0] ?? window.to, to: window.to };
  // Every figure made of whole days, the traffic sources too, comes from one query by
  // concept, day and source over all their days, summed here per day and per source (in the
  // rows' order, as when each was a query's groups) and per figure: the recent days, which
  // are not rolled up, are scanned once rather than once per figure.
  const span = spanOf([window, recentWeek, lastWeek, series, ...tests.values()]) ?? window;
  const days = new Map<
    string,
    { concept: string; day: string; visitors: number; signups: number; throwaway: number }
  >();
  const sources = new Map<string, Map<string, Counts>>();
  for (const { concept, day, source, visitors, signups, throwaway } of countsGroupedBy(db, { window: span }, [
    "concept",
    "day",
    "source",
  ])) {
    const sum = days.get(`${concept} ${day}`) ?? { concept, day, visitors: 0, signups: 0, throwaway: 0 };
    days.set(`${concept} ${day}`, { ...sum, ...add(sum, { visitors, signups }), throwaway: sum.throwaway + throwaway });
    if (!inWindow(day, window)) continue;
    const ofConcept = sources.get(concept) ?? new Map<string, Counts>();
    sources.set(
      concept,
      ofConcept.set(source, add(ofConcept.get(source) ?? { visitors: 0, signups: 0 }, { visitors, signups })),
    );
  }
  // In the order of SQLite's text (its bytes), as when the sources were a query's groups: the
  // page sorts them by figures, ties keep this order.
  const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  for (const [concept, ofConcept] of sources) {
    for (const source of [...ofConcept.keys()].sort(bytewise)) {
      const { visitors, signups } = ofConcept.get(source) ?? { visitors: 0, signups: 0 };
      of(concept).sources.push({ source, visitors, signups });
    }
  }
  for (const { concept, day, ...counts } of days.values()) {
    const test = tests.get(concept);
    if (inWindow(day, window)) {
      of(concept).total = add(of(concept).total, counts);
      of(concept).throwaway += counts.throwaway;
    }
    if (test && inWindow(day, test)) of(concept).wholeTest = add(of(concept).wholeTest, counts);
    if (inWindow(day, recentWeek)) of(concept).recentWeek = add(of(concept).recentWeek, counts);
    if (inWindow(day, lastWeek)) of(concept).lastWeek = add(of(concept).lastWeek, counts);
    if (inWindow(day, series)) of(concept).dailySignups.push({ day, count: counts.signups });
  }
  // A concept judged on another rung than the signup: its verdict counts that rung, read from
  // the raw rows, over the visitors just summed.
  for (const concept of concepts) {
    const test = tests.get(concept.slug);
    const rung = concept.successCriteria.rung;
    if (!test || rung === "signup" || test.from > test.to) continue;
    const signups = countRungNumerator(db, { concept: concept.slug, window: test, rung });
    of(concept.slug).wholeTest = { visitors: of(concept.slug).wholeTest.visitors, signups };
  }
  return activity;
}

export function gatherOverview(db: Database, concepts: readonly Concept[], period: AdminPeriod): OverviewData {
  const { ladders, confirmations } = countOverviewLadders(
    db,
    concepts.map((c) => c.slug),
    period.window,
  );
  return {
    activity: conceptActivity(db, concepts, period),
    decisions: getDecisionsByConcept(db),
    confirmations,
    failedEmails: failedEmails(db),
    signupsByVisit: countSignupsByVisit(db),
    webhookDeliveries: recentWebhookDeliveries(db),
    tryEntries: countTryEntries(db, period.window),
    ladders,
  };
}

export function gatherConceptPage(db: Database, concept: Concept, period: AdminPeriod): ConceptPageData {
  const gathered = { epochs: getExperimentEpochs(db, concept.slug), testStart: getTestStart(db, concept.slug) };
  const windows = conceptPageWindows(concept, gathered, period);
  const testWindow = verdictWindow(gathered.testStart, concept.successCriteria, period.lastDay);
  // Every window's counts, the whole test's exposure and the split's days, from one count by
  // variant and day of all the traffic and one of the split's (the windows hold the test's
  // days and the chosen ones).
  const days = countVariantDays(db, concept.slug, windows);
  const splitDays = countVariantDays(db, concept.slug, windows, "split");
  const exposure = days.reduce(
    (sum, { variant: _variant, day, ...counts }) => (inWindow(day, testWindow) ? addExposure(sum, counts) : sum),
    NO_EXPOSURE,
  );
  // The verdicts, the comparison and the planner count the rung the criteria judge.
  const rung = concept.successCriteria.rung;
  const counts = countVariantsInWindows(db, concept.slug, windows, undefined, rung, days);
  // The ladder's visitors are the chosen days' (counted just above, whatever the rung).
  const ladder = countLadderByVariant(db, concept.slug, period.window, counts.get(windowKey(period.window)));
  const answered = [...ladder.values()].reduce((sum, c) => sum + c.answered, 0);
  return {
    ...gathered,
    decisions: getDecisions(db, concept.slug),
    counts,
    split: countVariantsInWindows(db, concept.slug, windows, "split", rung, splitDays),
    exposure,
    direct: directByVariant(db, concept.slug, period.window),
    daily: splitDays.filter(({ day }) => inWindow(day, period.window)).sort((a, b) => a.day.localeCompare(b.day)),
    sources: sourcesByVariant(db, concept.slug, period.window),
    latest: latestSignups(db, concept.slug),
    ladder,
    answers: countAnswers(db, concept, period.window, answered),
    interviews: concept.interview ? interviewOptIns(db, concept.slug) : { total: 0, latest: [] },
  };
}
