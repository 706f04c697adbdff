/**
 * The statistics engine: intervals, tests and Bayesian probabilities for conversion
 * rates, and the always-valid beta-binomial mixture the verdicts use. Rates are fractions
 * (0.05, not 5). Pure and deterministic; every function returns defined numbers for edge
 * cases (no visitors, no or all conversions, one arm): no NaN and no throw.
 */
import { seededRandom } from "./random";

export interface Arm {
  visitors: number;
  conversions: number;
}

export interface Interval {
  low: number;
  high: number;
}

// ---------------------------------------------------------------------------------------
// Special functions

/** Complementary error function, fractional error < 1.2e-7 (Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Evaluates a polynomial, coefficients from the highest degree down. */
const horner = (coefficients: readonly number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

/** Inverse of the standard normal CDF: Acklam's rational approximation (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const tail = horner(ACKLAM_C, q) / horner(ACKLAM_D, q);
    return p < low ? tail : -tail;
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(ACKLAM_A, r) * q) / horner(ACKLAM_B, r);
}

const LANCZOS_0 = 0.99999999999980993;
const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0: Stirling's series from 10 on (error < 1e-13, one logarithm: the
 * verdicts call this millions of times in simulations), Lanczos (g = 7) below.
 */
export function logGamma(x: number): number {
  if (x >= 10) {
    const r = 1 / (x * x);
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r / 1680))) / x;
  }
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  const sum = LANCZOS.reduce((acc, coefficient, i) => acc + coefficient / (z + i + 1), LANCZOS_0);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Upper regularised incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/** Survival function of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareSurvival(statistic: number, df: number): number {
  return df > 0 ? gammaQ(df / 2, statistic / 2) : 1;
}

/** Regularised incomplete beta function I_x(a, b): the Beta(a, b) distribution function at x. */
export function betaIncomplete(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  // The continued fraction converges fast only left of the mean; use the symmetry beyond it.
  return x < (a + 1) / (a + b + 2)
    ? Math.min(1, (front * betaContinuedFraction(x, a, b)) / a)
    : Math.max(0, 1 - (front * betaContinuedFraction(1 - x, b, a)) / b);
}

/** The continued fraction of the incomplete beta function, by the modified Lentz method (Numerical Recipes 6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (value: number) => (Math.abs(value) < tiny ? tiny : value);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

// ---------------------------------------------------------------------------------------
// Always valid: the beta-binomial mixture martingale

/** A Beta(alpha, beta) distribution, as a prior or a posterior. */
export interface BetaDistribution {
  alpha: number;
  beta: number;
}

/** x·ln(y), with 0·ln(0) = 0. */
const xLogY = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/**
 * The evidence, in log, against a success rate `rate` after `successes` and `failures`:
 * ln of the beta-binomial mixture likelihood ratio ∫ L(p) dBeta(p) / L(rate) (Robbins
 * 1970; Howard et al. 2021, Ann. Statist. 49(2)). Under the rate it is a
 * martingale of mean 1, so by Ville's inequality it ever reaches ln(1/α) with
 * probability at most α, however often it is looked at: the error is exact, with no
 * large-sample approximation. Counts may be fractional (for planning).
 */
export function mixtureLogEvidence(successes: number, failures: number, rate: number, prior: BetaDistribution): number {
  const mixture = logBeta(prior.alpha + successes, prior.beta + failures) - logBeta(prior.alpha, prior.beta);
  return mixture - xLogY(successes, rate) - xLogY(failures, 1 - rate);
}

/**
 * The always-valid confidence interval of a success rate: every rate whose evidence
 * stays below ln(1/α). It is an interval because the evidence is convex in the rate;
 * each end is found by Newton's method (the log-likelihood is monotone on each side of
 * the observed rate). Before any data it is (0, 1).
 */
export function mixtureInterval(successes: number, failures: number, prior: BetaDistribution, alpha: number): Interval {
  const n = successes + failures;
  if (!(n > 0)) return { low: 0, high: 1 };
  // Inside: s·ln p + f·ln(1 − p) > the level below.
  const level =
    logBeta(prior.alpha + successes, prior.beta + failures) - logBeta(prior.alpha, prior.beta) + Math.log(alpha);
  const observed = successes / n;
  return {
    low: successes === 0 ? 0 : likelihoodEdge(successes, failures, level, observed),
    high: failures === 0 ? 1 : 1 - likelihoodEdge(failures, successes, level, 1 - observed),
  };
}

/**
 * The rate p < observed where s·ln p + f·ln(1 − p) falls to `level`, by Newton's method
 * on u = ln p: the function is concave and increasing in u there, so started to the
 * left of the root the steps climb to it monotonically, a handful of them.
 */
function likelihoodEdge(s: number, f: number, level: number, observed: number): number {
  const at = (u: number) => s * u + xLogY(f, -Math.expm1(u));
  const top = Math.log(observed);
  // Start from the normal approximation of the edge, moved left of the root if need be;
  // from there each Newton step climbs towards it.
  const normalEdge = observed - Math.sqrt((2 * Math.max(0, at(top) - level) * observed * (1 - observed)) / (s + f));
  let u = normalEdge > 0 ? Math.min(Math.log(normalEdge), top - 1e-9) : top - 1;
  for (let step = 1; at(u) > level && u > -745; step *= 2) u -= step;
  for (let i = 0; i < 100; i++) {
    const p = Math.exp(u);
    const next = u + (level - at(u)) / (s - (f * p) / (1 - p));
    if (!(Math.abs(next - u) > 1e-10)) break;
    u = Math.min(next, top - 1e-12);
  }
  return Math.exp(u);
}

// ---------------------------------------------------------------------------------------
// Frequentist

function rate({ visitors, conversions }: Arm): number {
  return visitors > 0 ? Math.min(1, Math.max(0, conversions / visitors)) : 0;
}

const zFor = (confidence: number) => normalQuantile(1 - (1 - confidence) / 2);

/** Wilson score interval of a conversion rate; (0, 1) before the first visitor. */
export function wilsonInterval(conversions: number, visitors: number, confidence = 0.95): Interval {
  if (visitors <= 0) return { low: 0, high: 1 };
  const p = rate({ visitors, conversions });
  const z = zFor(confidence);
  const z2n = (z * z) / visitors;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / visitors + z2n / (4 * visitors))) / (1 + z2n);
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * Sample-ratio mismatch: the p-value of a chi-square goodness-of-fit test of the visitors
 * each arm received against the configured weights. Tiny values mean the split is broken.
 */
export function srmPValue(observedVisitors: readonly number[], weights: readonly number[]): number {
  const k = Math.min(observedVisitors.length, weights.length);
  const total = observedVisitors.slice(0, k).reduce((sum, n) => sum + n, 0);
  const weightSum = weights.slice(0, k).reduce((sum, w) => sum + Math.max(0, w), 0);
  if (k < 2 || total <= 0 || weightSum <= 0) return 1;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = (total * Math.max(0, weights[i] ?? 0)) / weightSum;
    const observed = observedVisitors[i] ?? 0;
    if (expected === 0) {
      if (observed > 0) return 0;
      continue;
    }
    statistic += (observed - expected) ** 2 / expected;
  }
  return chiSquareSurvival(statistic, k - 1);
}

// ---------------------------------------------------------------------------------------
// Bayesian

export const BEST_ARM_DRAWS = 200_000;
const BEST_ARM_SEED = 0x5eed;

/** The Beta(1, 1) (uniform) posterior of an arm's conversion rate. */
export const uniformPosterior = (arm: Arm): BetaDistribution => ({
  alpha: 1 + arm.conversions,
  beta: 1 + arm.visitors - arm.conversions,
});

/**
 * P(X > Y) for X ~ `b`, Y ~ `a`, exactly, when b.alpha is a whole number (Evan Miller's
 * closed form: a sum of b.alpha terms).
 */
export function probabilityGreater(a: BetaDistribution, b: BetaDistribution): number {
  const base = logBeta(a.alpha, a.beta);
  let total = 0;
  for (let i = 0; i < b.alpha; i++) {
    total += Math.exp(logBeta(a.alpha + i, a.beta + b.beta) - Math.log(b.beta + i) - logBeta(1 + i, b.beta) - base);
  }
  return Math.min(1, Math.max(0, total));
}

/** P(rate of B > rate of A) under Beta(1, 1) priors. */
const probabilityBBeatsA = (a: Arm, b: Arm) => probabilityGreater(uniformPosterior(a), uniformPosterior(b));

/** Gamma(shape ≥ 1) by Marsaglia and Tsang's method. */
function gammaSampler(random: () => number) {
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return (shape: number): number => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - random();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
}

/**
 * For each arm, the probability that its true rate is the highest, under Beta(1, 1)
 * priors: exact for two arms, otherwise 200,000 seeded draws (the same arms always give
 * the same answer; Monte Carlo error ±0.003 at worst). Results are memoised: the admin
 * page asks again for the same counts on every load.
 */
export function probabilityToBeBest(arms: readonly Arm[]): number[] {
  const clean = arms.map((arm) => {
    const visitors = Math.max(0, Math.floor(arm.visitors));
    return { visitors, conversions: Math.min(visitors, Math.max(0, Math.floor(arm.conversions))) };
  });
  const [first, second] = clean;
  if (!first) return [];
  if (!second) return [1];
  if (clean.length === 2) {
    const bBest = probabilityBBeatsA(first, second);
    return [1 - bBest, bBest];
  }
  const key = clean.map((arm) => `${arm.visitors}/${arm.conversions}`).join(",");
  const known = bestArmMemo.get(key);
  if (known) return [...known];
  const result = simulateBestArm(clean);
  if (bestArmMemo.size >= 256) bestArmMemo.clear();
  bestArmMemo.set(key, result);
  return [...result];
}

const bestArmMemo = new Map<string, number[]>();

function simulateBestArm(arms: readonly Arm[]): number[] {
  const gamma = gammaSampler(seededRandom(BEST_ARM_SEED));
  const k = arms.length;
  const alphas = Float64Array.from(arms, (arm) => 1 + arm.conversions);
  const betas = Float64Array.from(arms, (arm) => 1 + arm.visitors - arm.conversions);
  const wins = new Float64Array(k);
  for (let draw = 0; draw < BEST_ARM_DRAWS; draw++) {
    let best = 0;
    let bestValue = -1;
    for (let i = 0; i < k; i++) {
      const x = gamma(alphas[i] ?? 1);
      const value = x / (x + gamma(betas[i] ?? 1));
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    wins[best] = (wins[best] ?? 0) + 1;
  }
  return Array.from(wins, (count) => count / BEST_ARM_DRAWS);
}
