/**
 * A concept's experiment report: each variant against the control over the period in
 * which the two were split in a constant ratio, on the split's traffic only, with intervals, a verdict corrected for
 * the number of variants, a Bayesian reading, P(best), and a sample-ratio-mismatch
 * check. Pure: counts come in as values.
 */

import { type Counts, conversionRate, type DateRange, sumCounts } from "./analytics";
import { type VariantReading, variantReading } from "./bayes";
import { addDays, EARLIEST_DAY, firstWholeDay, lastWholeDay, utcDay } from "./calendar";
import { type Concept, controlVariant } from "./concept";
import { type ComparisonChange, comparisonStart, type ExperimentEpoch } from "./experiments";
import { type Interval, probabilityToBeBest, srmPValue, wilsonInterval } from "./stats";
import { type VariantComparison, variantVerdict } from "./verdict";

/**
 * How a variant's page was served: picked by the split of /c/<slug>/; by the same split
 * after the randomised entry point /try/ drew the concept (`try`: randomised twice, first
 * the idea, then the variant); or at the variant's own URL (`direct`, ads).
 */
export type Served = "split" | "try" | "direct";

/**
 * Counts with their units told apart: `visitors` = `people` (first exposures, where the A/B
 * cookie exists) + visitor-days (where it does not); `returnVisits` are later visits of
 * people already counted; `unexposed` signups followed no recorded visit, `throwaway` ones
 * gave a throwaway address: neither is in `signups`.
 */
export interface ExposureCounts extends Counts {
  people: number;
  returnVisits: number;
  unexposed: number;
  throwaway: number;
}

/** Whole UTC days, both included (YYYY-MM-DD): the unit of every analytics window. */
export interface DayWindow {
  from: string;
  to: string;
}

/** Whether `day` is one of `window`'s. */
export const inWindow = (day: string, { from, to }: DayWindow): boolean => day >= from && day <= to;

/** The days from the earliest start of `windows` to their latest end (undefined without windows). */
export function spanOf(windows: readonly DayWindow[]): DayWindow | undefined {
  const froms = windows.map((w) => w.from).sort();
  const tos = windows.map((w) => w.to).sort();
  const [from] = froms;
  const to = tos.at(-1);
  return from === undefined || to === undefined ? undefined : { from, to };
}

/**
 * Per window of `windows` (keyed by windowKey, each once), per variant, the sum of `days`
 * (counts per variant and day) in it: every window from one count by day.
 */
export function sumWindows(
  days: readonly (ExposureCounts & { variant: string; day: string })[],
  windows: readonly DayWindow[],
): Map<string, Map<string, ExposureCounts>> {
  const counted = new Map<string, Map<string, ExposureCounts>>();
  for (const window of windows) {
    const key = windowKey(window);
    if (counted.has(key)) continue;
    const byVariant = new Map<string, ExposureCounts>();
    for (const { variant, day, ...counts } of days) {
      if (inWindow(day, window)) byVariant.set(variant, addExposure(byVariant.get(variant) ?? NO_EXPOSURE, counts));
    }
    counted.set(key, byVariant);
  }
  return counted;
}

export const NO_EXPOSURE: ExposureCounts = Object.freeze({
  visitors: 0,
  people: 0,
  returnVisits: 0,
  signups: 0,
  unexposed: 0,
  throwaway: 0,
});

export function addExposure(sum: ExposureCounts, counts: ExposureCounts): ExposureCounts {
  return {
    visitors: sum.visitors + counts.visitors,
    people: sum.people + counts.people,
    returnVisits: sum.returnVisits + counts.returnVisits,
    signups: sum.signups + counts.signups,
    unexposed: sum.unexposed + counts.unexposed,
    throwaway: sum.throwaway + counts.throwaway,
  };
}

/** The window of a date range; open ends reach the beginning, or today. */
export function rangeWindow(range: { from?: string | undefined; to?: string | undefined }, today: string): DayWindow {
  return { from: range.from ?? EARLIEST_DAY, to: range.to ?? today };
}

/** The days an admin page reads, from its date filter. */
export interface AdminPeriod {
  /** The chosen days: the descriptive figures. */
  window: DayWindow;
  /**
   * The last whole day: verdicts read each concept's test from its start to this day (or
   * its decideBy), whatever the range — a range picked after seeing the data would void
   * their always-valid guarantee (see verdictWindow).
   */
  lastDay: string;
  today: string;
  /** Whether a range was chosen (otherwise the window is the whole test). */
  filtered: boolean;
}

/** The period of a page, report or command looking at `now`: today, and its last whole day. */
export function adminPeriodAt(range: DateRange, now: Date): AdminPeriod {
  return adminPeriod(range, utcDay(now), lastWholeDay(now));
}

/** `lastDay` defaults to yesterday; adminPeriodAt passes `lastWholeDay(now)`, which is earlier in the minutes after midnight. */
export function adminPeriod(range: DateRange, today: string, lastDay = addDays(today, -1)): AdminPeriod {
  return {
    window: rangeWindow(range, today),
    lastDay,
    today,
    filtered: Boolean(range.from || range.to),
  };
}

export function windowKey(window: DayWindow): string {
  return `${window.from}..${window.to}`;
}

/** The window's days from `from` on (all of them when it starts later). */
export const startingAt = (window: DayWindow, from: string): DayWindow => ({
  from: from > window.from ? from : window.from,
  to: window.to,
});

export interface ExperimentWindows {
  /** For each variant, the days over which it is compared with the control (the control: the whole range). */
  perVariant: Map<string, DayWindow>;
  /** For a variant compared from later than the range, what started its comparison anew. */
  changes: Map<string, ComparisonChange>;
  /** The days of the current split, for P(best) across all arms and the split check. */
  currentSplit: DayWindow;
}

export function experimentWindows(
  concept: Concept,
  epochs: readonly ExperimentEpoch[],
  range: DayWindow,
): ExperimentWindows {
  const control = controlVariant(concept).id;
  const perVariant = new Map<string, DayWindow>();
  const changes = new Map<string, ComparisonChange>();
  for (const variant of concept.variants) {
    if (variant.id === control) {
      perVariant.set(variant.id, range);
      continue;
    }
    const start = comparisonStart(epochs, variant.id, control);
    perVariant.set(variant.id, startingAt(range, firstWholeDay(start.since)));
    if (start.change) changes.set(variant.id, start.change);
  }
  return { perVariant, changes, currentSplit: startingAt(range, firstWholeDay(epochs.at(-1)?.startedAt ?? 0)) };
}

export interface VariantRow {
  id: string;
  weight: number;
  isControl: boolean;
  counts: Counts;
  rate: number;
  interval: Interval;
  /** The first day of the comparison with the control, later than the range's when the split or an offer changed. */
  comparedFrom: string;
  /** What made the comparison start anew (joined, re-weighted, changed its offer), if anything did. */
  change: ComparisonChange | undefined;
  /** The control's figures over that same period (what the lift is measured against). */
  baseline: Counts & { rate: number };
  comparison: VariantComparison | undefined;
  /** The Bayesian reading of the same comparison (not the verdict). */
  reading: VariantReading | undefined;
  probabilityBest: number;
}

export interface ExperimentReport {
  variants: VariantRow[];
  srm: { pValue: number; observed: number[]; weights: number[]; mismatch: boolean; from: string };
}

/** Below this the observed split is too unlikely under the configured weights to be chance. */
export const SRM_THRESHOLD = 0.001;

/**
 * Visitors and signups per variant, for each window a page or the digest reads, keyed by
 * `windowKey`: what the store gathers, so that the domain composes from values.
 */
export type WindowCounts = ReadonlyMap<string, ReadonlyMap<string, Counts>>;

/** The counts of one gathered window; a window nobody gathered is a bug, not "no traffic". */
export function countsIn(counts: WindowCounts, window: DayWindow): ReadonlyMap<string, Counts> {
  const found = counts.get(windowKey(window));
  if (!found) throw new Error(`no counts were gathered for ${windowKey(window)}`);
  return found;
}

/** The 7 days that end `today`: the traffic pace the verdicts plan their deadlines on. */
export function paceWindow(today: string): DayWindow {
  return { from: addDays(today, -6), to: today };
}

/** A concept's visitors per day over the 7 days that end `today` (all variants). */
export function visitorsPerDay(counts: WindowCounts, today: string): number {
  return sumCounts(countsIn(counts, paceWindow(today)).values()).visitors / 7;
}

/** One concept's split history and the counts of every window its report reads. */
export interface ExperimentData {
  epochs: readonly ExperimentEpoch[];
  /** All traffic: the idea's own verdict. */
  counts: WindowCounts;
  /**
   * The same windows, split traffic only and signups that followed a recorded visit: the
   * A/B comparison and the split check (a variant's own URL is not randomised).
   */
  split: WindowCounts;
}

/**
 * Every window the report of `testWindow` reads: each variant's comparison window, the
 * current split and the pace. The store counts these (and only these) once each.
 */
export function reportWindows(
  concept: Concept,
  epochs: readonly ExperimentEpoch[],
  testWindow: DayWindow,
  today: string,
): DayWindow[] {
  const windows = experimentWindows(concept, epochs, testWindow);
  return [...windows.perVariant.values(), windows.currentSplit, paceWindow(today)];
}

/** What a concept's comparison reads: its split history and counts, over its test, on a day. */
export interface ExperimentInput {
  concept: Concept;
  data: ExperimentData;
  testWindow: DayWindow;
  today: string;
}

const NO_COUNTS: Counts = { visitors: 0, signups: 0 };
const armOf = (c: Counts) => ({ visitors: c.visitors, conversions: c.signups });

/** One variant against the control over its comparison window: the figures and the rule's verdict. */
export interface VariantJudgement {
  id: string;
  window: DayWindow;
  change: ComparisonChange | undefined;
  control: Counts;
  treatment: Counts;
  verdict: VariantComparison;
}

/**
 * Each variant (not the control) against the control over its comparison window within
 * `testWindow`, judged by the rule corrected for the number of variants: what the report
 * shows and what the decision log freezes, from one function.
 */
export function judgeVariants({ concept, data, testWindow, today }: ExperimentInput): VariantJudgement[] {
  const control = controlVariant(concept);
  const windows = experimentWindows(concept, data.epochs, testWindow);
  // The comparison reads the randomised split only: ad traffic to a variant's own URL is not.
  const pace = visitorsPerDay(data.split, today);
  const totalWeight = concept.variants.reduce((sum, variant) => sum + variant.weight, 0);
  const treatments = concept.variants.length - 1;
  return concept.variants
    .filter((variant) => variant.id !== control.id)
    .map((variant) => {
      const window = windows.perVariant.get(variant.id) ?? windows.currentSplit;
      const counts = countsIn(data.split, window);
      const pair = { control: counts.get(control.id) ?? NO_COUNTS, treatment: counts.get(variant.id) ?? NO_COUNTS };
      return {
        id: variant.id,
        window,
        change: windows.changes.get(variant.id),
        ...pair,
        verdict: variantVerdict({
          control: armOf(pair.control),
          treatment: armOf(pair.treatment),
          criteria: concept.successCriteria,
          visitorsPerDay: (pace * (control.weight + variant.weight)) / totalWeight,
          treatments,
        }),
      };
    });
}

export function composeExperimentReport({ concept, data, testWindow, today }: ExperimentInput): ExperimentReport {
  const control = controlVariant(concept);
  const windows = experimentWindows(concept, data.epochs, testWindow);
  const countsOf = (window: DayWindow) => countsIn(data.split, window);
  const judged = new Map(
    judgeVariants({ concept, data, testWindow, today }).map((judgement) => [judgement.id, judgement]),
  );

  const current = countsOf(windows.currentSplit);
  const currentArms = concept.variants.map((variant) => current.get(variant.id) ?? NO_COUNTS);
  const best = probabilityToBeBest(currentArms.map(armOf));

  const variants = concept.variants.map((variant, index): VariantRow => {
    const window = windows.perVariant.get(variant.id) ?? windows.currentSplit;
    const inWindow = countsOf(window);
    const counts = inWindow.get(variant.id) ?? NO_COUNTS;
    const judgement = judged.get(variant.id);
    const baseline = inWindow.get(control.id) ?? NO_COUNTS;
    return {
      id: variant.id,
      weight: variant.weight,
      isControl: variant.id === control.id,
      counts,
      rate: conversionRate(counts),
      interval: wilsonInterval(counts.signups, counts.visitors),
      comparedFrom: window.from,
      change: windows.changes.get(variant.id),
      baseline: { ...baseline, rate: conversionRate(baseline) },
      comparison: judgement?.verdict,
      reading: judgement && variantReading(armOf(judgement.control), armOf(judgement.treatment)),
      probabilityBest: best[index] ?? 0,
    };
  });

  const observed = currentArms.map((c) => c.visitors);
  const weights = concept.variants.map((variant) => variant.weight);
  const pValue = srmPValue(observed, weights);
  return {
    variants,
    srm: { pValue, observed, weights, mismatch: pValue < SRM_THRESHOLD, from: windows.currentSplit.from },
  };
}

export interface VariantSeries {
  /** Conversion so far (signups ÷ visitors since the first day shown), null before a first visitor. */
  cumulativeRate: (number | null)[];
  signups: number[];
}

/** Day-by-day series per variant for the charts: cumulative conversion and signups per day. */
export function variantSeries(
  rows: readonly (Counts & { variant: string; day: string })[],
  days: readonly string[],
  variants: readonly string[],
): Map<string, VariantSeries> {
  return new Map(
    variants.map((variant) => {
      const byDay = new Map(rows.filter((row) => row.variant === variant).map((row) => [row.day, row]));
      let visitors = 0;
      let signups = 0;
      const cumulativeRate: (number | null)[] = [];
      const daily: number[] = [];
      for (const day of days) {
        const row = byDay.get(day);
        visitors += row?.visitors ?? 0;
        signups += row?.signups ?? 0;
        cumulativeRate.push(visitors > 0 ? signups / visitors : null);
        daily.push(row?.signups ?? 0);
      }
      return [variant, { cumulativeRate, signups: daily }];
    }),
  );
}
