/**
 * A Bayesian reading beside the verdicts, for founders with little traffic: how likely
 * an idea beats its target, and a variant its control, given the data and a weak prior.
 * It is a reading, not the verdict: a probability read every day is not protected
 * against peeking the way the verdict is (see verdict.ts). GrowthBook's "chance to win"
 * and "risk" and PostHog's credible intervals and expected loss are the reference.
 *
 * The prior is worth two visitors and centred where the question is asked: on the target
 * for an idea, Beta(2t, 2(1 − t)); for a variant, one prior shared by both arms, centred on
 * their pooled conversion r, Beta(2r, 2(1 − r)) (uniform, Beta(1, 1), from r = 50 % up). A uniform Beta(1, 1) would not be weak at
 * conversions of 1–5 %: its mean is 50 %, so with no visitor at all it read "95 % chance
 * above a 5 % target". A target-centred prior leans neither way at the target (its mean is
 * the target), and a shared prior leans neither arm above the other. No reading is given
 * before the data can outweigh the prior — an idea needs 1/target visitors (one signup
 * expected at the target), each arm of a variant 1/r — nor from broken counts.
 */
import type { Counts } from "./analytics";
import { type Arm, type BetaDistribution, betaIncomplete, logBeta } from "./stats";

/** The prior, in words, for the page and the digest. */
export const READING_PRIOR =
  "weak prior worth 2 visitors, centred on the target for an idea (Beta(2t, 2(1 − t))) and on the pooled conversion r of both arms for a variant (Beta(2r, 2(1 − r)), uniform from r = 50 %); no reading before 1/target visitors (1/pooled conversion per arm)";

/** The weight of the prior, in visitors. */
const PRIOR_WEIGHT = 2;

const priorCentredOn = (rate: number): BetaDistribution => ({
  alpha: PRIOR_WEIGHT * rate,
  beta: PRIOR_WEIGHT * (1 - rate),
});

const posterior = (prior: BetaDistribution, { visitors, conversions }: Arm): BetaDistribution => ({
  alpha: prior.alpha + conversions,
  beta: prior.beta + visitors - conversions,
});

/** True for whole, non-negative counts with no more conversions than visitors. */
const consistent = ({ visitors, conversions }: Arm) =>
  Number.isInteger(visitors) && Number.isInteger(conversions) && conversions >= 0 && conversions <= visitors;

export interface ConceptReading {
  /** P(true conversion > target | data); while `withheld`, the prior's own, not a reading of any data. */
  probabilityAboveTarget: number;
  /** Why no reading is given yet (too few visitors, broken counts); absent when there is a reading. */
  withheld?: string;
}

/**
 * P(true conversion > target) under the target-centred prior. Withheld (with the prior's
 * own probability, so that the field stays a number) before 1/target visitors and for
 * broken counts; a page should show `withheld` instead of the probability.
 */
export function conceptReading(counts: Counts, target: number): ConceptReading {
  const arm = { visitors: counts.visitors, conversions: counts.signups };
  const centre = Math.min(0.999, Math.max(0.001, Number.isFinite(target) ? target : 0.5));
  const prior = priorCentredOn(centre);
  const above = (d: BetaDistribution) => 1 - betaIncomplete(centre, d.alpha, d.beta);
  if (!consistent(arm) || !(target > 0 && target < 1)) {
    return { probabilityAboveTarget: above(prior), withheld: "no reading: the counts or the target are broken" };
  }
  const needed = Math.ceil(1 / target);
  if (arm.visitors < needed) {
    return {
      probabilityAboveTarget: above(prior),
      withheld: `no reading before ${needed} visitors (one signup expected at the target)`,
    };
  }
  return { probabilityAboveTarget: above(posterior(prior, arm)) };
}

export interface VariantReading {
  /** P(treatment's true conversion > control's | data): GrowthBook's "chance to win". */
  probabilityBeats: number;
  /** The relative lift's posterior median and 95 % equal-tailed credible interval. */
  lift: { median: number; low: number; high: number };
  /**
   * Expected loss of choosing the treatment, E[max(p_C − p_T, 0)], as a fraction of
   * visitors (0.002 = 0.2 percentage points of conversion): GrowthBook's "risk".
   */
  expectedLoss: number;
}

/**
 * The reading of a treatment against its control, both under one prior centred on their
 * pooled conversion; undefined (no reading) for broken counts, before the first signup,
 * or while an arm has fewer than 1/pooled-conversion visitors.
 */
export function variantReading(control: Arm, treatment: Arm): VariantReading | undefined {
  if (!consistent(control) || !consistent(treatment)) return undefined;
  const pooled = (control.conversions + treatment.conversions) / (control.visitors + treatment.visitors);
  if (!(pooled > 0) || Math.min(control.visitors, treatment.visitors) * pooled < 1) return undefined;
  // Above 50 % the prior stays uniform, Beta(1, 1): a centre nearer 1 would put a pole at
  // 100 % (β < 1) that no quadrature follows, and a uniform prior is already weak there.
  const prior = priorCentredOn(Math.min(0.5, pooled));
  const c = posterior(prior, control);
  const t = posterior(prior, treatment);
  const mean = (d: BetaDistribution) => d.alpha / (d.alpha + d.beta);
  const shifted = (d: BetaDistribution) => ({ alpha: d.alpha + 1, beta: d.beta });
  // P(p_C > p_T) is the lift's distribution at 0. E[max(p_C − p_T, 0)] =
  // E[p_C; p_C > p_T] − E[p_T; p_C > p_T], and E[p; A] = mean·P_{α+1}(A) (Stucchio 2015).
  const controlAhead = (cd: BetaDistribution, td: BetaDistribution) => liftDistribution(cd, td, 0);
  const loss = mean(c) * controlAhead(shifted(c), t) - mean(t) * controlAhead(c, shifted(t));
  return {
    probabilityBeats: 1 - controlAhead(c, t),
    lift: {
      median: liftQuantile(c, t, 0.5),
      low: liftQuantile(c, t, 0.025),
      high: liftQuantile(c, t, 0.975),
    },
    expectedLoss: Math.max(0, loss),
  };
}

const NODES = gaussLegendre(16);
/** Panels of Gauss–Legendre: a kink in the integrand (where (1 + lift)·x reaches 1) stays inside one. */
const PANELS = 8;

/** Gauss–Legendre nodes and weights on (−1, 1), by Newton's method on the Legendre polynomial (Numerical Recipes 4.6). */
function gaussLegendre(n: number): { x: number[]; w: number[] } {
  const x = new Array<number>(n).fill(0);
  const w = new Array<number>(n).fill(0);
  for (let i = 0; i < (n + 1) / 2; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      derivative = (n * (z * p1 - p2)) / (z * z - 1);
      const previous = z;
      z = previous - p1 / derivative;
      if (Math.abs(z - previous) < 1e-15) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * derivative * derivative);
    w[n - 1 - i] = w[i] ?? 0;
  }
  return { x, w };
}

/**
 * P(p_T / p_C − 1 ≤ lift), by composite Gauss–Legendre on u = ln p of the posterior that
 * is narrower relative to its mean: ∫ f_C(x) · F_T((1 + lift)·x) dx, or
 * ∫ f_T(t) · (1 − F_C(t / (1 + lift))) dt. On the log scale a ratio is a shift, so the
 * other distribution function varies no faster than the density it is weighted by.
 * The range covers everything but ~1e-13 of the mass (the left tail of ln p decays as p^α).
 */
function liftDistribution(c: BetaDistribution, t: BetaDistribution, lift: number): number {
  const overControl = relativeSpread(c) <= relativeSpread(t);
  const outer = overControl ? c : t;
  const inner = overControl ? t : c;
  const n = outer.alpha + outer.beta;
  const mean = outer.alpha / n;
  const sd = Math.sqrt((mean * (1 - mean)) / (n + 1));
  const from = Math.log(mean) - 30 / outer.alpha - 10 * relativeSpread(outer);
  const to = Math.log(Math.min(1, mean + 20 * sd));
  const half = (to - from) / (2 * PANELS);
  const logNorm = logBeta(outer.alpha, outer.beta);
  let total = 0;
  for (let panel = 0; panel < PANELS; panel++) {
    const start = from + 2 * half * panel;
    NODES.x.forEach((node, i) => {
      const u = start + half * (node + 1);
      const x = Math.exp(u);
      const density = Math.exp(outer.alpha * u + (outer.beta - 1) * Math.log1p(-x) - logNorm);
      const other = overControl
        ? betaIncomplete(Math.min(1, (1 + lift) * x), inner.alpha, inner.beta)
        : 1 - betaIncomplete(x / (1 + lift), inner.alpha, inner.beta);
      total += (NODES.w[i] ?? 0) * density * other;
    });
  }
  return Math.min(1, Math.max(0, total * half));
}

/** Standard deviation over mean of a Beta distribution. */
const relativeSpread = (d: BetaDistribution) => Math.sqrt(d.beta / (d.alpha * (d.alpha + d.beta + 1)));

/** The q-quantile of the relative lift, by bisection on ln(1 + lift) around the ratio of the means. */
function liftQuantile(c: BetaDistribution, t: BetaDistribution, q: number): number {
  const centre = Math.log(t.alpha / (t.alpha + t.beta)) - Math.log(c.alpha / (c.alpha + c.beta));
  const width = 12 * Math.hypot(relativeSpread(c), relativeSpread(t)) + 1;
  let low = centre - width;
  let high = centre + width;
  while (high - low > 1e-7) {
    const middle = (low + high) / 2;
    if (liftDistribution(c, t, Math.expm1(middle)) < q) low = middle;
    else high = middle;
  }
  return Math.expm1((low + high) / 2);
}

/** A probability as a founder reads it: whole percents, never "0 %" or "100 %" for what is only nearly sure. */
export function formatChance(probability: number): string {
  if (!(probability >= 0.005)) return "< 1 %";
  if (probability > 0.995) return "> 99 %";
  return `${Math.round(probability * 100)} %`;
}

/** Lifts beyond ×101 (an arm with no signup yet) read as a bound, not as a 24-digit number. */
const signedPercent = (lift: number) =>
  lift > 100 ? "> +10,000 %" : `${lift >= 0 ? "+" : "−"}${Math.round(Math.abs(lift) * 100)} %`;

export function describeConceptReading(reading: ConceptReading, target: number): string {
  if (reading.withheld) return reading.withheld;
  return `${formatChance(reading.probabilityAboveTarget)} chance that the true conversion is above the ${(target * 100).toFixed(1)} % target`;
}

export function describeVariantReading(reading: VariantReading): string {
  const loss = (reading.expectedLoss * 100).toFixed(reading.expectedLoss < 0.0001 ? 3 : 2);
  return `${formatChance(reading.probabilityBeats)} chance to beat the control; lift ${signedPercent(reading.lift.low)} to ${signedPercent(reading.lift.high)} (95 % credible interval); expected loss if you choose it: ${loss} percentage points of conversion`;
}
