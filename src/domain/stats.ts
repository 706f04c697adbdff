/**
 * The statistics engine: intervals, tests and Bayesian probabilities for conversion
 * rates. Rates are fractions (0.05, not 5). Pure and deterministic; every function
 * returns defined numbers for edge cases (no visitors, no or all conversions, one arm):
 * no NaN and no throw. An interval that cannot be bounded is (-1, Infinity) for a lift.
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

export interface LiftInterval extends Interval {
  lift: number;
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

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  const sum = LANCZOS.reduce((acc, coefficient, i) => acc + coefficient / (z + i + 1), LANCZOS_0);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function logBeta(a: number, b: number): number {
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

/** Two-sided two-proportion z-test with the pooled standard error. */
export function twoProportionZTest(control: Arm, treatment: Arm): { z: number; pValue: number } {
  if (control.visitors <= 0 || treatment.visitors <= 0) return { z: 0, pValue: 1 };
  const pooled = (control.conversions + treatment.conversions) / (control.visitors + treatment.visitors);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.visitors + 1 / treatment.visitors));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (rate(treatment) - rate(control)) / se;
  return { z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/**
 * The relative lift of treatment over control and the variance of that estimate by the
 * delta method: Var(pT/pC) ≈ σT²/(nT·pC²) + pT²·σC²/(nC·pC⁴), σ² = p(1 − p).
 * Undefined (no visitors, no control conversions, zero variance) → undefined.
 */
export function liftEstimate(control: Arm, treatment: Arm): { lift: number; variance: number } | undefined {
  const pC = rate(control);
  const pT = rate(treatment);
  if (control.visitors <= 0 || treatment.visitors <= 0 || pC <= 0) return undefined;
  const variance =
    (pT * (1 - pT)) / (treatment.visitors * pC ** 2) + (pT ** 2 * pC * (1 - pC)) / (control.visitors * pC ** 4);
  if (!(variance > 0)) return undefined;
  return { lift: pT / pC - 1, variance };
}

/** What can be said before a lift can be estimated: anything from −100 % up. */
function unboundedLift(control: Arm, treatment: Arm): LiftInterval {
  const pC = rate(control);
  const pT = rate(treatment);
  const lift = pC > 0 ? pT / pC - 1 : pT > 0 ? Number.POSITIVE_INFINITY : 0;
  return { lift, low: -1, high: Number.POSITIVE_INFINITY };
}

/** Fixed-horizon interval of the relative lift (delta method), bounded below by −100 %. */
export function relativeLiftInterval(control: Arm, treatment: Arm, confidence = 0.95): LiftInterval {
  const estimate = liftEstimate(control, treatment);
  if (!estimate) return unboundedLift(control, treatment);
  const half = zFor(confidence) * Math.sqrt(estimate.variance);
  return { lift: estimate.lift, low: Math.max(-1, estimate.lift - half), high: estimate.lift + half };
}

/** rho of the normal-mixture confidence sequence tuned for `tuning` observations (Waudby-Smith et al. 2023, eq. 161). */
function sequentialRho(alpha: number, tuning: number): number {
  const logAlpha = Math.log(alpha);
  return Math.sqrt((-2 * logAlpha + Math.log(-2 * logAlpha + 1)) / tuning);
}

/**
 * Always-valid (anytime) confidence sequence and p-value for the relative lift: the
 * asymptotic normal-mixture confidence sequence of Waudby-Smith et al. (2023), as
 * GrowthBook's sequential engine uses it. It stays valid however often it is looked at,
 * at the price of being wider than the fixed-horizon interval.
 * `tuning` is the total sample size (both arms) at which it is tightest.
 */
export function sequentialLiftInterval(
  control: Arm,
  treatment: Arm,
  { alpha = 0.05, tuning = 5000 }: { alpha?: number; tuning?: number } = {},
): LiftInterval & { pValue: number } {
  const estimate = liftEstimate(control, treatment);
  if (!estimate) return { ...unboundedLift(control, treatment), pValue: 1 };
  const n = control.visitors + treatment.visitors;
  const rho = sequentialRho(alpha, tuning);
  const nRho = n * rho * rho + 1;
  // Per-observation variance, as the paper writes it: SE² × n.
  const half = sequentialHalfWidth(estimate.variance * n, n, { alpha, tuning });
  const tSquared = (estimate.lift ** 2 * n) / estimate.variance;
  const logEvalue = (rho * rho * tSquared) / (2 * nRho) - 0.5 * Math.log(nRho);
  const pValue = logEvalue <= 0 ? 1 : Math.min(1, Math.exp(-logEvalue));
  return { lift: estimate.lift, low: Math.max(-1, estimate.lift - half), high: estimate.lift + half, pValue };
}

/** Half-width of the normal-mixture confidence sequence for a per-observation variance `s2` after `n` observations. */
export function sequentialHalfWidth(s2: number, n: number, { alpha = 0.05, tuning = 5000 } = {}): number {
  if (!(n > 0) || !(s2 > 0)) return Number.POSITIVE_INFINITY;
  const rho = sequentialRho(alpha, tuning);
  const nRho = n * rho * rho + 1;
  return Math.sqrt(s2) * Math.sqrt((2 * nRho * Math.log(Math.sqrt(nRho) / alpha)) / (n * rho) ** 2);
}

/**
 * Always-valid confidence sequence for one conversion rate (same construction as
 * sequentialLiftInterval). With no or all conversions the variance is taken from the
 * add-one estimate, so the interval never collapses to a point.
 */
export function sequentialRateInterval(
  conversions: number,
  visitors: number,
  options: { alpha?: number; tuning?: number } = {},
): Interval {
  if (visitors <= 0) return { low: 0, high: 1 };
  const p = rate({ visitors, conversions });
  const smoothed = p > 0 && p < 1 ? p : (conversions + 1) / (visitors + 2);
  const half = sequentialHalfWidth(smoothed * (1 - smoothed), visitors, options);
  return { low: Math.max(0, p - half), high: Math.min(1, p + half) };
}

/** Holm–Bonferroni adjusted p-values, in the order given. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues
    .map((p, index) => ({ p: Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 1, index }))
    .sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
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

/**
 * Visitors per arm for a two-sided two-proportion z-test to detect a relative lift of
 * `minDetectableEffect` over `baselineRate` (Fleiss, without continuity correction).
 * Infinity when the effect cannot be detected (zero effect, rate above 100 %).
 */
export function requiredSampleSize({
  baselineRate,
  minDetectableEffect,
  alpha = 0.05,
  power = 0.8,
}: {
  baselineRate: number;
  minDetectableEffect: number;
  alpha?: number;
  power?: number;
}): number {
  const p1 = baselineRate;
  const p2 = baselineRate * (1 + minDetectableEffect);
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1 && p1 !== p2 && alpha > 0 && alpha < 1 && power > 0 && power < 1)) {
    return Number.POSITIVE_INFINITY;
  }
  const mean = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const numerator = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil(numerator ** 2 / (p2 - p1) ** 2);
}

// ---------------------------------------------------------------------------------------
// Bayesian

export const BEST_ARM_DRAWS = 200_000;
const BEST_ARM_SEED = 0x5eed;

/** P(rate of B > rate of A) under Beta(1, 1) priors, exactly (Evan Miller's closed form). */
function probabilityBBeatsA(a: Arm, b: Arm): number {
  const alphaA = 1 + a.conversions;
  const betaA = 1 + a.visitors - a.conversions;
  const alphaB = 1 + b.conversions;
  const betaB = 1 + b.visitors - b.conversions;
  const base = logBeta(alphaA, betaA);
  let total = 0;
  for (let i = 0; i < alphaB; i++) {
    total += Math.exp(logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - logBeta(1 + i, betaB) - base);
  }
  return Math.min(1, Math.max(0, total));
}

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
