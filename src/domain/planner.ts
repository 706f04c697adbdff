/**
 * The feasibility planner: "with my traffic, how long until a verdict?", answered with
 * the rules the verdicts actually apply (verdict.ts), by exact first passage, before the
 * results are looked at. It offers:
 *
 * - `planTest`: the figures. For the idea, the days until the minimum criteria are met
 *   and until the idea rule calls it validated 8 times out of 10 if it truly converts at
 *   the target × (1 + minimum effect); for the variants, the days until the variant rule
 *   finds that minimum lift 8 times out of 10 at the configured split, and the smallest
 *   lift it finds by the decision date; when the test cannot conclude in time, the
 *   traffic that would, and the days with a single variant.
 * - `composePlan`: those figures for one concept from the gathered data, in sentences.
 *
 * Why a true rate of target × (1 + minimum effect) for the idea: an idea exactly at its
 * target is validated at most 2.5 % of the time (that is the rule's promise), so "how
 * long until validated" has no answer there; the minimum effect is the founder's own,
 * written before the test, smallest difference worth finding.
 *
 * Pure: counts, criteria and traffic come in as values, no clock (today is a day given).
 */

import { type Counts, formatPercent, sumCounts } from "./analytics";
import { addDays, daysBetween, EARLIEST_DAY } from "./calendar";
import type { Concept, Thresholds } from "./concept";
import {
  countsIn,
  type DayWindow,
  type ExperimentData,
  experimentWindows,
  visitorsPerDay as observedVisitorsPerDay,
} from "./experiment-report";
import { logGamma } from "./stats";
import { conceptVerdict, formatLift, PLANNED_POWER, signupsToCallBetter } from "./verdict";

/** Without a decision date, the planner asks what six months would give: beyond, waiting is not a plan (verdict.ts says the same). */
export const HORIZON_DAYS = 180;
/** The idea's first passage is followed for at most this many daily looks (about three years). */
const MAX_LOOKS = 1100;
/**
 * The idea's first passage follows at most this many expected signups (tens of
 * milliseconds): an idea test that needs more has a minimum effect too small to plan
 * for, and the planner says it is out of reach.
 */
const MAX_IDEA_SIGNUPS = 5_000;
/** The probability carried is followed within this many standard deviations of its mean. */
const SPREAD = 8;
/**
 * The search for the smallest detectable lift follows at most this many signups per
 * trial (about a tenth of a second each): a test with more traffic than that finds lifts
 * of a few percent, and the planner then says "this lift or smaller".
 */
const MAX_SEARCHED_SIGNUPS = 10_000;
/** The largest lift searched for: ×11. */
const MAX_LIFT = 10;

export interface PlanInput {
  criteria: Thresholds;
  /** The variants' weights, the control first. */
  weights: readonly number[];
  /** Visitors a day to the concept, all variants; 0 when there is no traffic to plan on. */
  visitorsPerDay: number;
  /**
   * Of those, the visitors a day of the split, the only traffic the variants' comparison
   * reads (a variant's own URL is not randomised); all of them when the traffic is assumed.
   */
  splitVisitorsPerDay: number;
  traffic: "observed" | "assumed";
  /** The idea's visitors and signups so far (the whole test). */
  soFar: Counts;
  /** Per treatment (in order, the control excluded): visitors of it and the control in its comparison window. */
  pairVisitorsSoFar: readonly number[];
  today: string;
}

export interface IdeaPlan {
  /** The true conversion the plan assumes: the target × (1 + minimum effect); undefined above 100 %. */
  rate: number | undefined;
  /** Days from today until the minimum visitors are reached and the minimum signups expected at `rate`. */
  daysToMinimums: number | undefined;
  /** Visitors in all by which the rule, read daily, has called the idea validated with ≥ 80 % probability. */
  visitors: number | undefined;
  /** That probability, exactly (≥ 0.8). */
  probability: number | undefined;
  /** Days from today until then. */
  days: number | undefined;
}

export interface VariantPlan {
  treatments: number;
  /** Visitors in all (every arm) by which the slowest treatment's minimum lift is found 8 times out of 10. */
  visitors: number | undefined;
  days: number | undefined;
  /** The smallest lift found 8 times out of 10 by the deadline, for the treatment with the least traffic. */
  smallestLift: number | undefined;
  /** True when the search stopped at its limit: the smallest lift is at most `smallestLift`. */
  smallestLiftAtMost: boolean;
  /** With more than one treatment: days for a test of a single variant, split evenly (a new test, from zero). */
  oneVariantDays: number | undefined;
}

export interface TestPlan {
  visitorsPerDay: number;
  traffic: "observed" | "assumed";
  /** The decision date, or the six-month horizon without one; `daysLeft` from today (0: today or passed). */
  deadline: { day: string; daysLeft: number; fromCriteria: boolean };
  idea: IdeaPlan;
  variants: VariantPlan | undefined;
  /** Days until the idea and every variant are planned to be decided; undefined when out of reach. */
  daysNeeded: number | undefined;
  inTime: boolean;
  /** When not in time: visitors a day that would conclude by the deadline (undefined once it has passed). */
  visitorsPerDayNeeded: number | undefined;
}

// ---------------------------------------------------------------------------------------
// The idea rule, by first passage over daily looks

/** The rule without its decision date: the planner compares the days with that date itself. */
const ruleOf = (criteria: Thresholds): Thresholds => {
  const { decideBy: _unused, ...rule } = criteria;
  return rule;
};

/** Binomial(n, p) probabilities within ±SPREAD SD of the mean, from `from` on. */
function binomialBand(n: number, p: number): { from: number; mass: Float64Array } {
  const sd = Math.sqrt(n * p * (1 - p));
  const from = Math.max(0, Math.floor(n * p - SPREAD * sd));
  const to = Math.min(n, Math.ceil(n * p + SPREAD * sd));
  const mass = new Float64Array(to - from + 1);
  const logN = logGamma(n + 1);
  for (let k = from; k <= to; k++) {
    mass[k - from] = Math.exp(
      logN - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p),
    );
  }
  return { from, mass };
}

const ideaPlans = new Map<string, { visitors: number; probability: number } | undefined>();

/**
 * The visitors by which the idea rule (conceptVerdict, as the page applies it) has called
 * an idea that truly converts at `rate` validated, with probability `power`, when it is
 * read once a day after `perDay` more visitors; undefined beyond `maxVisitors` or
 * MAX_LOOKS looks. Exact: the distribution of the signups is carried day by day (a
 * convolution with the day's binomial), and the mass where the rule calls "validated" is
 * taken out and added up. Memoised on its inputs.
 */
export function visitorsToValidate(
  criteria: Thresholds,
  rate: number,
  perDay: number,
  maxVisitors = Number.POSITIVE_INFINITY,
  power = PLANNED_POWER,
): { visitors: number; probability: number } | undefined {
  const step = Math.max(1, Math.round(perDay));
  const key = `${criteria.minVisitors}|${criteria.minSignups}|${criteria.minConversionPercent}|${rate}|${step}|${maxVisitors}|${power}`;
  if (ideaPlans.has(key)) return ideaPlans.get(key);
  const plan = firstPassageOfIdea(ruleOf(criteria), rate, step, Math.min(maxVisitors, MAX_IDEA_SIGNUPS / rate), power);
  if (ideaPlans.size > 512) ideaPlans.clear();
  ideaPlans.set(key, plan);
  return plan;
}

function firstPassageOfIdea(
  rule: Thresholds,
  rate: number,
  step: number,
  maxVisitors: number,
  power: number,
): { visitors: number; probability: number } | undefined {
  if (!(rate > 0 && rate < 1)) return undefined;
  const target = rule.minConversionPercent / 100;
  const validated = (visitors: number, signups: number) =>
    conceptVerdict({ criteria: rule, counts: { visitors, signups }, visitorsPerDay: 0, today: EARLIEST_DAY }).status ===
    "validated";
  const day = binomialBand(step, rate);
  let from = 0;
  let mass = Float64Array.of(1);
  let called = 0;
  // The fewest signups the rule validates at this many visitors (or one above the band).
  let boundary = 0;
  for (let look = 1; look <= MAX_LOOKS && look * step <= maxVisitors; look++) {
    const visitors = look * step;
    const next = new Float64Array(mass.length + day.mass.length - 1);
    for (let i = 0; i < mass.length; i++) {
      const m = mass[i] ?? 0;
      if (m === 0) continue;
      for (let j = 0; j < day.mass.length; j++) next[i + j] = (next[i + j] ?? 0) + m * (day.mass[j] ?? 0);
    }
    // Keep ±SPREAD SD of the mean: beyond, the mass is below 1e-15.
    const sd = Math.sqrt(visitors * rate * (1 - rate));
    const low = Math.max(from + day.from, Math.floor(visitors * rate - SPREAD * sd));
    const high = Math.min(from + day.from + next.length - 1, Math.ceil(visitors * rate + SPREAD * sd));
    mass = next.slice(low - from - day.from, high - from - day.from + 1);
    from = low;
    if (visitors >= rule.minVisitors) {
      // Below the target's count, or the minimum signups, nothing validates.
      const lowest = Math.max(rule.minSignups, Math.floor(visitors * target) + 1);
      boundary = Math.max(boundary, lowest);
      while (boundary - 1 >= lowest && validated(visitors, boundary - 1)) boundary--;
      while (boundary <= high && !validated(visitors, boundary)) boundary++;
      for (let s = Math.max(boundary, from); s <= high; s++) {
        called += mass[s - from] ?? 0;
        mass[s - from] = 0;
      }
    }
    if (called >= power) return { visitors, probability: called };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// The variant rule

interface Pair {
  /** The treatment's share of the pair's visitors. */
  share: number;
  /** The pair's share of all the concept's visitors. */
  ofTraffic: number;
}

function pairsOf(weights: readonly number[]): Pair[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const [control = 1, ...treatments] = weights;
  return treatments.map((weight) => ({ share: weight / (control + weight), ofTraffic: (control + weight) / total }));
}

/** Visitors of a pair whose `signups` come from a control at `rate` and a treatment at (1 + lift) × it. */
const pairVisitorsFor = (signups: number, rate: number, lift: number, share: number) =>
  signups / (rate * (1 + share * lift));

const pairPlans = new Map<string, number | undefined>();

/** The pair's visitors at which the rule finds `lift` 8 times out of 10 (per-signup looks, as the plan); memoised. */
function pairVisitorsToCall(pair: Pair, rate: number, lift: number, mde: number, treatments: number) {
  const key = `${pair.share}|${rate}|${lift}|${mde}|${treatments}`;
  if (!pairPlans.has(key)) {
    const signups = signupsToCallBetter({ share: pair.share, lift, mde, treatments });
    if (pairPlans.size > 512) pairPlans.clear();
    pairPlans.set(key, signups === undefined ? undefined : pairVisitorsFor(signups, rate, lift, pair.share));
  }
  return pairPlans.get(key);
}

const smallestLifts = new Map<string, { lift: number; atMost: boolean } | undefined>();

/**
 * The smallest true lift the variant rule finds 8 times out of 10 within `pairVisitors`
 * visitors of the pair, by bisection on the ratio of the rates (the rule's prior stays
 * the founder's minimum effect: the rule does not change with the lift sought). The
 * visitors are rounded to two significant digits, so that a page read every minute finds
 * its answer memoised.
 */
function smallestDetectableLift(
  pair: Pair,
  rate: number,
  pairVisitors: number,
  mde: number,
  treatments: number,
): { lift: number; atMost: boolean } | undefined {
  if (!(pairVisitors >= 1)) return undefined;
  const visitors = roundTwoDigits(pairVisitors);
  const key = `${pair.share}|${rate}|${visitors}|${mde}|${treatments}`;
  if (smallestLifts.has(key)) return smallestLifts.get(key);
  const budget = (lift: number) => Math.floor(visitors * rate * (1 + pair.share * lift));
  const finds = (lift: number) =>
    signupsToCallBetter({
      share: pair.share,
      lift,
      mde,
      treatments,
      maxSignups: Math.min(MAX_SEARCHED_SIGNUPS, budget(lift)),
    }) !== undefined;
  const top = Math.min(MAX_LIFT, 1 / rate - 1);
  let result: { lift: number; atMost: boolean } | undefined;
  if (top > 0 && finds(top)) {
    // Bisection on ln(1 + lift): 14 halvings give the ratio within 0.1 %.
    let low = 0;
    let high = Math.log1p(top);
    for (let i = 0; i < 14; i++) {
      const middle = (low + high) / 2;
      if (finds(Math.expm1(middle))) high = middle;
      else low = middle;
    }
    const lift = Math.expm1(high);
    result = { lift, atMost: budget(lift) > MAX_SEARCHED_SIGNUPS };
  }
  if (smallestLifts.size > 512) smallestLifts.clear();
  smallestLifts.set(key, result);
  return result;
}

/** 1234 → 1200, 0.4 → 0.4: a traffic figure as precise as a founder's traffic is. */
function roundTwoDigits(n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) return n;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

const daysFor = (visitors: number, perDay: number) =>
  perDay > 0 ? Math.max(0, Math.ceil(visitors / perDay)) : undefined;

// ---------------------------------------------------------------------------------------
// The plan

export function planTest(input: PlanInput): TestPlan {
  const { criteria, soFar, today } = input;
  const perDay = input.visitorsPerDay > 0 ? roundTwoDigits(input.visitorsPerDay) : 0;
  const splitPerDay = input.splitVisitorsPerDay > 0 ? roundTwoDigits(input.splitVisitorsPerDay) : 0;
  const target = criteria.minConversionPercent / 100;
  const mde = criteria.minDetectableEffectPercent / 100;
  const deadlineDay = criteria.decideBy ?? addDays(today, HORIZON_DAYS);
  const daysLeft = Math.max(0, daysBetween(today, deadlineDay));
  const deadline = { day: deadlineDay, daysLeft, fromCriteria: criteria.decideBy !== undefined };

  // The idea.
  const rate = target * (1 + mde) < 1 ? target * (1 + mde) : undefined;
  const validation = rate === undefined || perDay === 0 ? undefined : visitorsToValidate(criteria, rate, perDay);
  const minimums =
    rate === undefined
      ? undefined
      : Math.max(criteria.minVisitors - soFar.visitors, (criteria.minSignups - soFar.signups) / rate, 0);
  const idea: IdeaPlan = {
    rate,
    daysToMinimums: minimums === undefined ? undefined : daysFor(minimums, perDay),
    visitors: validation?.visitors,
    probability: validation?.probability,
    days: validation && daysFor(validation.visitors - soFar.visitors, perDay),
  };

  // The variants: each treatment against the control, at the configured split.
  const pairs = pairsOf(input.weights);
  const treatments = pairs.length;
  let variants: VariantPlan | undefined;
  let pairTrafficNeeded = 0;
  if (treatments > 0) {
    // The slowest treatment sets the visitors and days; the one with the least traffic, the smallest lift.
    let visitors: number | undefined = 0;
    let days: number | undefined = 0;
    let smallest: { lift: number; atMost: boolean } | undefined = { lift: 0, atMost: false };
    for (const [index, pair] of pairs.entries()) {
      const soFarInPair = input.pairVisitorsSoFar[index] ?? 0;
      const needed = pairVisitorsToCall(pair, target, mde, mde, treatments);
      if (needed === undefined) {
        visitors = undefined;
        days = undefined;
      } else {
        if (visitors !== undefined) visitors = Math.max(visitors, Math.ceil(needed / pair.ofTraffic));
        const more = daysFor(needed - soFarInPair, splitPerDay * pair.ofTraffic);
        days = more === undefined || days === undefined ? undefined : Math.max(days, more);
        // In visitors a day to the concept: the split's share of its traffic stays as it is.
        const splitShare = perDay > 0 && splitPerDay > 0 ? splitPerDay / perDay : 1;
        if (daysLeft > 0)
          pairTrafficNeeded = Math.max(
            pairTrafficNeeded,
            (needed - soFarInPair) / (daysLeft * pair.ofTraffic * splitShare),
          );
      }
      const available = soFarInPair + splitPerDay * pair.ofTraffic * daysLeft;
      const found = smallestDetectableLift(pair, target, available, mde, treatments);
      smallest =
        found === undefined || smallest === undefined ? undefined : found.lift > smallest.lift ? found : smallest;
    }
    const single = treatments > 1 ? pairVisitorsToCall({ share: 0.5, ofTraffic: 1 }, target, mde, mde, 1) : undefined;
    variants = {
      treatments,
      visitors,
      days,
      smallestLift: smallest?.lift,
      smallestLiftAtMost: smallest?.atMost ?? false,
      oneVariantDays: single === undefined ? undefined : daysFor(single, splitPerDay),
    };
  }

  const parts = [idea.days, ...(variants ? [variants.days] : [])];
  const daysNeeded = parts.some((part) => part === undefined) ? undefined : Math.max(...parts.map((part) => part ?? 0));
  const inTime = daysNeeded !== undefined && daysNeeded <= daysLeft;
  return {
    visitorsPerDay: perDay,
    traffic: input.traffic,
    deadline,
    idea,
    variants,
    daysNeeded,
    inTime,
    visitorsPerDayNeeded:
      inTime || daysLeft === 0 ? undefined : trafficToConclude(criteria, rate, soFar, daysLeft, pairTrafficNeeded),
  };
}

/**
 * The visitors a day that would decide the idea (and the variants, `pairTraffic` a day)
 * by the deadline: the smallest traffic whose first passage, from the visitors so far,
 * ends within the days left, by bisection on a logarithmic scale. It plans as if the whole
 * test had run at that traffic (the daily looks are what changes with it).
 */
function trafficToConclude(
  criteria: Thresholds,
  rate: number | undefined,
  soFar: Counts,
  daysLeft: number,
  pairTraffic: number,
): number | undefined {
  if (rate === undefined) return undefined;
  const concludes = (perDay: number) =>
    visitorsToValidate(criteria, rate, perDay, soFar.visitors + perDay * daysLeft) !== undefined;
  // Beyond the first passage's reach in a single day, no traffic concludes in time.
  const most = MAX_IDEA_SIGNUPS / rate;
  let high = Math.max(1, pairTraffic);
  while (high < most && !concludes(high)) high *= 4;
  if (!concludes(high)) return undefined;
  let low = high / 4;
  if (low >= 1 && concludes(low)) return roundUpTwoDigits(Math.max(low, pairTraffic));
  low = Math.min(low, 1);
  while (high / low > 1.05) {
    const middle = Math.sqrt(low * high);
    if (concludes(middle)) high = middle;
    else low = middle;
  }
  return roundUpTwoDigits(Math.max(high, pairTraffic));
}

/** 1234 → 1300: a traffic that is enough, as a founder would say it. */
function roundUpTwoDigits(n: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

// ---------------------------------------------------------------------------------------
// One concept's plan, in words

export interface ConceptPlan {
  figures: TestPlan;
  /** One sentence: when the test can conclude, or that it cannot before its deadline. */
  summary: string;
  /** The plan's steps, as printed: the idea's minimums and validation, the variants. */
  lines: { label: string; text: string }[];
  /** When the test cannot conclude in time: what would change that. */
  changes: string[];
}

const count = (n: number) => Math.ceil(n).toLocaleString("en");
const daysText = (days: number) => `${count(days)} day${days === 1 ? "" : "s"}`;
const OUT_OF_REACH = "out of reach at this traffic (more than three years of daily looks, or 5,000 signups)";
const inDays = (days: number | undefined, today: string) =>
  days === undefined
    ? OUT_OF_REACH
    : days === 0
      ? "reached"
      : `in about ${daysText(days)} (around ${addDays(today, days)})`;

/**
 * The plan of `concept` from the data its page gathered: traffic observed over the last 7
 * days, unless `assumedVisitorsPerDay` replaces it (the command's --visitors-per-day,
 * before a concept has traffic).
 */
export function composePlan(
  concept: Concept,
  data: ExperimentData,
  /** Today, and the window the verdict reads (verdictWindow: the test's start to its last day). */
  period: { today: string; testWindow: DayWindow },
  assumedVisitorsPerDay?: number,
): ConceptPlan {
  const { today, testWindow } = period;
  const criteria = concept.successCriteria;
  const windows = experimentWindows(concept, data.epochs, testWindow);
  const [control] = concept.variants;
  const pairVisitorsSoFar = concept.variants.slice(1).map((variant) => {
    // The comparison's own visitors: the split's.
    const counts = countsIn(data.split, windows.perVariant.get(variant.id) ?? windows.currentSplit);
    return (counts.get(variant.id)?.visitors ?? 0) + (control ? (counts.get(control.id)?.visitors ?? 0) : 0);
  });
  const figures = planTest({
    criteria,
    weights: concept.variants.map((variant) => variant.weight),
    visitorsPerDay: assumedVisitorsPerDay ?? observedVisitorsPerDay(data.counts, today),
    splitVisitorsPerDay: assumedVisitorsPerDay ?? observedVisitorsPerDay(data.split, today),
    traffic: assumedVisitorsPerDay === undefined ? "observed" : "assumed",
    soFar: sumCounts(countsIn(data.counts, testWindow).values()),
    pairVisitorsSoFar,
    today,
  });
  return { figures, ...describePlan(figures, criteria, today, concept.status) };
}

/** The plan in sentences; every figure printed comes from `plan`. */
export function describePlan(
  plan: TestPlan,
  criteria: Thresholds,
  today: string,
  status: Concept["status"] = "live",
): Omit<ConceptPlan, "figures"> {
  const { idea, variants, deadline } = plan;
  const mdeText = formatLift(criteria.minDetectableEffectPercent / 100);
  const traffic =
    plan.visitorsPerDay === 0
      ? undefined
      : `${count(plan.visitorsPerDay)} visitors a day (${plan.traffic === "observed" ? "the last 7 days" : "assumed"})`;
  const by = deadline.fromCriteria
    ? `its decision date, ${deadline.day}`
    : `six months from today, ${deadline.day} (no decideBy set)`;

  const lines: ConceptPlan["lines"] = [];
  lines.push({
    label: "Minimum criteria",
    text:
      idea.rate === undefined
        ? "no conversion above the target is possible"
        : `${count(criteria.minVisitors)} visitors and ${count(criteria.minSignups)} signups: ${traffic ? inDays(idea.daysToMinimums, today) : "no traffic to count days on"}`,
  });
  lines.push({
    label: "Idea validated",
    text:
      idea.rate === undefined
        ? `a conversion of the target × (1 ${mdeText}) would be above 100 %: nothing to plan for`
        : idea.visitors === undefined
          ? traffic
            ? `if it truly converts at ${formatPercent(idea.rate)} (the target ${mdeText}): ${OUT_OF_REACH}`
            : `no traffic to count days on`
          : `if it truly converts at ${formatPercent(idea.rate)} (the target ${mdeText}), the rule read daily calls it validated 8 times out of 10 by ${count(idea.visitors)} visitors in all: ${inDays(idea.days, today)}`,
  });
  if (variants) {
    const per = variants.treatments === 1 ? "the variant" : `each of the ${variants.treatments} variants`;
    lines.push({
      label: "Variants",
      text:
        variants.visitors === undefined
          ? `a ${mdeText} lift cannot be planned for at a ${criteria.minConversionPercent} % conversion (more than 100,000 signups): test a bolder change`
          : `the variant rule finds a ${mdeText} lift of ${per} 8 times out of 10 by ${count(variants.visitors)} visitors in all at the current split: ${traffic ? inDays(variants.days, today) : "no traffic to count days on"}`,
    });
    lines.push({
      label: deadline.fromCriteria ? `By ${deadline.day}` : "Within six months",
      text:
        variants.smallestLift === undefined
          ? "no lift can be found with the traffic expected by then"
          : `the smallest lift found 8 times out of 10 is ${formatLift(variants.smallestLift)}${variants.smallestLiftAtMost ? " or less" : ""} (you planned for ${mdeText})`,
    });
  }

  const changes: string[] = [];
  const left = `${deadline.daysLeft === 1 ? "1 day is" : `${count(deadline.daysLeft)} days are`} left`;
  let summary: string;
  if (!traffic) {
    summary = `No visitors in the last 7 days: no days to count.${plan.visitorsPerDayNeeded ? ` About ${count(plan.visitorsPerDayNeeded)} visitors a day would conclude by ${by}.` : ""}`;
  } else if (plan.inTime) {
    summary =
      plan.daysNeeded === 0
        ? `At ${traffic}, the test has the traffic it planned for, before ${by}: the verdict says whether the evidence is there.`
        : `At ${traffic}, the test can conclude in about ${daysText(plan.daysNeeded ?? 0)}, before ${by}: ${left}.`;
  } else if (deadline.daysLeft === 0) {
    summary = `The test cannot conclude before ${by}: that day has come.`;
  } else {
    const needs =
      plan.daysNeeded === undefined ? "is out of reach at this traffic" : `needs about ${daysText(plan.daysNeeded)}`;
    summary = `At ${traffic}, this test cannot conclude before ${by}: it ${needs}, and ${left}.`;
  }
  // The traffic of a paused or ended concept brings no signup: its days are not days of the test.
  if (status !== "live") summary = `The concept is ${status}: no signup comes in until it is live again. ${summary}`;
  if (!plan.inTime && deadline.daysLeft > 0) {
    if (plan.visitorsPerDayNeeded !== undefined && traffic) {
      changes.push(
        `More traffic: about ${count(plan.visitorsPerDayNeeded)} visitors a day (${(plan.visitorsPerDayNeeded / plan.visitorsPerDay).toFixed(1)}× now).`,
      );
    }
    if (variants && variants.treatments > 1 && variants.oneVariantDays !== undefined) {
      changes.push(
        `Fewer variants: a test of one variant against the control, split evenly, needs about ${daysText(variants.oneVariantDays)} (a new test, from zero).`,
      );
    }
    if (variants?.smallestLift !== undefined) {
      changes.push(
        `A bigger effect: by then the rule finds a lift of ${formatLift(variants.smallestLift)}${variants.smallestLiftAtMost ? " or less" : ""} 8 times out of 10; only a bolder change than ${mdeText} can be told apart in time.`,
      );
    }
  }
  return { summary, lines, changes };
}
