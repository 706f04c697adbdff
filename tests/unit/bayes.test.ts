/**
 * The Bayesian reading against reference values computed independently with SciPy 1.17
 * by tests/reference/stats_reference.py: P(rate > target) from scipy.stats.beta.sf,
 * P(beats), the expected loss and the lift's quantiles by numerical integration
 * (scipy.integrate.quad) of the Beta(1, 1) posteriors, quantiles by scipy.optimize.brentq.
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

describe("conceptReading: P(true conversion > target)", () => {
  test.each([
    [300, 21, 0.06, 0.8013633434859028],
    [0, 0, 0.05, 0.95],
    [150, 1, 0.06, 0.0009314896633914643],
    [2000, 130, 0.06, 0.837312345811417],
  ])("%i visitors, %i signups, target %s → %f", (visitors, signups, target, probability) => {
    expect(conceptReading({ visitors, signups }, target).probabilityAboveTarget).toBeCloseTo(probability, 10);
  });

  test("broken counts (signups above visitors) still read as a probability", () => {
    const { probabilityAboveTarget } = conceptReading({ visitors: 10, signups: 12 }, 0.06);
    expect(probabilityAboveTarget).toBeGreaterThanOrEqual(0);
    expect(probabilityAboveTarget).toBeLessThanOrEqual(1);
  });
});

describe("variantReading", () => {
  test.each([
    [
      1000, 100, 1000, 130, 0.9821650661162512, 0.29794893249177185, 0.017566971465185214, 0.661048584431115,
      9.237449150111607e-5,
    ],
    [
      500, 0, 500, 40, 0.9999999999996084, 57.6172056156191, 9.677615330499023, 1614.7719913192116,
      3.7020139347961253e-16,
    ],
    [
      200, 10, 180, 12, 0.7551008977349785, 0.3180627144465455, -0.4005055548562948, 1.9568232873947264,
      0.003543456232509593,
    ],
    [
      40, 0, 40, 0, 0.4999999999998997, 3.9582377103090023e-13, -0.9737645311078786, 37.11633800477652,
      0.011761331038437082,
    ],
    [
      8000, 480, 8000, 500, 0.745066411460936, 0.04160792681818396, -0.07731866654326458, 0.17599655195855526,
      0.0005806256340413232,
    ],
  ])(
    "control %i/%i, treatment %i/%i → P(beats) %f, lift median %f [%f, %f], expected loss %f",
    (nc, cc, nt, ct, beats, median, low, high, loss) => {
      const reading = variantReading(arm(nc, cc), arm(nt, ct));
      expect(reading.probabilityBeats).toBeCloseTo(beats, 9);
      closeTo(reading.lift.median, median, 1e-5);
      closeTo(reading.lift.low, low, 1e-5);
      closeTo(reading.lift.high, high, 1e-5);
      expect(reading.expectedLoss).toBeCloseTo(loss, 9);
    },
  );

  test("the sentences carry no ∞, NaN or undefined, whatever the counts", () => {
    for (const [control, treatment] of [
      [arm(0, 0), arm(0, 0)],
      [arm(40, 0), arm(40, 0)],
      [arm(10, 12), arm(1000, 60)],
      [arm(50, 50), arm(50, 50)],
    ] as const) {
      const text = describeVariantReading(variantReading(control, treatment));
      expect(text).not.toMatch(/∞|NaN|undefined|Infinity/);
    }
    expect(describeConceptReading(conceptReading({ visitors: 0, signups: 0 }, 0.06), 0.06)).toBe(
      "94 % chance that the true conversion is above the 6.0 % target",
    );
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
