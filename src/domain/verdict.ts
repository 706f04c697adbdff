/**
 * Verdicts: what the data supports, judged against the criteria the founder wrote down
 * before the test. Founders look every day, so both rules are built to stay valid however
 * often the verdict is read, at any sample size, on a beta-binomial mixture martingale
 * (stats.ts). Each wrong call is kept under 2.5 %:
 *
 * - an idea against its target: a 97.5 % always-valid interval of its conversion (both
 *   wrong calls together stay under 2.5 %: at low rates the two tails are not alike);
 * - a variant against the control: the same test on *which arm each signup came from*.
 *   With visitors split at random in proportion w, a signup is from the treatment with
 *   probability w·RR / (w·RR + 1 − w), RR = p_T / p_C; under "no difference" that is w
 *   whatever the conversion rate. So the test reads the relative lift, is defined with
 *   zero signups in an arm, and is symmetric in its two errors: a 95 % always-valid
 *   interval, at 1 − 5 %/k for k treatments compared with the control (Bonferroni).
 *   It is not exact: the null share and the prior use the *observed* visitor share, not
 *   the designed split, so the evidence is not formally a martingale. The guarantee is
 *   empirical: in seeded A/A simulations with daily looks the worst case found was
 *   1.51 % per direction (2 % conversion, 1,000 visitors a day, 365 days, 10,000 runs)
 *   and 2.18 % for any call among 3 treatments (5,000 runs) — under the bounds, but
 *   measured, not proved. The idea rule, against a fixed target, is exact.
 *
 * Pure and cheap (no Monte Carlo): a verdict costs a few microseconds.
 */
import { type Counts, formatPercent } from "./analytics";
import type { Thresholds } from "./concept";
import { type Arm, type BetaDistribution, type Interval, mixtureInterval, mixtureLogEvidence } from "./stats";

export type VerdictStatus = "validated" | "not validated" | "keep testing";

export interface Verdict {
  status: VerdictStatus;
  /** One sentence a founder can act on. */
  reason: string;
  /** While inconclusive: more visitors needed (per arm for a variant), and days at the current traffic. */
  visitorsNeeded?: number;
  daysNeeded?: number;
}

/** The chance of a wrong call that a founder accepts: 5 %, split evenly between the two directions. */
export const ALPHA = 0.05;
/** Before "not validated": at least this many signups expected at the target (PostHog asks n·p > 5). */
export const MIN_EXPECTED_SIGNUPS = 5;
/** Beyond this many days of traffic, waiting is not a plan: the founder should decide otherwise. */
const TOO_LONG_DAYS = 180;
/** Beyond this, a traffic estimate means "never". */
const MAX_VISITORS = 1e9;
/** The power the plan before a test is sized for. */
export const PLANNED_POWER = 0.8;

/** 12345.2 → "12,346" (toLocaleString costs more than the rest of a verdict). */
const visitorsText = (n: number) => String(Math.ceil(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

function daysAt(visitors: number, visitorsPerDay: number): number | undefined {
  if (!Number.isFinite(visitors) || !(visitorsPerDay > 0)) return undefined;
  return Math.ceil(visitors / visitorsPerDay);
}

/** How long the wait is, in words; "more waiting will not settle it" only beyond six months of traffic. */
function waitSentence(visitors: number | undefined, days: number | undefined, perArm = false): string {
  if (visitors === undefined || (days !== undefined && days > TOO_LONG_DAYS)) {
    const more =
      visitors === undefined ? "" : ` (about ${visitorsText(visitors)} more visitors${perArm ? " per variant" : ""})`;
    return `too close to call with this traffic${more} — more waiting will not settle it; decide on other evidence or change the offer`;
  }
  const who = `${visitorsText(visitors)} more visitor${Math.ceil(visitors) === 1 ? "" : "s"}${perArm ? " per variant" : ""}`;
  return days === undefined
    ? `about ${who} (no traffic in the last 7 days)`
    : `about ${who} (~${days} day${days === 1 ? "" : "s"} at the current traffic)`;
}

/**
 * The sample n ≥ from at which data arriving at `rate` would give the rule's evidence
 * against `nullRate`; Infinity beyond MAX_VISITORS. Closed form first: the normal-mixture
 * approximation E(n) = n²·D/(n + w) − ½·ln(1 + n/w) = threshold (D the Kullback–Leibler
 * divergence, w the prior's weight), then two Newton corrections on the exact evidence —
 * close enough for "about N more visitors" (tested: with the rates unchanged the rule
 * decides by 1.15·N more, not at 0.75·N), at the cost of two evaluations.
 */
function sampleToExclude(
  from: number,
  rate: number,
  nullRate: number,
  prior: BetaDistribution,
  threshold: number,
): number {
  const divergence = xLogY(rate, rate / nullRate) + xLogY(1 - rate, (1 - rate) / (1 - nullRate));
  if (!(divergence > 0)) return Number.POSITIVE_INFINITY;
  const w = prior.alpha + prior.beta;
  const slope = (n: number) => (divergence * n * (n + 2 * w)) / (n + w) ** 2 - 0.5 / (n + w);
  let n = threshold / divergence;
  for (let i = 0; i < 6; i++) n = ((threshold + 0.5 * Math.log1p(n / w)) * (n + w)) / (n * divergence);
  for (let i = 0; i < 2 && n < MAX_VISITORS; i++) {
    const gap = threshold - mixtureLogEvidence(rate * n, (1 - rate) * n, nullRate, prior);
    n = Math.max(n / 2, n + gap / Math.max(slope(n), divergence / 2));
  }
  return n > MAX_VISITORS ? Number.POSITIVE_INFINITY : Math.max(from, n);
}

const xLogY = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/** True when any count is negative, not a number, or signups exceed visitors: the counting is broken. */
const inconsistent = (visitors: number, signups: number) =>
  !(Number.isFinite(visitors) && Number.isFinite(signups) && visitors >= 0 && signups >= 0 && signups <= visitors);

const INCONSISTENT_REASON =
  "more signups than visitors (or a count that is not a number): the counting is broken — check the tracking before reading any verdict";

// ---------------------------------------------------------------------------------------
// An idea against its target

/**
 * The mixture's prior: centred on the target, worth a tenth of the planned visitors. A
 * normal mixture of precision ρ² is tightest at n ≈ (2·ln(1/α) + ln(1 + 2·ln(1/α)))/ρ²,
 * about 9.5/ρ² at α = 2.5 % (Howard et al. 2021; the tuning GrowthBook uses), so the
 * rule is sharpest around the sample the founder planned.
 */
function conceptPrior(target: number, minVisitors: number): BetaDistribution {
  const weight = Math.max(2, minVisitors / 10);
  const centre = Math.min(0.999, Math.max(0.001, target));
  return { alpha: centre * weight, beta: (1 - centre) * weight };
}

export interface ConceptVerdict extends Verdict {
  /** The 97.5 % always-valid interval of the conversion rate, the one the verdict uses. */
  interval: Interval;
  /**
   * What a decision rests on: "evidence" (the interval cleared or fell below the target,
   * the call the 2.5 % bound covers) or "deadline" (`decideBy` passed with the evidence
   * still inconclusive: no failure was measured, the founder's own date ended the test).
   * Absent while the verdict is "keep testing".
   */
  basis?: "evidence" | "deadline";
}

/**
 * A concept against its pre-registered criteria: validated once the minimum visitors and
 * signups are reached and the always-valid interval of its conversion is above the
 * target; not validated once the interval is below the target with at least 5 signups
 * expected at the target (basis "evidence"), or once the decision date has passed with the
 * evidence still inconclusive (basis "deadline": the test ran out of time, it did not
 * fail — an idea exactly at its target gets this with certainty, so the 2.5 % bound
 * covers only the evidence); otherwise keep testing, with the traffic that would settle
 * it if the conversion stays where it is.
 */
export function conceptVerdict({
  criteria,
  counts,
  visitorsPerDay,
  today,
}: {
  criteria: Thresholds;
  counts: Counts;
  visitorsPerDay: number;
  /** YYYY-MM-DD, for the decision date. */
  today: string;
}): ConceptVerdict {
  const target = criteria.minConversionPercent / 100;
  const targetText = formatPercent(target, 1);
  const { visitors, signups } = counts;
  if (inconsistent(visitors, signups)) {
    return {
      status: "keep testing",
      reason: `${countText(visitors)} visitors and ${countText(signups)} signups: ${INCONSISTENT_REASON}.`,
      interval: { low: 0, high: 1 },
    };
  }
  const prior = conceptPrior(target, criteria.minVisitors);
  const threshold = Math.log(2 / ALPHA);
  const interval = mixtureInterval(signups, visitors - signups, prior, ALPHA / 2);
  const rate = visitors > 0 ? signups / visitors : 0;
  const described = `conversion ${formatPercent(rate)} (always-valid interval ${formatPercent(interval.low)}–${formatPercent(interval.high)})`;
  const enoughToRuleOut = visitors * target >= MIN_EXPECTED_SIGNUPS;

  if (visitors >= criteria.minVisitors && signups >= criteria.minSignups && interval.low > target) {
    return {
      status: "validated",
      // Count-free like the other outcomes: the page and the decision log state the figures beside it.
      reason: `${capitalise(described)} clears the ${targetText} target.`,
      interval,
      basis: "evidence",
    };
  }
  if (interval.high < target && enoughToRuleOut) {
    return {
      status: "not validated",
      reason: `${capitalise(described)}: even the top of the interval is below the ${targetText} target.`,
      interval,
      basis: "evidence",
    };
  }
  if (criteria.decideBy && today > criteria.decideBy) {
    return {
      status: "not validated",
      reason: `The decision date ${criteria.decideBy} has passed before the evidence settled it: ${described} against the ${targetText} target. This is not a measured failure — the test ran out of time; extend the date or decide on other evidence.`,
      interval,
      basis: "deadline",
    };
  }

  // What the rule still needs if the conversion stays at its estimate, with one visitor's
  // worth at the target added so that 0 signups in 40 visitors is not read as a rate of 0.
  const estimate = (signups + target) / (visitors + 1);
  const below = estimate < target;
  const separated = interval.high < target || interval.low > target;
  const forEvidence =
    visitors === 0 || separated ? 0 : sampleToExclude(visitors, estimate, target, prior, threshold) - visitors;
  const forGuard = below ? MIN_EXPECTED_SIGNUPS / target - visitors : 0;
  const forVisitors = below ? 0 : criteria.minVisitors - visitors;
  const forSignups = below ? 0 : (criteria.minSignups - signups) / Math.max(estimate, target / 2);
  const needed = Math.max(0, forEvidence, forGuard, forVisitors, forSignups);
  const finite = Number.isFinite(needed) ? Math.ceil(needed) : undefined;
  const days = finite === undefined ? undefined : daysAt(finite, visitorsPerDay);
  // Name what holds the decision back: the step that needs the most traffic.
  const missing =
    visitors === 0
      ? "No visitors yet"
      : needed === forEvidence || !Number.isFinite(needed)
        ? `${capitalise(described)} is not yet clearly above or below the ${targetText} target`
        : needed === forGuard
          ? `${capitalise(described)} after ${visitors} visitors: too few to rule the idea out (fewer than ${MIN_EXPECTED_SIGNUPS} signups expected at the ${targetText} target)`
          : needed === forVisitors
            ? `${visitors} of the ${criteria.minVisitors} visitors planned`
            : `${signups} of the ${criteria.minSignups} signups needed`;
  const result: ConceptVerdict = {
    status: "keep testing",
    reason: `${missing}: ${waitSentence(finite, days)}.`,
    interval,
  };
  if (finite !== undefined) result.visitorsNeeded = finite;
  if (days !== undefined) result.daysNeeded = days;
  return result;
}

/** A count as text, "not a number" for NaN: no "NaN" reaches a founder. */
const countText = (n: number) => (Number.isNaN(n) ? "not a number" : String(n));

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------------------------------------------------------------------------------------
// A variant against the control

export type VariantOutcome = "better" | "worse" | "equivalent" | "undecided";

/**
 * How a verdict reads in a badge or a line: a variant's "equivalent" is named, not shown as
 * "not validated"; an idea stopped by its decision date says so, as it is no measured failure.
 */
export function verdictLabel(verdict: {
  status: VerdictStatus;
  outcome?: VariantOutcome | undefined;
  basis?: "evidence" | "deadline" | undefined;
}): string {
  if (verdict.outcome === "equivalent") return "equivalent";
  if (verdict.basis === "deadline") return `${verdict.status} (deadline)`;
  return verdict.status;
}

export interface VariantComparison extends Verdict {
  outcome: VariantOutcome;
  /** Observed relative lift, treatment ÷ control − 1; undefined while the control has no signup. */
  lift: number | undefined;
  /** The always-valid interval of the lift the verdict uses; `high` is Infinity while the control has no signup. */
  interval: Interval;
  /** Its confidence: 1 − 5 % / treatments, e.g. 0.95 for one treatment. */
  confidence: number;
  /**
   * Always-valid p-value of "no difference", adjusted for the number of treatments
   * (Bonferroni): the verdict calls a winner or a loser when it is below 5 %.
   */
  pValue: number;
  /**
   * Visitors per arm at which this rule has 80 % power for the minimum effect; undefined if no
   * such effect exists, or if it would take more than 100,000 signups.
   */
  plannedPerArm: number | undefined;
}

/** The share of the signups from the treatment when its rate is (1 + lift) × the control's, for a treatment share w of visitors. */
const signupShare = (lift: number, w: number) => (w * (1 + lift)) / (w * (1 + lift) + 1 - w);
const liftOfShare = (share: number, w: number) =>
  share >= 1 ? Number.POSITIVE_INFINITY : (share * (1 - w)) / (w * (1 - share)) - 1;

/**
 * The mixture's prior on the treatment's share of the signups: centred on no difference,
 * with a spread equal to the minimum effect, so that the rule is sharpest for effects of
 * the size the founder cares about.
 */
function variantPrior(w: number, mde: number): BetaDistribution {
  const spread = signupShare(mde, w) - w;
  const weight = (w * (1 - w)) / (spread * spread);
  return { alpha: w * weight, beta: (1 - w) * weight };
}

/**
 * The evidence needed for a call, with k treatments: ln(k/α), a 1 − α/k always-valid
 * interval, so that the chance of any wrong call over all treatments is at most α. With
 * an even split the test is symmetric (the prior too), so each direction gets half: under
 * no difference, P(ever "better") = P(ever "worse") ≤ α/2k.
 */
const thresholdFor = (treatments: number) => Math.log(treatments / ALPHA);

const plans = new Map<string, number | undefined>();

/**
 * Visitors per arm at which the rule itself (not a fixed-horizon test) calls a variant
 * with the minimum lift a winner with 80 % probability, at the target conversion, with an
 * even split. Memoised: it depends on the criteria only.
 */
export function plannedVisitorsPerArm(target: number, mde: number, treatments = 1): number | undefined {
  const key = `${target}|${mde}|${treatments}`;
  if (plans.has(key)) return plans.get(key);
  const plan = computePlan(target, mde, treatments);
  if (plans.size > 256) plans.clear();
  plans.set(key, plan);
  return plan;
}

/** Beyond this many signups in all (a second of work), a plan means "never": no plan is given. */
const MAX_PLANNED_SIGNUPS = 100_000;
/** The treatment's signup count is followed within this many standard deviations of its mean. */
const SPREAD_FOLLOWED = 8;

/**
 * The plan, by first passage over the signups, exactly (no normal approximation): the
 * rule may call the winner at any signup, not only at the last, so the plan is the first
 * K at which it has *ever* called it with probability 0.8. K signups in all come from
 * K / (target·(2 + mde)) visitors per arm.
 */
function computePlan(target: number, mde: number, treatments: number): number | undefined {
  if (!(target > 0 && mde > 0 && target * (1 + mde) <= 1)) return undefined;
  const signups = signupsToCallBetter({ share: 0.5, lift: mde, mde, treatments });
  if (signups === undefined) return undefined;
  const perArm = Math.ceil(signups / (target * (2 + mde)));
  return perArm > MAX_VISITORS ? undefined : perArm;
}

/**
 * The first passage of the variant rule: the number of signups (both arms together) at
 * which the rule, read after every signup, has called "better" with probability `power`
 * for a treatment that truly converts (1 + lift) × the control and receives `share` of
 * the pair's visitors; undefined beyond `maxSignups`. The rule is the one the verdict
 * applies — its prior set by the founder's `mde`, its threshold by the number of
 * treatments — whatever the true lift, so the planner can ask which lifts it finds.
 * Signup after signup, each from the treatment with probability share(lift), the
 * distribution of the treatment's count x is carried forward, and the mass where the
 * rule has decided "better" (x above the null share with evidence past the threshold) is
 * taken out and added up. x is followed within ±8 SD of its mean, a few K^1.5 operations.
 */
export function signupsToCallBetter({
  share: w,
  lift,
  mde,
  treatments,
  power = PLANNED_POWER,
  maxSignups = MAX_PLANNED_SIGNUPS,
}: {
  share: number;
  lift: number;
  mde: number;
  treatments: number;
  power?: number;
  maxSignups?: number;
}): number | undefined {
  if (!(w > 0 && w < 1 && lift > 0 && mde > 0)) return undefined;
  const prior = variantPrior(w, mde);
  const threshold = thresholdFor(treatments);
  const share = signupShare(lift, w);
  const decides = (x: number, signups: number) =>
    x > w * signups && mixtureLogEvidence(x, signups - x, w, prior) > threshold;
  let mass = new Float64Array(1024);
  mass[0] = 1;
  let called = 0;
  // The smallest count that decides at K signups; it moves by a step or two from one K to the next.
  let boundary = 1;
  for (let signups = 1; signups <= maxSignups; signups++) {
    if (signups >= mass.length) {
      const grown = new Float64Array(mass.length * 2);
      grown.set(mass);
      mass = grown;
    }
    const sd = Math.sqrt(signups * share * (1 - share));
    const from = Math.max(0, Math.floor(signups * share - SPREAD_FOLLOWED * sd));
    const to = Math.min(signups, Math.ceil(signups * share + SPREAD_FOLLOWED * sd));
    for (let x = to; x > from; x--) mass[x] = (mass[x] ?? 0) * (1 - share) + (mass[x - 1] ?? 0) * share;
    mass[from] = (mass[from] ?? 0) * (1 - share);
    if (from > 0) mass[from - 1] = 0;
    while (boundary > 0 && decides(boundary - 1, signups)) boundary--;
    while (boundary <= signups && !decides(boundary, signups)) boundary++;
    for (let x = Math.max(boundary, from); x <= to; x++) {
      called += mass[x] ?? 0;
      mass[x] = 0;
    }
    if (called >= power) return signups;
  }
  return undefined;
}

/**
 * The lifts within which two arms count as equivalent: the rate ratio within
 * [1/(1 + mde), 1 + mde], symmetric on the ratio scale (÷1.2 to ×1.2 for 20 %), so that a
 * minimum effect of 100 % or more still reads as a bound on both sides (÷6 to ×6 for
 * 500 %, not "−500 %").
 */
function equivalenceMargin(mde: number): Interval {
  return { low: -mde / (1 + mde), high: mde };
}

/** The equivalence margin in words, built only for the sentences that name it. */
function marginText(mde: number): string {
  const factor = String(Number((1 + mde).toFixed(2)));
  return `÷${factor} to ×${factor} (a lift between ${formatLift(-mde / (1 + mde))} and ${formatLift(mde)})`;
}

/**
 * A variant against its control. Better (validated) or worse (not validated) once the
 * always-valid interval of the lift excludes no difference; equivalent (not validated:
 * keep the simpler one) once the ratio of the rates lies within ÷ to × (1 + the minimum
 * effect); otherwise keep testing, with the traffic the same rule needs if the lift stays at its estimate.
 */
export function variantVerdict({
  control,
  treatment,
  criteria,
  visitorsPerDay,
  treatments = 1,
}: {
  control: Arm;
  treatment: Arm;
  criteria: Thresholds;
  /** Visitors per day reaching the two arms together (last 7 days). */
  visitorsPerDay: number;
  /** How many variants are compared with the control (the correction for multiple comparisons). */
  treatments?: number;
}): VariantComparison {
  const k = Math.max(1, Math.floor(treatments));
  const target = criteria.minConversionPercent / 100;
  const mde = criteria.minDetectableEffectPercent / 100;
  const plannedPerArm = plannedVisitorsPerArm(target, mde, k);
  const confidence = 1 - ALPHA / k;
  const confidenceText = `${formatPercent(confidence, 2).replace(/\.?0+ %$/, " %")} always-valid interval`;
  const noLift = {
    lift: undefined,
    interval: { low: -1, high: Number.POSITIVE_INFINITY },
    confidence,
    pValue: 1,
    plannedPerArm,
  };

  if (inconsistent(control.visitors, control.conversions) || inconsistent(treatment.visitors, treatment.conversions)) {
    return comparison("undecided", `Not compared: ${INCONSISTENT_REASON}.`, noLift);
  }
  // The schema asks for more than 0 %; criteria built elsewhere may not have passed it.
  if (!(mde > 0)) {
    return comparison(
      "undecided",
      "Not compared: the minimum detectable effect must be above 0 % (minDetectableEffectPercent in the concept file): it sizes the test and the margin of equivalence.",
      noLift,
    );
  }
  const total = control.visitors + treatment.visitors;
  const w = total > 0 ? treatment.visitors / total : 0.5;
  const prior = variantPrior(Math.min(0.99, Math.max(0.01, w)), mde);
  const x = treatment.conversions;
  const y = control.conversions;
  const threshold = thresholdFor(k);
  const shares = mixtureInterval(x, y, prior, Math.exp(-threshold));
  const interval = { low: liftOfShare(shares.low, w), high: liftOfShare(shares.high, w) };
  const evidence = mixtureLogEvidence(x, y, w, prior);
  const pValue = Math.min(1, Math.exp(-evidence) * k);
  const lift =
    control.conversions > 0 && treatment.visitors > 0
      ? treatment.conversions / treatment.visitors / (control.conversions / control.visitors) - 1
      : undefined;
  const figures = { lift, interval, confidence, pValue, plannedPerArm };
  const read =
    lift === undefined
      ? `no control signup yet, lift ${formatLiftInterval(interval)} (${confidenceText})`
      : `lift ${formatLift(lift)} (${confidenceText} ${formatLiftInterval(interval)})`;

  const margin = equivalenceMargin(mde);
  if (control.visitors > 0 && treatment.visitors > 0) {
    if (interval.low > 0) return comparison("better", `Beats the control: ${read}.`, figures);
    if (interval.high < 0) return comparison("worse", `Does worse than the control: ${read}.`, figures);
    if (interval.low > margin.low && interval.high < margin.high) {
      return comparison(
        "equivalent",
        `No difference worth having, the ratio of the rates is within ${marginText(mde)}: ${read}. Keep whichever is simpler.`,
        figures,
      );
    }
  }

  if (control.visitors === 0 || treatment.visitors === 0) {
    const days = plannedPerArm === undefined ? undefined : daysAt(plannedPerArm * 2, visitorsPerDay);
    const empty =
      total === 0 ? "No visitors yet" : `No visitors yet in the ${control.visitors === 0 ? "control" : "variant"}`;
    if (plannedPerArm === undefined) {
      return comparison(
        "undecided",
        target * (1 + mde) > 1 || !(mde > 0)
          ? `${empty}, and no lift of ${formatLift(mde)} is possible at a ${formatPercent(target)} conversion.`
          : `${empty}, and finding a lift of ${formatLift(mde)} at a ${formatPercent(target)} conversion needs more than ${visitorsText(MAX_PLANNED_SIGNUPS)} signups: test a bolder change (a larger minimum effect).`,
        noLift,
      );
    }
    return comparison(
      "undecided",
      `${empty}. The plan: ${visitorsText(plannedPerArm)} visitors per variant (${days === undefined ? "no traffic in the last 7 days" : `~${days} days at the current traffic`}), where this rule finds a ${formatLift(mde)} lift 8 times out of 10${days !== undefined && days > TOO_LONG_DAYS ? " — more than six months: test a bolder change (a larger minimum effect) or bring more traffic" : ""}.`,
      noLift,
      plannedPerArm,
      days,
    );
  }

  // Traffic to settle it if the lift stays at its estimate — the signup share with one
  // signup's worth of "no difference" added (Haldane's half on each side, for an even
  // split), so that 1 signup against 0 is not read as an infinite lift: either tell it
  // apart from no difference, or show it within the equivalence margin.
  const signups = x + y;
  const estimate = (x + w) / (signups + 1);
  const lower = signupShare(margin.low, w);
  const upper = signupShare(margin.high, w);
  const divergence = (share: number) =>
    xLogY(estimate, estimate / share) + xLogY(1 - estimate, (1 - estimate) / (1 - share));
  // Only the easier conclusion is searched for (the larger divergence from the estimate);
  // for equivalence, the nearer of the two bounds is the one that binds.
  const bound = divergence(lower) < divergence(upper) ? lower : upper;
  const equivalenceInReach = estimate > lower && estimate < upper;
  const separates = !equivalenceInReach || divergence(w) > divergence(bound);
  const signupsNeeded = sampleToExclude(signups, estimate, separates ? w : bound, prior, threshold);
  // Signups per visitor of an arm, shrunk towards the target by one signup's worth.
  const rate = (signups + 1) / (total + 1 / Math.max(target, 1e-6));
  const perArm = total / 2;
  const needed = Number.isFinite(signupsNeeded)
    ? Math.max(1, Math.ceil(signupsNeeded / (2 * rate) - perArm))
    : undefined;
  const days = needed === undefined ? undefined : daysAt(needed * 2, visitorsPerDay);
  const settles = separates
    ? "to tell it apart from no difference"
    : `to show the ratio of the rates within ${marginText(mde)}`;
  const wait = waitSentence(needed, days, true);
  const opening =
    lift === undefined
      ? `No control signup yet (lift ${formatLiftInterval(interval)}, ${confidenceText})`
      : `${capitalise(read)} is not settled`;
  const reason = `${opening}: ${wait}${needed !== undefined && !wait.startsWith("too close") ? `, ${settles}` : ""}.`;
  return comparison("undecided", reason, figures, needed, days);
}

const STATUS_OF: Record<VariantOutcome, VerdictStatus> = {
  better: "validated",
  worse: "not validated",
  equivalent: "not validated",
  undecided: "keep testing",
};

/** One shape for every comparison, built field by field: object spreads cost more than the statistics here. */
function comparison(
  outcome: VariantOutcome,
  reason: string,
  figures: Pick<VariantComparison, "lift" | "interval" | "confidence" | "pValue" | "plannedPerArm">,
  visitorsNeeded?: number,
  daysNeeded?: number,
): VariantComparison {
  const result: VariantComparison = {
    status: STATUS_OF[outcome],
    outcome,
    reason,
    lift: figures.lift,
    interval: figures.interval,
    confidence: figures.confidence,
    pValue: figures.pValue,
    plannedPerArm: figures.plannedPerArm,
  };
  if (visitorsNeeded !== undefined) result.visitorsNeeded = visitorsNeeded;
  if (daysNeeded !== undefined) result.daysNeeded = daysNeeded;
  return result;
}

/** A relative lift as text; "n/a" while it is undefined (no control signup yet). */
export function formatLift(lift: number | undefined): string {
  if (lift === undefined || Number.isNaN(lift)) return "n/a";
  if (!Number.isFinite(lift)) return lift > 0 ? "unbounded" : "−100 %";
  return `${lift >= 0 ? "+" : "−"}${formatPercent(Math.abs(lift), 0)}`;
}

/** An interval of lifts as text, with no "∞": an open top reads "above …". */
export function formatLiftInterval(interval: Interval): string {
  return Number.isFinite(interval.high)
    ? `${formatLift(interval.low)} to ${formatLift(interval.high)}`
    : `above ${formatLift(interval.low)}`;
}
