/**
 * Verdicts: what the data supports, judged against the criteria the founder wrote down
 * before the test. Founders look every day, so decisions use always-valid (sequential)
 * intervals; a fixed-horizon p-value read before the planned sample size is a peek.
 */
import { type Counts, conversionRate, formatPercent } from "./analytics";
import type { SuccessCriteria } from "./concept";
import {
  type Arm,
  type LiftInterval,
  liftEstimate,
  relativeLiftInterval,
  requiredSampleSize,
  sequentialHalfWidth,
  sequentialLiftInterval,
  sequentialRateInterval,
  twoProportionZTest,
} from "./stats";

export type VerdictStatus = "validated" | "not validated" | "keep testing";

export interface Verdict {
  status: VerdictStatus;
  /** One sentence a founder can act on. */
  reason: string;
  /** While inconclusive: more visitors needed (per arm for a variant), and days at the current traffic. */
  visitorsNeeded?: number;
  daysNeeded?: number;
}

const MAX_VISITORS = 1e9;

/** The smallest n ≥ from for which `done(n)` holds, assuming it stays true once true. */
function smallestN(from: number, done: (n: number) => boolean): number {
  let high = Math.max(1, from);
  while (!done(high)) {
    high *= 2;
    if (high > MAX_VISITORS) return Number.POSITIVE_INFINITY;
  }
  let low = Math.max(1, from);
  if (done(low)) return low;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (done(mid)) high = mid;
    else low = mid;
  }
  return high;
}

function daysAt(visitorsNeeded: number, visitorsPerDay: number): number | undefined {
  if (!Number.isFinite(visitorsNeeded) || visitorsPerDay <= 0) return undefined;
  return Math.ceil(visitorsNeeded / visitorsPerDay);
}

/** Beyond this many days of traffic, waiting is not a plan: the founder should decide otherwise. */
const TOO_LONG_DAYS = 180;

function waitSentence(visitors: number, days: number | undefined, perArm = false): string {
  if (!Number.isFinite(visitors) || (days !== undefined && days > TOO_LONG_DAYS)) {
    return "too close to call with this traffic — more waiting will not settle it; decide on other evidence or change the offer";
  }
  const who = `${Math.ceil(visitors).toLocaleString("en")} more visitors${perArm ? " per variant" : ""}`;
  return days === undefined
    ? `about ${who} (no traffic in the last 7 days)`
    : `about ${who} (~${days} days at the current traffic)`;
}

export const formatLift = (lift: number) =>
  Number.isFinite(lift) ? `${lift >= 0 ? "+" : "−"}${formatPercent(Math.abs(lift), 0)}` : "+∞";

export function formatLiftInterval(interval: LiftInterval): string {
  return `${formatLift(interval.low)} to ${formatLift(interval.high)}`;
}

/**
 * A concept against its pre-registered criteria: validated once the minimum visitors and
 * signups are reached and the always-valid interval of its conversion clears the target;
 * not validated once even the interval's top is below the target, or the decision date
 * has passed; otherwise keep testing, with the traffic that would settle it.
 */
export function conceptVerdict({
  criteria,
  counts,
  visitorsPerDay,
  today,
}: {
  criteria: SuccessCriteria;
  counts: Counts;
  visitorsPerDay: number;
  /** YYYY-MM-DD, for the decision date. */
  today: string;
}): Verdict & { interval: { low: number; high: number } } {
  const target = criteria.minConversionPercent / 100;
  const tuning = criteria.minVisitors;
  const rate = conversionRate(counts);
  const interval = sequentialRateInterval(counts.signups, counts.visitors, { tuning });
  const range = `${formatPercent(interval.low)}–${formatPercent(interval.high)}`;
  const targetText = formatPercent(target, 1);

  if (counts.visitors >= criteria.minVisitors && counts.signups >= criteria.minSignups && interval.low >= target) {
    return {
      status: "validated",
      reason: `${counts.signups} signups from ${counts.visitors} visitors: conversion ${formatPercent(rate)} (always-valid interval ${range}) clears the ${targetText} target.`,
      interval,
    };
  }
  if (counts.visitors > 0 && interval.high < target) {
    return {
      status: "not validated",
      reason: `Conversion ${formatPercent(rate)} (always-valid interval ${range}): even the top of the interval is below the ${targetText} target.`,
      interval,
    };
  }
  if (criteria.decideBy && today > criteria.decideBy) {
    return {
      status: "not validated",
      reason: `The decision date ${criteria.decideBy} has passed without the criteria being met.`,
      interval,
    };
  }

  const forVisitors = criteria.minVisitors - counts.visitors;
  // Before the first signup, assume the target rate to estimate the traffic still needed.
  const expectedRate = rate > 0 ? rate : target;
  const forSignups = (criteria.minSignups - counts.signups) / expectedRate;
  const variance = rate > 0 && rate < 1 ? rate * (1 - rate) : target * (1 - target);
  const forPrecision =
    counts.visitors === 0
      ? 0
      : rate === target
        ? Number.POSITIVE_INFINITY
        : smallestN(counts.visitors, (n) => sequentialHalfWidth(variance, n, { tuning }) < Math.abs(rate - target)) -
          counts.visitors;
  const signupsMissing = counts.signups < criteria.minSignups;
  const needed = Math.max(0, forVisitors, signupsMissing ? forSignups : 0, forPrecision);
  const days = daysAt(needed, visitorsPerDay);
  // Name what holds the decision back: the step that needs the most traffic.
  const missing =
    counts.visitors === 0
      ? "No visitors yet"
      : forPrecision >= Math.max(forVisitors, signupsMissing ? forSignups : 0)
        ? `Conversion ${formatPercent(rate)} (always-valid interval ${range}) is not yet clearly above or below the ${targetText} target`
        : forVisitors >= (signupsMissing ? forSignups : 0)
          ? `${counts.visitors} of the ${criteria.minVisitors} visitors planned`
          : `${counts.signups} of the ${criteria.minSignups} signups needed`;
  return {
    status: "keep testing",
    reason: `${missing}: ${waitSentence(needed, days)}.`,
    visitorsNeeded: Number.isFinite(needed) ? Math.ceil(needed) : undefined,
    daysNeeded: days,
    interval,
  };
}

export interface VariantComparison extends Verdict {
  sequential: LiftInterval & { pValue: number };
  fixed: LiftInterval;
  /** Fixed-horizon two-proportion z-test p-value (before any multiple-comparison adjustment). */
  pValue: number;
  /** Visitors per arm planned to detect the minimum effect at α = 0.05, power 0.8. */
  plannedPerArm: number;
  /** True while the smaller arm is below the plan: a fixed-horizon result is then only a peek. */
  isPeek: boolean;
}

/**
 * A variant against its control. The plan (visitors per arm) comes from the criteria:
 * the target conversion as baseline and the minimum effect worth detecting. The decision
 * uses the always-valid lift interval tuned for that plan.
 */
export function variantVerdict({
  control,
  treatment,
  criteria,
  visitorsPerDay,
}: {
  control: Arm;
  treatment: Arm;
  criteria: SuccessCriteria;
  /** Visitors per day reaching the two arms together (last 7 days). */
  visitorsPerDay: number;
}): VariantComparison {
  const mde = criteria.minDetectableEffectPercent / 100;
  const plannedPerArm = requiredSampleSize({
    baselineRate: criteria.minConversionPercent / 100,
    minDetectableEffect: mde,
  });
  const tuning = Number.isFinite(plannedPerArm) ? 2 * plannedPerArm : 5000;
  const sequential = sequentialLiftInterval(control, treatment, { tuning });
  const fixed = relativeLiftInterval(control, treatment);
  const { pValue } = twoProportionZTest(control, treatment);
  const smaller = Math.min(control.visitors, treatment.visitors);
  const isPeek = smaller < plannedPerArm;
  const base = { sequential, fixed, pValue, plannedPerArm, isPeek };
  const interval = `always-valid interval ${formatLiftInterval(sequential)}`;

  if (sequential.low > 0) {
    return {
      ...base,
      status: "validated",
      reason: `Beats the control: lift ${formatLift(sequential.lift)} (${interval}).`,
    };
  }
  if (sequential.high < 0) {
    return {
      ...base,
      status: "not validated",
      reason: `Does worse than the control: lift ${formatLift(sequential.lift)} (${interval}).`,
    };
  }
  if (sequential.low > -mde && sequential.high < mde) {
    return {
      ...base,
      status: "not validated",
      reason: `No difference of ${formatPercent(mde, 0)} or more either way (${interval}): keep whichever is simpler.`,
    };
  }
  // The arm size at which an effect as large as the one seen would be told apart from
  // zero, if the variance keeps shrinking as 1/n: the per-observation variance stays 2·v₁.
  const estimate = liftEstimate(control, treatment);
  const unitVariance = estimate ? estimate.variance * smaller : Number.POSITIVE_INFINITY;
  const toSeparate =
    !estimate || estimate.lift === 0
      ? Number.POSITIVE_INFINITY
      : smallestN(smaller, (m) => sequentialHalfWidth(2 * unitVariance, 2 * m, { tuning }) < Math.abs(estimate.lift));
  const target = Math.max(Number.isFinite(plannedPerArm) ? plannedPerArm : 0, Math.min(toSeparate, MAX_VISITORS));
  const needed =
    Number.isFinite(toSeparate) || Number.isFinite(plannedPerArm)
      ? Math.max(0, target - smaller)
      : Number.POSITIVE_INFINITY;
  const days = daysAt(needed * 2, visitorsPerDay);
  return {
    ...base,
    status: "keep testing",
    reason: `Lift ${formatLift(sequential.lift)} (${interval}) is not settled: ${waitSentence(needed, days, true)}.`,
    visitorsNeeded: Number.isFinite(needed) ? Math.ceil(needed) : undefined,
    daysNeeded: days,
  };
}
