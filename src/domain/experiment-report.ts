/**
 * A concept's experiment report: each variant against the control over the period in
 * which the two were split in a constant ratio, with intervals, a verdict corrected for
 * the number of variants, a Bayesian reading, P(best), and a sample-ratio-mismatch
 * check. Pure: counts come in as values.
 */
import { type Counts, conversionRate } from "./analytics";
import { type VariantReading, variantReading } from "./bayes";
import type { Concept } from "./concept";
import { comparableSince, type ExperimentEpoch } from "./experiments";
import { type Interval, probabilityToBeBest, srmPValue, wilsonInterval } from "./stats";
import { type VariantComparison, variantVerdict } from "./verdict";

/** Whole UTC days, both included (YYYY-MM-DD): the unit of every analytics window. */
export interface DayWindow {
  from: string;
  to: string;
}

export const DAY_MS = 86_400_000;
/** The start of an open-ended range: before any data. */
export const EARLIEST_DAY = "2000-01-01";

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first whole day from `ms` on (a change at 10:00 counts from the next midnight). */
export function firstWholeDay(ms: number): string {
  return ms <= 0 ? EARLIEST_DAY : new Date(Math.ceil(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The window of a date range; open ends reach the beginning, or today. */
export function rangeWindow(range: { from?: string | undefined; to?: string | undefined }, today: string): DayWindow {
  return { from: range.from ?? EARLIEST_DAY, to: range.to ?? today };
}

export function windowKey(window: DayWindow): string {
  return `${window.from}..${window.to}`;
}

const startingAt = (window: DayWindow, from: string): DayWindow => ({
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
  const control = concept.variants[0]?.id ?? "control";
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

export function composeExperimentReport({
  concept,
  windows,
  countsIn,
  visitorsPerDay,
}: {
  concept: Concept;
  windows: ExperimentWindows;
  /** Visitors and signups per variant in a window (looked up by windowKey). */
  countsIn: (window: DayWindow) => ReadonlyMap<string, Counts>;
  /** The concept's visitors per day over the last 7 days. */
  visitorsPerDay: number;
}): ExperimentReport {
  const [control] = concept.variants;
  if (!control) throw new Error(`concept ${concept.slug} has no variants`);
  const none: Counts = { visitors: 0, signups: 0 };
  const totalWeight = concept.variants.reduce((sum, variant) => sum + variant.weight, 0);

  const arm = (c: Counts) => ({ visitors: c.visitors, conversions: c.signups });
  const pairs = concept.variants.map((variant) => {
    if (variant.id === control.id) return undefined;
    const counts = countsIn(windows.perVariant.get(variant.id) ?? windows.currentSplit);
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
          visitorsPerDay: (visitorsPerDay * (control.weight + pair.variant.weight)) / totalWeight,
          treatments,
        }),
        reading: variantReading(pair.control, pair.treatment),
      },
  );

  const current = countsIn(windows.currentSplit);
  const currentArms = concept.variants.map((variant) => current.get(variant.id) ?? none);
  const best = probabilityToBeBest(currentArms.map((c) => ({ visitors: c.visitors, conversions: c.signups })));
  const rangeCounts = countsIn(windows.perVariant.get(control.id) ?? windows.currentSplit);

  const variants = concept.variants.map((variant, index): VariantRow => {
    const window = windows.perVariant.get(variant.id) ?? windows.currentSplit;
    const counts = (variant.id === control.id ? rangeCounts : countsIn(window)).get(variant.id) ?? none;
    const comparison = comparisons[index];
    const baseline = countsIn(window).get(control.id) ?? none;
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
