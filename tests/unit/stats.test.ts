/**
 * The statistics engine against reference values computed independently with SciPy 1.17
 * by tests/reference/stats_reference.py (rerun it to regenerate): Wilson intervals from
 * scipy.stats.binomtest().proportion_ci(method="wilson"), p-values from scipy.stats.norm,
 * SRM from scipy.stats.chisquare, P(best) by numerical integration (scipy.integrate.quad)
 * of the Beta posteriors, the sequential interval from the formulas of Waudby-Smith et al.
 * (2023, eqs. 9, 155, 161) in NumPy, Holm from Holm (1979). One published worked example
 * is checked too: 3,841 visitors per arm for 10 % → 12 % at α = 0.05, power 0.8.
 */
import { describe, expect, test } from "vitest";
import {
  holmAdjust,
  normalCdf,
  normalQuantile,
  probabilityToBeBest,
  relativeLiftInterval,
  requiredSampleSize,
  sequentialLiftInterval,
  srmPValue,
  twoProportionZTest,
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

describe("twoProportionZTest", () => {
  test.each([
    [1000, 100, 1000, 130, 2.102740605622114, 0.03548845046647471],
    [5000, 250, 4800, 260, 0.928355836098955, 0.35322301937514455],
    [2000, 90, 2100, 60, -2.800736147094537, 0.005098618790840467],
  ])("control %i/%i, treatment %i/%i → z %f, p %f", (nc, cc, nt, ct, z, pValue) => {
    const result = twoProportionZTest(arm(nc, cc), arm(nt, ct));
    expect(result.z).toBeCloseTo(z, 9);
    expect(result.pValue).toBeCloseTo(pValue, 7);
  });
});

describe("relativeLiftInterval", () => {
  test.each([
    [1000, 100, 1000, 130, 0.95, 0.30000000000000004, -0.01917939771358701, 0.6191793977135871],
    [5000, 250, 4800, 260, 0.9, 0.08333333333333326, -0.0703448471735498, 0.23701151384021632],
    [2000, 90, 2100, 60, 0.95, -0.3650793650793651, -0.5688059901111773, -0.16135274004755296],
  ])("control %i/%i, treatment %i/%i at %s → lift %f [%f, %f]", (nc, cc, nt, ct, confidence, lift, low, high) => {
    const result = relativeLiftInterval(arm(nc, cc), arm(nt, ct), confidence);
    expect(result.lift).toBeCloseTo(lift, 9);
    expect(result.low).toBeCloseTo(low, 7);
    expect(result.high).toBeCloseTo(high, 7);
  });
});

describe("sequentialLiftInterval", () => {
  test.each([
    [
      1000, 100, 1000, 130, 0.05, 5000, 0.30000000000000004, -0.2087062501839868, 0.8087062501839869,
      0.5622208729310171,
    ],
    [
      20000, 1000, 20000, 1150, 0.05, 5000, 0.1499999999999999, -0.005391766295531675, 0.3053917662955315,
      0.07069452073939243,
    ],
    [
      3000, 150, 3000, 200, 0.1, 10000, 0.33333333333333326, -0.05719449798368009, 0.7238611646503466,
      0.23114880531852974,
    ],
  ])(
    "control %i/%i, treatment %i/%i, alpha %s, tuning %i → lift %f [%f, %f], p %f",
    (nc, cc, nt, ct, alpha, tuning, lift, low, high, pValue) => {
      const result = sequentialLiftInterval(arm(nc, cc), arm(nt, ct), { alpha, tuning });
      expect(result.lift).toBeCloseTo(lift, 9);
      expect(result.low).toBeCloseTo(low, 9);
      expect(result.high).toBeCloseTo(high, 9);
      expect(result.pValue).toBeCloseTo(pValue, 9);
    },
  );

  test("is wider than the fixed-horizon interval: the price of looking every day", () => {
    const sequential = sequentialLiftInterval(arm(1000, 100), arm(1000, 130));
    const fixed = relativeLiftInterval(arm(1000, 100), arm(1000, 130));
    expect(sequential.low).toBeLessThan(fixed.low);
    expect(sequential.high).toBeGreaterThan(fixed.high);
  });

  test("under no true difference, daily peeks rarely exclude zero (at most alpha of the runs)", () => {
    // 400 simulated A/A tests looked at after every 100 visitors per arm, up to 5,000.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let everSignificant = 0;
    for (let run = 0; run < 400; run++) {
      const a = arm(0, 0);
      const b = arm(0, 0);
      let flagged = false;
      for (let look = 0; look < 50; look++) {
        for (let i = 0; i < 100; i++) {
          a.visitors++;
          b.visitors++;
          if (random() < 0.1) a.conversions++;
          if (random() < 0.1) b.conversions++;
        }
        const ci = sequentialLiftInterval(a, b);
        if (ci.low > 0 || ci.high < 0) flagged = true;
      }
      if (flagged) everSignificant++;
    }
    expect(everSignificant / 400).toBeLessThanOrEqual(0.05);
  });
});

describe("holmAdjust", () => {
  test.each([
    [
      [0.01, 0.04, 0.03, 0.005],
      [0.03, 0.06, 0.06, 0.02],
    ],
    [
      [0.2, 0.001, 0.04],
      [0.2, 0.003, 0.08],
    ],
    [[0.5], [0.5]],
  ])("%o → %o", (pValues, adjusted) => {
    const result = holmAdjust(pValues);
    result.forEach((value, i) => {
      expect(value).toBeCloseTo(adjusted[i] ?? Number.NaN, 12);
    });
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

describe("requiredSampleSize", () => {
  test.each([
    [0.1, 0.2, 0.05, 0.8, 3841],
    [0.05, 0.1, 0.05, 0.8, 31234],
    [0.3, -0.1, 0.01, 0.9, 6736],
  ])(
    "baseline %s, effect %s, alpha %s, power %s → %i per arm",
    (baselineRate, minDetectableEffect, alpha, power, n) => {
      expect(requiredSampleSize({ baselineRate, minDetectableEffect, alpha, power })).toBe(n);
    },
  );

  test("defaults to alpha 0.05 and power 0.8", () => {
    expect(requiredSampleSize({ baselineRate: 0.1, minDetectableEffect: 0.2 })).toBe(3841);
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
      ...Object.values(twoProportionZTest(control, treatment)),
      ...Object.values(relativeLiftInterval(control, treatment)),
      ...Object.values(sequentialLiftInterval(control, treatment)),
      ...probabilityToBeBest([control, treatment]),
      ...probabilityToBeBest([control, treatment, none]),
      srmPValue([control.visitors, treatment.visitors], [1, 1]),
      ...holmAdjust([Number.NaN, 0.5]),
    ];
    for (const value of values) expect(Number.isNaN(value)).toBe(false);
  });

  test("a single arm is the best arm, and has nothing to mismatch", () => {
    expect(probabilityToBeBest([arm(10, 1)])).toEqual([1]);
    expect(probabilityToBeBest([])).toEqual([]);
    expect(srmPValue([100], [1])).toBe(1);
    expect(requiredSampleSize({ baselineRate: 0, minDetectableEffect: 0.2 })).toBe(Number.POSITIVE_INFINITY);
  });
});
