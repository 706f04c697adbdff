/**
 * A Bayesian reading beside the verdicts, for founders with little traffic: how likely
 * an idea beats its target, and a variant its control, given the data and a weak prior.
 * It is a reading, not the verdict: a probability read every day is not protected
 * against peeking the way the verdict is (see verdict.ts). GrowthBook's "chance to win"
 * and "risk" and PostHog's credible intervals and expected loss are the reference.
 *
 * The prior is Beta(1, 1) on every conversion rate: every rate from 0 to 100 % equally
 * likely before the test, as PostHog and probabilityToBeBest use. It is worth two
 * visitors, so a few hundred visitors outweigh it; it does not know the target, so the
 * reading never leans towards the founder's hopes.
 */
import type { Counts } from "./analytics";
import {
  type Arm,
  type BetaDistribution,
  betaIncomplete,
  logBeta,
  probabilityGreater,
  uniformPosterior,
} from "./stats";

/** The prior, in words, for the page and the digest. */
export const READING_PRIOR =
  "uniform prior Beta(1, 1): before the test every conversion rate from 0 to 100 % is taken as equally likely";

/** Whole, non-negative counts with no more conversions than visitors: a reading is defined for any input. */
function cleanArm({ visitors, conversions }: Arm): Arm {
  const v = Number.isFinite(visitors) ? Math.max(0, Math.floor(visitors)) : 0;
  const c = Number.isFinite(conversions) ? Math.max(0, Math.floor(conversions)) : 0;
  return { visitors: v, conversions: Math.min(v, c) };
}

export interface ConceptReading {
  /** P(true conversion > target | data). */
  probabilityAboveTarget: number;
}

export function conceptReading(counts: Counts, target: number): ConceptReading {
  const posterior = uniformPosterior(cleanArm({ visitors: counts.visitors, conversions: counts.signups }));
  return { probabilityAboveTarget: 1 - betaIncomplete(target, posterior.alpha, posterior.beta) };
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

export function variantReading(control: Arm, treatment: Arm): VariantReading {
  const c = uniformPosterior(cleanArm(control));
  const t = uniformPosterior(cleanArm(treatment));
  const mean = (d: BetaDistribution) => d.alpha / (d.alpha + d.beta);
  const shifted = (d: BetaDistribution) => ({ alpha: d.alpha + 1, beta: d.beta });
  // E[max(p_C − p_T, 0)] = E[p_C; p_C > p_T] − E[p_T; p_C > p_T], and E[p; A] = mean·P_{α+1}(A)
  // (Stucchio 2015): exact with the closed form of P(X > Y).
  const loss = mean(c) * probabilityGreater(t, shifted(c)) - mean(t) * probabilityGreater(shifted(t), c);
  return {
    probabilityBeats: probabilityGreater(c, t),
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

const signedPercent = (lift: number) => `${lift >= 0 ? "+" : "−"}${Math.round(Math.abs(lift) * 100)} %`;

export function describeConceptReading(reading: ConceptReading, target: number): string {
  return `${formatChance(reading.probabilityAboveTarget)} chance that the true conversion is above the ${(target * 100).toFixed(1)} % target`;
}

export function describeVariantReading(reading: VariantReading): string {
  const loss = (reading.expectedLoss * 100).toFixed(reading.expectedLoss < 0.0001 ? 3 : 2);
  return `${formatChance(reading.probabilityBeats)} chance to beat the control; lift ${signedPercent(reading.lift.low)} to ${signedPercent(reading.lift.high)} (95 % credible interval); expected loss if you choose it: ${loss} percentage points of conversion`;
}
