/**
 * The Bayesian reading against reference values computed independently with SciPy 1.17
 * by tests/reference/stats_reference.py: P(rate > target) from scipy.stats.beta.sf,
 * P(beats), the expected loss and the lift's quantiles by numerical integration
 * (scipy.integrate.quad) of the posteriors, quantiles by scipy.optimize.brentq. Priors:
 * Beta(2t, 2(1 − t)) for an idea with target t, Beta(2r, 2(1 − r)) for both arms of a
 * variant with pooled conversion r.
 */
import { describe, expect, test } from "vitest";
import {
  conceptReading,
  describeConceptReading,
  describeVariantReading,
  formatChance,
  variantReading,
} from "../../src/domain/bayes";

const arm = (visitors: number, conversions: number) => ({ visitors, conversions });
const closeTo = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));

describe("conceptReading: P(true conversion > target), prior Beta(2t, 2(1 − t))", () => {
  test.each([
    [300, 21, 0.06, 0.7399668821529746],
    [20, 0, 0.05, 0.020586705349234853],
    [150, 1, 0.06, 0.0001232225179028736],
    [2000, 130, 0.06, 0.8166572265387897],
    [17, 1, 0.06, 0.3784702319990279],
  ])("%i visitors, %i signups, target %s → %f", (visitors, signups, target, probability) => {
    const reading = conceptReading({ visitors, signups }, target);
    expect(reading.withheld).toBeUndefined();
    expect(reading.probabilityAboveTarget).toBeCloseTo(probability, 10);
  });

  test("no reading before 1/target visitors: no visitor is not a 95 % chance above a 5 % target", () => {
    const reading = conceptReading({ visitors: 0, signups: 0 }, 0.05);
    expect(reading.withheld).toBe("no reading before 20 visitors (one signup expected at the target)");
    expect(describeConceptReading(reading, 0.05)).toBe(reading.withheld);
    expect(conceptReading({ visitors: 19, signups: 0 }, 0.05).withheld).toBeDefined();
  });

  test.each([
    ["signups above visitors", 10, 12],
    ["negative visitors", -5, 0],
    ["NaN signups", 100, Number.NaN],
  ])("broken counts (%s) give no reading", (_, visitors, signups) => {
    const reading = conceptReading({ visitors, signups }, 0.06);
    expect(reading.withheld).toMatch(/broken/);
    expect(describeConceptReading(reading, 0.06)).not.toMatch(/NaN|> 99 %/);
  });
});

describe("variantReading: both arms under one prior Beta(2r, 2(1 − r)), r the pooled conversion", () => {
  test.each([
    [
      1000, 100, 1000, 130, 0.9824336392402853, 0.3002455030513082, 0.01841273032861276, 0.6656176477957381,
      9.055495103296309e-5,
    ],
    [
      500, 3, 500, 40, 0.9999999998831219, 13.394847995153919, 4.140123805939395, 60.87727461811993,
      2.359690135216282e-13,
    ],
    [
      200, 10, 180, 12, 0.756869475195332, 0.3368378921647994, -0.41208132650760587, 2.111881139216493,
      0.0033841222934028513,
    ],
    [
      40, 1, 40, 1, 0.4999999999999232, 3.1492141435978196e-13, -0.9700354940687025, 32.37281790320071,
      0.01211001062100427,
    ],
    [
      8000, 480, 8000, 500, 0.7452435281878829, 0.041684024782839335, -0.07735796285095906, 0.1762189475347988,
      0.0005796074313259633,
    ],
  ])(
    "control %i/%i, treatment %i/%i → P(beats) %f, lift median %f [%f, %f], expected loss %f",
    (nc, cc, nt, ct, beats, median, low, high, loss) => {
      const reading = variantReading(arm(nc, cc), arm(nt, ct));
      if (!reading) throw new Error("expected a reading");
      closeTo(reading.probabilityBeats, beats, 1e-7);
      closeTo(reading.lift.median, median, 1e-5);
      closeTo(reading.lift.low, low, 1e-5);
      closeTo(reading.lift.high, high, 1e-5);
      closeTo(reading.expectedLoss, loss, 1e-7);
    },
  );

  test.each([
    ["no visitor at all", arm(0, 0), arm(0, 0)],
    ["no signup yet", arm(400, 0), arm(400, 0)],
    ["an arm below 1/pooled conversion (1/0.05 = 20 visitors)", arm(19, 1), arm(500, 25)],
    ["signups above visitors", arm(10, 12), arm(1000, 60)],
    ["a NaN count", arm(100, Number.NaN), arm(100, 5)],
    ["a negative count", arm(100, -1), arm(100, 5)],
  ])("no reading with %s", (_, control, treatment) => {
    expect(variantReading(control, treatment)).toBeUndefined();
  });

  test("two arms where every visitor converted are even, not a '> 99 %' winner", () => {
    expect(variantReading(arm(50, 50), arm(50, 50))?.probabilityBeats).toBeCloseTo(0.5, 6);
  });

  test("the sentences carry no ∞, NaN or undefined, whatever the counts", () => {
    for (const [control, treatment] of [
      [arm(200, 2), arm(200, 0)],
      [arm(500, 0), arm(500, 40)],
      [arm(50, 50), arm(50, 50)],
    ] as const) {
      const reading = variantReading(control, treatment);
      if (!reading) throw new Error("expected a reading");
      expect(describeVariantReading(reading)).not.toMatch(/∞|NaN|undefined|Infinity/);
    }
  });

  test.each([
    [0, "< 1 %"],
    [0.004, "< 1 %"],
    [0.5, "50 %"],
    [0.996, "> 99 %"],
    [Number.NaN, "< 1 %"],
  ])("formatChance(%s) = %s", (probability, text) => {
    expect(formatChance(probability)).toBe(text);
  });
});
