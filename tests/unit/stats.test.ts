/**
 * The statistics engine against reference values computed independently with SciPy 1.17
 * by tests/reference/stats_reference.py (rerun it to regenerate): Wilson intervals from
 * scipy.stats.binomtest().proportion_ci(method="wilson"), SRM from scipy.stats.chisquare,
 * P(best) by numerical integration (scipy.integrate.quad) of the Beta posteriors, the
 * incomplete beta from scipy.special.betainc, the beta-binomial mixture's evidence from
 * scipy.special.betaln and its always-valid interval by scipy.optimize.brentq.
 */
import { describe, expect, test } from "vitest";
import {
  betaIncomplete,
  mixtureInterval,
  mixtureLogEvidence,
  normalCdf,
  normalQuantile,
  probabilityToBeBest,
  srmPValue,
  wilsonInterval,
} from "../../src/domain/stats";

const arm = (visitors: number, conversions: number) => ({ visitors, conversions });

describe("wilsonInterval", () => {
  test.each([
    [12, 100, 0.95, 0.0699940643701949, 0.19812099426711421],
    [0, 50, 0.95, 0.0, 0.07134759913335872],
    [50, 50, 0.95, 0.9286524008666412, 1.0],
    [1, 1000, 0.95, 0.00017654637062607809, 0.0056425585979579355],
    [12, 100, 0.9, 0.07632600811956233, 0.18369445967565015],
    [480, 10000, 0.99, 0.04278711833962478, 0.053812278619422914],
  ])("%i of %i at %s → [%f, %f]", (conversions, visitors, confidence, low, high) => {
    const interval = wilsonInterval(conversions, visitors, confidence);
    expect(interval.low).toBeCloseTo(low, 7);
    expect(interval.high).toBeCloseTo(high, 7);
  });
});

describe("betaIncomplete", () => {
  test.each([
    [0.06, 13, 189, 0.4310757614044449],
    [0.5, 0.3, 29.7, 0.9999999999434741],
    [0.9, 5, 2, 0.885735],
    [0.001, 1, 1001, 0.6326722706538069],
    [0.3, 400.5, 900.25, 0.2701576133703063],
  ])("I_%s(%s, %s) = %f (scipy.special.betainc)", (x, a, b, value) => {
    expect(betaIncomplete(x, a, b)).toBeCloseTo(value, 10);
  });
});

describe("the beta-binomial mixture (Howard et al. 2021)", () => {
  test.each([
    [73, 2627, 0.06, 9, 141, 29.067450612303645],
    [0, 500, 0.02, 1, 49, 7.685075515361186],
    [40, 0, 0.5, 60.5, 60.5, 4.9100411272266875],
    [130.5, 1200.25, 0.1, 2, 18, -2.1115166666855885],
  ])("%s successes, %s failures against %s, prior Beta(%s, %s): ln evidence %f", (s, f, rate, alpha, beta, value) => {
    expect(mixtureLogEvidence(s, f, rate, { alpha, beta })).toBeCloseTo(value, 8);
  });

  test.each([
    [73, 2627, 9, 141, 0.025, 0.016961529543952875, 0.04035842071310874],
    [253, 2547, 9, 141, 0.025, 0.07239562894430211, 0.11076005022644027],
    [1, 149, 3, 47, 0.025, 5.453920436633823e-6, 0.06061376514142398],
    [0, 500, 60.5, 60.5, 0.025, 0, 0.21093289472628182],
    [40, 0, 60.5, 60.5, 0.025, 0.5154999158667962, 1],
    [720, 480, 60.5, 60.5, 0.00833333333333, 0.5419873377611268, 0.6561963622187212],
  ])("%s successes, %s failures, prior Beta(%s, %s), alpha %s → [%f, %f]", (s, f, alpha, beta, level, low, high) => {
    const interval = mixtureInterval(s, f, { alpha, beta }, level);
    expect(interval.low).toBeCloseTo(low, 9);
    expect(interval.high).toBeCloseTo(high, 9);
  });
});

describe("srmPValue", () => {
  test.each([
    [[5100, 4900], [1, 1], 0.04550026389635857],
    [[1000, 1100, 950], [1, 1, 1], 0.0032221549052224925],
    [[7150, 2850], [0.7, 0.3], 0.001063114917158603],
    [[5300, 4700], [1, 1], 1.9731752900753933e-9],
  ])("visitors %o with weights %o → p %f", (observed, weights, pValue) => {
    expect(srmPValue(observed, weights)).toBeCloseTo(pValue, 8);
  });
});

describe("probabilityToBeBest", () => {
  test.each([
    [
      [
        [1000, 100],
        [1000, 130],
      ],
      [0.017834933883649512, 0.9821650661163509],
    ],
    [
      [
        [200, 10],
        [180, 12],
      ],
      [0.24489910226492162, 0.7551008977350787],
    ],
    [
      [
        [1000, 100],
        [1000, 130],
        [1000, 120],
      ],
      [0.0076374022091702, 0.7451674334384676, 0.24719516435236238],
    ],
    [
      [
        [500, 40],
        [520, 45],
        [480, 30],
        [510, 44],
      ],
      [0.2008961448759866, 0.39567688396212963, 0.01603866670615391, 0.38738830445572986],
    ],
  ])("%o → %o (±0.005)", (arms, expected) => {
    const result = probabilityToBeBest(arms.map(([visitors, conversions]) => arm(visitors ?? 0, conversions ?? 0)));
    result.forEach((value, i) => {
      expect(Math.abs(value - (expected[i] ?? Number.NaN))).toBeLessThanOrEqual(0.005);
    });
    expect(result.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  test("two arms are exact (closed form), more arms are deterministic draws", () => {
    const two = probabilityToBeBest([arm(1000, 100), arm(1000, 130)]);
    expect(two[1]).toBeCloseTo(0.9821650661163509, 9);
    const three = [arm(1000, 100), arm(1000, 130), arm(1000, 120)];
    expect(probabilityToBeBest(three)).toEqual(probabilityToBeBest(three));
  });
});

describe("normal distribution helpers", () => {
  test.each([
    [0.975, 1.959963984540054],
    [0.5, 0],
    [0.01, -2.3263478740408408],
    [0.999, 3.090232306167813],
  ])("normalQuantile(%s) = %f (scipy.stats.norm.ppf)", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });

  test("normalCdf(1.96) = 0.9750021048517795 (scipy.stats.norm.cdf)", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 7);
  });
});

describe("edge cases give defined values, never NaN or a throw", () => {
  const none = arm(0, 0);
  const cases = {
    "no visitors": [none, none],
    "no conversions": [arm(100, 0), arm(100, 0)],
    "all conversions": [arm(50, 50), arm(50, 50)],
    "control without conversions": [arm(100, 0), arm(100, 5)],
    "one arm empty": [arm(100, 10), none],
  } as const;

  test.each(Object.entries(cases))("%s", (_name, [control, treatment]) => {
    const values = [
      ...Object.values(wilsonInterval(control.conversions, control.visitors)),
      ...Object.values(mixtureInterval(treatment.conversions, control.conversions, { alpha: 1, beta: 1 }, 0.025)),
      mixtureLogEvidence(treatment.conversions, control.conversions, 0.5, { alpha: 1, beta: 1 }),
      ...probabilityToBeBest([control, treatment]),
      ...probabilityToBeBest([control, treatment, none]),
      srmPValue([control.visitors, treatment.visitors], [1, 1]),
    ];
    for (const value of values) expect(Number.isNaN(value)).toBe(false);
  });

  test("a single arm is the best arm, and has nothing to mismatch", () => {
    expect(probabilityToBeBest([arm(10, 1)])).toEqual([1]);
    expect(probabilityToBeBest([])).toEqual([]);
    expect(srmPValue([100], [1])).toBe(1);
  });
});
