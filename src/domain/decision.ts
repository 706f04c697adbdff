/**
 * Pre-registration that binds. A verdict reads the test as the founder registered it: from
 * its start (the day the concept first went live) to the last whole day, stopped at
 * `decideBy` — never the date filter. The first verdict the rule reaches is logged once,
 * with its figures (`newDecisions`, which looks at each whole day in turn, as a founder
 * who checks every morning would), and that is the verdict shown from then on
 * (`shownConceptVerdict`, `shownVariantVerdict`): the always-valid rule stops at its
 * first crossing, so a later wobble of the figures is not a new verdict. Pure.
 */
import type { Counts } from "./analytics";
import { addDays, DAY_MS, dayRange, dayStartMs, EARLIEST_DAY } from "./calendar";
import type { Concept, Thresholds } from "./concept";
import { type DayWindow, judgeVariants, reportWindows, type WindowCounts, windowKey } from "./experiment-report";
import type { ExperimentEpoch } from "./experiments";
import { type ConceptVerdict, conceptVerdict, type VariantComparison, type VariantOutcome } from "./verdict";

/** The rule's numbers on the day of a decision: its interval, and for a variant its lift, p-value and confidence. */
export interface DecisionFigures {
  low: number;
  /** null when the interval has no top (a variant while the control had no signup). */
  high: number | null;
  lift?: number | null;
  pValue?: number;
  confidence?: number;
}

/** A logged verdict: the first the rule reached for the idea (`variant` null) or for a variant's comparison. */
export interface Decision {
  variant: string | null;
  /** The first day of the figures: the test's start, or the variant's comparison window's. */
  comparedFrom: string;
  /** The day of the look that reached it: the last day of the figures. */
  reachedOn: string;
  status: "validated" | "not validated";
  outcome: Exclude<VariantOutcome, "undecided"> | null;
  basis: "evidence" | "deadline" | null;
  visitors: number;
  signups: number;
  controlVisitors: number | null;
  controlSignups: number | null;
  figures: DecisionFigures;
  reason: string;
}

/**
 * The days a verdict reads: the test's start (the beginning of the data when none was
 * recorded) to `lastDay`, but no later than `decideBy` — data after the decision date
 * does not move a verdict. Empty (from after to) when the test starts after `lastDay`.
 */
export function verdictWindow(
  testStart: string | undefined,
  criteria: Pick<Thresholds, "decideBy">,
  lastDay: string,
): DayWindow {
  const to = criteria.decideBy && criteria.decideBy < lastDay ? criteria.decideBy : lastDay;
  return { from: testStart ?? EARLIEST_DAY, to };
}

/** How a decision is shown: the verdict with the day it was reached, beside the live figures. */
export interface Reached {
  reachedOn: string;
}

export type ShownConceptVerdict = ConceptVerdict & Partial<Reached>;
export type ShownVariantVerdict = VariantComparison & Partial<Reached>;

const count = (n: number) => n.toLocaleString("en");

/**
 * The idea's verdict: the logged decision when there is one, with its day and figures;
 * otherwise the rule on the verdict window's counts. The deadline counts as passed once
 * the decision date is a whole day (its last look was that day's).
 */
export function shownConceptVerdict({
  criteria,
  counts,
  visitorsPerDay,
  lastDay,
  decision,
}: {
  criteria: Thresholds;
  /** Over the verdict window. */
  counts: Counts;
  visitorsPerDay: number;
  lastDay: string;
  decision: Decision | undefined;
}): ShownConceptVerdict {
  if (!decision) return conceptVerdict({ criteria, counts, visitorsPerDay, today: addDays(lastDay, 1) });
  const when =
    decision.basis === "deadline"
      ? `Not validated at the decision date ${decision.reachedOn}`
      : `${decision.status === "validated" ? "Validated" : "Not validated"} on ${decision.reachedOn}`;
  return {
    status: decision.status,
    ...(decision.basis ? { basis: decision.basis } : {}),
    reason: `${when}, with ${count(decision.visitors)} visitors and ${count(decision.signups)} signups: ${decision.reason} ${SETTLED}`,
    interval: { low: decision.figures.low, high: decision.figures.high ?? 1 },
    reachedOn: decision.reachedOn,
  };
}

const SETTLED = "This verdict stays: the rule stops at its first crossing, later days do not reopen it.";

const OUTCOME_TEXT: Record<Exclude<VariantOutcome, "undecided">, string> = {
  better: "Better than the control",
  worse: "Worse than the control",
  equivalent: "Equivalent to the control",
};

/**
 * A variant's verdict: the logged decision of its current comparison window when there
 * is one (its outcome, and a reason with its day and figures), else the live one. The
 * lift, interval and p-value stay live: the table beside it describes today's data.
 */
export function shownVariantVerdict(live: VariantComparison, decision: Decision | undefined): ShownVariantVerdict {
  if (!decision?.outcome) return live;
  return {
    ...live,
    status: decision.status,
    outcome: decision.outcome,
    reason: `${OUTCOME_TEXT[decision.outcome]} on ${decision.reachedOn}, with ${count(decision.visitors)} visitors and ${count(decision.signups)} signups against the control's ${count(decision.controlVisitors ?? 0)} and ${count(decision.controlSignups ?? 0)}: ${decision.reason} ${SETTLED}`,
    reachedOn: decision.reachedOn,
  };
}

/** The idea's decision among a concept's logged ones. */
export const ideaDecision = (decisions: readonly Decision[]) => decisions.find((d) => d.variant === null);

/** A variant's decision for the comparison window that starts on `comparedFrom` (an older window's is history). */
export const variantDecision = (decisions: readonly Decision[], variant: string, comparedFrom: string) =>
  decisions.find((d) => d.variant === variant && d.comparedFrom === comparedFrom);

/** Visitors and signups of one variant on one day: what the decision log replays. */
export interface DayCounts extends Counts {
  variant: string;
  day: string;
}

/** Sums of `daily` over any window, per variant, from running totals (a few binary searches per window). */
function windowSums(daily: readonly DayCounts[]): (window: DayWindow) => Map<string, Counts> {
  const running = new Map<string, { days: string[]; visitors: number[]; signups: number[] }>();
  for (const row of [...daily].sort((a, b) => a.day.localeCompare(b.day))) {
    const entry = running.get(row.variant) ?? { days: [], visitors: [0], signups: [0] };
    entry.days.push(row.day);
    entry.visitors.push((entry.visitors.at(-1) ?? 0) + row.visitors);
    entry.signups.push((entry.signups.at(-1) ?? 0) + row.signups);
    running.set(row.variant, entry);
  }
  const before = (days: readonly string[], day: string) => {
    let low = 0;
    let high = days.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((days[mid] ?? "") < day) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return (window) =>
    new Map(
      [...running].map(([variant, entry]) => {
        const first = before(entry.days, window.from);
        const end = Math.max(first, before(entry.days, addDays(window.to, 1)));
        const sum = (totals: number[]) => (totals[end] ?? 0) - (totals[first] ?? 0);
        return [variant, { visitors: sum(entry.visitors), signups: sum(entry.signups) }];
      }),
    );
}

/**
 * The decisions reached on `days` (whole days, oldest first) that are not in `logged`:
 * each day is one look at [test start, that day] (stopped at decideBy), with the split
 * history known by the end of that day, and the first look that crosses a verdict is
 * the one logged. After the decision date nothing can move, so later days are not looked at.
 */
export function newDecisions({
  concept,
  epochs,
  daily,
  splitDaily,
  testStart,
  days,
  logged,
}: {
  concept: Concept;
  epochs: readonly ExperimentEpoch[];
  /** All traffic, for the idea against its target. */
  daily: readonly DayCounts[];
  /** The split's traffic only, for the variants against the control. */
  splitDaily: readonly DayCounts[];
  testStart: string;
  days: readonly string[];
  logged: readonly Decision[];
}): Decision[] {
  const criteria = concept.successCriteria;
  const sums = windowSums(daily);
  const splitSums = windowSums(splitDaily);
  const found: Decision[] = [];
  const decided = () => [...logged, ...found];
  for (const day of days) {
    if (criteria.decideBy && day > criteria.decideBy) break;
    const window = verdictWindow(testStart, criteria, day);
    if (window.from > window.to) continue;
    const known = epochs.filter((epoch) => epoch.startedAt < dayStartMs(addDays(day, 1)));
    const windows = [window, ...reportWindows(concept, known, window, day)];
    const counts: WindowCounts = new Map(windows.map((w) => [windowKey(w), sums(w)]));
    const split: WindowCounts = new Map(windows.map((w) => [windowKey(w), splitSums(w)]));

    if (!ideaDecision(decided())) {
      const total = [...(counts.get(windowKey(window))?.values() ?? [])].reduce(
        (sum, c) => ({ visitors: sum.visitors + c.visitors, signups: sum.signups + c.signups }),
        { visitors: 0, signups: 0 },
      );
      const verdict = conceptVerdict({ criteria, counts: total, visitorsPerDay: 0, today: addDays(day, 1) });
      if (verdict.status !== "keep testing")
        found.push({
          variant: null,
          comparedFrom: window.from,
          reachedOn: day,
          status: verdict.status,
          outcome: null,
          basis: verdict.basis ?? "evidence",
          visitors: total.visitors,
          signups: total.signups,
          controlVisitors: null,
          controlSignups: null,
          figures: { low: verdict.interval.low, high: verdict.interval.high },
          reason: verdict.reason,
        });
    }
    if (concept.variants.length < 2) continue;
    for (const judged of judgeVariants({
      concept,
      data: { epochs: known, counts, split },
      testWindow: window,
      today: day,
    })) {
      const { verdict } = judged;
      if (verdict.outcome === "undecided" || variantDecision(decided(), judged.id, judged.window.from)) continue;
      found.push({
        variant: judged.id,
        comparedFrom: judged.window.from,
        reachedOn: day,
        status: verdict.status === "validated" ? "validated" : "not validated",
        outcome: verdict.outcome,
        basis: null,
        visitors: judged.treatment.visitors,
        signups: judged.treatment.signups,
        controlVisitors: judged.control.visitors,
        controlSignups: judged.control.signups,
        figures: {
          low: verdict.interval.low,
          high: Number.isFinite(verdict.interval.high) ? verdict.interval.high : null,
          lift: verdict.lift ?? null,
          pValue: verdict.pValue,
          confidence: verdict.confidence,
        },
        reason: verdict.reason,
      });
    }
  }
  return found;
}

/** The whole days from `from` to `to`, oldest first (none when from is after to). */
export function daysBetween(from: string, to: string): string[] {
  if (from > to) return [];
  return dayRange(to, Math.round((dayStartMs(to) - dayStartMs(from)) / DAY_MS) + 1);
}
