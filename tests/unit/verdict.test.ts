import { describe, expect, test } from "vitest";
import { conceptVerdict, variantVerdict } from "../../src/domain/verdict";

const criteria = { minVisitors: 1500, minSignups: 100, minConversionPercent: 6, minDetectableEffectPercent: 20 };

describe("conceptVerdict", () => {
  test.each([
    ["no data yet", 0, 0, "keep testing", /No visitors yet: about 1,667 more visitors \(~\d+ days/],
    ["early and promising", 300, 30, "keep testing", /300 of the 1500 visitors planned/],
    ["clearly above the target", 2800, 253, "validated", /clears the 6\.0 % target/],
    ["clearly below the target", 2700, 73, "not validated", /even the top of the interval is below the 6\.0 % target/],
    ["too close to the target to call", 2200, 130, "keep testing", /too close to call with this traffic/],
    [
      "enough visitors, too few signups",
      1600,
      99,
      "keep testing",
      /not yet clearly above or below|99 of the 100 signups/,
    ],
  ])("%s: %i visitors, %i signups → %s", (_name, visitors, signups, status, reason) => {
    const verdict = conceptVerdict({
      criteria,
      counts: { visitors, signups },
      visitorsPerDay: 60,
      today: "2026-11-25",
    });
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
  });

  test("a rate above the target is not validated before the planned visitors", () => {
    const verdict = conceptVerdict({
      criteria,
      counts: { visitors: 1000, signups: 200 },
      visitorsPerDay: 50,
      today: "2026-11-25",
    });
    expect(verdict.status).toBe("keep testing");
    expect(verdict.visitorsNeeded).toBe(500);
    expect(verdict.daysNeeded).toBe(10);
  });

  test("after the decision date, an unmet test is not validated", () => {
    const verdict = conceptVerdict({
      criteria: { ...criteria, decideBy: "2026-11-01" },
      counts: { visitors: 800, signups: 50 },
      visitorsPerDay: 50,
      today: "2026-11-25",
    });
    expect(verdict).toMatchObject({
      status: "not validated",
      reason: expect.stringContaining("2026-11-01 has passed"),
    });
  });
});

describe("variantVerdict", () => {
  const arm = (visitors: number, conversions: number) => ({ visitors, conversions });

  test("a clear winner is validated, past the plan it is not a peek", () => {
    const result = variantVerdict({
      control: arm(8000, 480),
      treatment: arm(8000, 720),
      criteria,
      visitorsPerDay: 200,
    });
    expect(result.status).toBe("validated");
    expect(result.reason).toMatch(/^Beats the control: lift \+50 %/);
    expect(result.plannedPerArm).toBe(6719);
    expect(result.isPeek).toBe(false);
  });

  test("a clear loser is not validated", () => {
    expect(
      variantVerdict({ control: arm(8000, 720), treatment: arm(8000, 480), criteria, visitorsPerDay: 200 }).status,
    ).toBe("not validated");
  });

  test("no difference worth having, once the interval rules out the minimum effect", () => {
    const result = variantVerdict({
      control: arm(40000, 2400),
      treatment: arm(40000, 2410),
      criteria,
      visitorsPerDay: 500,
    });
    expect(result.status).toBe("not validated");
    expect(result.reason).toMatch(/No difference of 20 % or more/);
  });

  test("an early lead that a fixed-horizon test calls significant is a peek, and the verdict says keep testing", () => {
    // 1,400 per arm, 6.4 % vs 9.3 %: p ≈ 0.005 at a fixed horizon, but far from the plan.
    const result = variantVerdict({ control: arm(1400, 90), treatment: arm(1400, 130), criteria, visitorsPerDay: 100 });
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.isPeek).toBe(true);
    expect(result.status).toBe("keep testing");
    expect(result.visitorsNeeded).toBeGreaterThan(0);
    expect(result.daysNeeded).toBe(Math.ceil(((result.visitorsNeeded ?? 0) * 2) / 100));
  });
});
