/**
 * A concept's experiment report: each variant against the control over the period in
 * which the two were split in a constant ratio, on the split's traffic only, with intervals, a verdict corrected for
 * the number of variants, a Bayesian reading, P(best), and a sample-ratio-mismatch
 * check. Pure: counts come in as values.
 */

import { type Counts, conversionRate, type DateRange, sumCounts } from "./analytics";
import { type VariantReading, variantReading } from "./bayes";
import { addDays, EARLIEST_DAY, firstWholeDay } from "./calendar";
import { type Concept, controlVariant } from "./concept";
import { comparableSince, type ExperimentEpoch } from "./experiments";
import { type Interval, probabilityToBeBest, srmPValue, wilsonInterval } from "./stats";
import { type VariantComparison, variantVerdict } from "./verdict";

/** How a variant's page was served: picked by the split of /c/<slug>/, or at its own URL (ads). */
export type Served = "split" | "direct";

/**
 * Counts with their units told apart: `visitors` = `people` (first exposures, where the A/B
 * cookie exists) + visitor-days (where it does not); `returnVisits` are later visits of
 * people already counted; `unexposed` of the `signups` followed no recorded visit.
 */
export interface ExposureCounts extends Counts {
  people: number;
  returnVisits: number;
  unexposed: number;
}

/** Whole UTC days, both included (YYYY-MM-DD): the unit of every analytics window. */
export interface DayWindow {
  from: string;
  to: string;
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
   * The whole test up to today: what verdicts read, whatever the range. A range picked
   * after seeing the data would void their always-valid guarantee.
   */
  testWindow: DayWindow;
  today: string;
  /** Whether a range was chosen (otherwise the window is the whole test). */
  filtered: boolean;
}

export function adminPeriod(range: DateRange, today: string): AdminPeriod {
  return {
    window: rangeWindow(range, today),
    testWindow: rangeWindow({}, today),
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
  /** The days of the current split, for P(best) across all arms and the split check. */
  currentSplit: DayWindow;
}

export function experimentWindows(
  concept: Concept,
  epochs: readonly ExperimentEpoch[],
  range: DayWindow,
): ExperimentWindows {
  const control = controlVariant(concept).id;
  const perVariant = new Map(
    concept.variants.map((variant) => [
      variant.id,
      variant.id === control ? range : startingAt(range, firstWholeDay(comparableSince(epochs, variant.id, control))),
    ]),
  );
  return { perVariant, currentSplit: startingAt(range, firstWholeDay(epochs.at(-1)?.startedAt ?? 0)) };
}

export interface VariantRow {
  id: string;
  weight: number;
  isControl: boolean;
  counts: Counts;
  rate: number;
  interval: Interval;
  /** The first day of the comparison with the control, later than the range's when the split changed. */
  comparedFrom: string;
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

export function composeExperimentReport({
  concept,
  data,
  testWindow,
  today,
}: {
  concept: Concept;
  data: ExperimentData;
  testWindow: DayWindow;
  today: string;
}): ExperimentReport {
  const [control] = concept.variants;
  if (!control) throw new Error(`concept ${concept.slug} has no variants`);
  const windows = experimentWindows(concept, data.epochs, testWindow);
  const pace = visitorsPerDay(data.split, today);
  const countsOf = (window: DayWindow) => countsIn(data.split, window);
  const none: Counts = { visitors: 0, signups: 0 };
  const totalWeight = concept.variants.reduce((sum, variant) => sum + variant.weight, 0);

  const arm = (c: Counts) => ({ visitors: c.visitors, conversions: c.signups });
  const pairs = concept.variants.map((variant) => {
    if (variant.id === control.id) return undefined;
    const counts = countsOf(windows.perVariant.get(variant.id) ?? windows.currentSplit);
    return { variant, control: arm(counts.get(control.id) ?? none), treatment: arm(counts.get(variant.id) ?? none) };
  });
  const treatments = concept.variants.length - 1;
  const comparisons = pairs.map(
    (pair) =>
      pair && {
        verdict: variantVerdict({
          control: pair.control,
          treatment: pair.treatment,
          criteria: concept.successCriteria,
          visitorsPerDay: (pace * (control.weight + pair.variant.weight)) / totalWeight,
          treatments,
        }),
        reading: variantReading(pair.control, pair.treatment),
      },
  );

  const current = countsOf(windows.currentSplit);
  const currentArms = concept.variants.map((variant) => current.get(variant.id) ?? none);
  const best = probabilityToBeBest(currentArms.map((c) => ({ visitors: c.visitors, conversions: c.signups })));

  const variants = concept.variants.map((variant, index): VariantRow => {
    const window = windows.perVariant.get(variant.id) ?? windows.currentSplit;
    const inWindow = countsOf(window);
    const counts = inWindow.get(variant.id) ?? none;
    const comparison = comparisons[index];
    const baseline = inWindow.get(control.id) ?? none;
    return {
      id: variant.id,
      weight: variant.weight,
      isControl: variant.id === control.id,
      counts,
      rate: conversionRate(counts),
      interval: wilsonInterval(counts.signups, counts.visitors),
      comparedFrom: window.from,
      baseline: { ...baseline, rate: conversionRate(baseline) },
      comparison: comparison?.verdict,
      reading: comparison?.reading,
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
