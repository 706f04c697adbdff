/**
 * The verdicts on hand-picked counts: what each rule decides and says. Their error rates
 * and power under daily looks are measured in *-verdict-simulation.test.ts; the plan is
 * checked against tests/reference/stats_reference.py (SciPy's brentq on the same rule).
 */
import { describe, expect, test } from "vitest";
import {
  conceptVerdict,
  formatLift,
  formatLiftInterval,
  plannedVisitorsPerArm,
  variantVerdict,
  verdictLabel,
} from "../../src/domain/verdict";

const criteria = { minVisitors: 1500, minSignups: 100, minConversionPercent: 6, minDetectableEffectPercent: 20 };
const arm = (visitors: number, conversions: number) => ({ visitors, conversions });
/** Nothing a page, an email or a CSV could print as a broken figure. */
const BROKEN = /∞|NaN|undefined|Infinity/;

describe("conceptVerdict", () => {
  test.each([
    ["no data yet", 0, 0, "keep testing", /^No visitors yet: about 1,667 more visitors \(~28 days/],
    ["early and promising", 300, 30, "keep testing", /300 of the 1500 visitors planned/],
    ["clearly above the target", 2800, 253, "validated", /clears the 6\.0 % target/],
    ["clearly below the target", 2700, 73, "not validated", /even the top of the interval is below the 6\.0 % target/],
    ["too close to the target to call", 2200, 130, "keep testing", /too close to call with this traffic/],
    ["enough visitors, too few signups", 1600, 99, "keep testing", /not yet clearly above or below/],
    ["150 visitors and 1 signup: too early to kill", 150, 1, "keep testing", /not yet clearly above or below/],
  ])("%s: %i visitors, %i signups → %s", (_name, visitors, signups, status, reason) => {
    const verdict = conceptVerdict({
      criteria,
      counts: { visitors, signups },
      visitorsPerDay: 60,
      today: "2026-11-25",
    });
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
    expect(verdict.reason).not.toMatch(BROKEN);
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

  test("no idea is ruled out before 5 signups would be expected at its target", () => {
    // 0 signups in 16 visitors against a 30 % target: the interval is already below the
    // target, but only 4.8 signups were expected.
    const verdict = conceptVerdict({
      criteria: { minVisitors: 20, minSignups: 5, minConversionPercent: 30, minDetectableEffectPercent: 20 },
      counts: { visitors: 16, signups: 0 },
      visitorsPerDay: 5,
      today: "2026-11-25",
    });
    expect(verdict.interval.high).toBeLessThan(0.3);
    expect(verdict.status).toBe("keep testing");
    expect(verdict.reason).toMatch(
      /too few to rule the idea out \(fewer than 5 signups expected at the 30\.0 % target\)/,
    );
    expect(verdict.visitorsNeeded).toBe(1);
  });

  test("after the decision date, an unsettled test is not validated on the deadline, not on the evidence", () => {
    // 48/800 is exactly the 6 % target: nothing was measured against the idea.
    const verdict = conceptVerdict({
      criteria: { ...criteria, decideBy: "2026-11-01" },
      counts: { visitors: 800, signups: 48 },
      visitorsPerDay: 50,
      today: "2026-11-25",
    });
    expect(verdict).toMatchObject({
      status: "not validated",
      basis: "deadline",
      reason: expect.stringContaining("2026-11-01 has passed before the evidence settled it"),
    });
    expect(verdict.reason).toMatch(/not a measured failure/);
    expect(verdict.reason).not.toMatch(/below the/);
  });

  test.each([
    ["below the target", 3000, 60, "not validated"],
    ["above the target", 3000, 300, "validated"],
  ] as const)("a decision %s rests on the evidence, even after the decision date", (_, visitors, signups, status) => {
    const verdict = conceptVerdict({
      criteria: { ...criteria, decideBy: "2026-11-01" },
      counts: { visitors, signups },
      visitorsPerDay: 50,
      today: "2026-11-25",
    });
    expect(verdict).toMatchObject({ status, basis: "evidence" });
  });

  test("more signups than visitors is a broken count, not a conversion over 100 %", () => {
    const verdict = conceptVerdict({
      criteria,
      counts: { visitors: 10, signups: 12 },
      visitorsPerDay: 5,
      today: "2026-11-25",
    });
    expect(verdict.status).toBe("keep testing");
    expect(verdict.reason).toMatch(/the counting is broken/);
    expect(verdict.interval).toEqual({ low: 0, high: 1 });
  });
});

describe("variantVerdict", () => {
  const verdict = (control: ReturnType<typeof arm>, treatment: ReturnType<typeof arm>, treatments = 1) =>
    variantVerdict({ control, treatment, criteria, visitorsPerDay: 200, treatments });

  test("a clear winner is better (validated)", () => {
    const result = verdict(arm(8000, 480), arm(8000, 720));
    expect(result).toMatchObject({ outcome: "better", status: "validated", confidence: 0.95 });
    expect(result.reason).toMatch(
      /^Beats the control: lift \+50 % \(95 % always-valid interval \+\d+ % to \+\d+ %\)\.$/,
    );
    expect(result.pValue).toBeLessThan(0.05);
  });

  test("a clear loser is worse (not validated)", () => {
    expect(verdict(arm(8000, 720), arm(8000, 480))).toMatchObject({ outcome: "worse", status: "not validated" });
  });

  test("no difference worth having is an outcome of its own: equivalent", () => {
    const result = verdict(arm(40000, 2400), arm(40000, 2410));
    expect(result).toMatchObject({ outcome: "equivalent", status: "not validated" });
    expect(result.reason).toMatch(
      /^No difference worth having, the ratio of the rates is within ÷1\.2 to ×1\.2 \(a lift between −17 % and \+20 %\): .* Keep whichever is simpler\.$/,
    );
  });

  test("equivalence is symmetric on the ratio scale, so a minimum effect of 100 % or more still reads right", () => {
    // 30/100 against 31/100, minimum effect 500 %: the ratio is within ÷6 to ×6.
    const result = variantVerdict({
      control: arm(100, 30),
      treatment: arm(100, 31),
      criteria: { ...criteria, minConversionPercent: 30, minDetectableEffectPercent: 500 },
      visitorsPerDay: 200,
    });
    expect(result.outcome).toBe("equivalent");
    expect(result.interval.low).toBeGreaterThan(-5 / 6);
    expect(result.interval.high).toBeLessThan(5);
    expect(result.reason).toMatch(/within ÷6 to ×6 \(a lift between −83 % and \+500 %\)/);
    expect(result.reason).not.toMatch(/of 500 %/);
  });

  test("a drop of up to 20 % is not within ÷1.2: 1,128/20,000 against 1,200/20,000 is not equivalent", () => {
    // The interval (about −17.1 % to +6.5 %) is inside ±20 % but its low end is below 1/1.2 − 1.
    const result = verdict(arm(20000, 1200), arm(20000, 1128));
    expect(result.interval.low).toBeGreaterThan(-0.2);
    expect(result.interval.low).toBeLessThan(1 / 1.2 - 1);
    expect(result.outcome).toBe("undecided");
  });

  test("an early lead that a fixed-horizon test calls significant (p ≈ 0.005) is not a call yet", () => {
    const result = verdict(arm(1400, 90), arm(1400, 130));
    expect(result.outcome).toBe("undecided");
    expect(result.status).toBe("keep testing");
    expect(result.reason).toMatch(/to tell it apart from no difference\.$/);
    expect(result.daysNeeded).toBe(Math.ceil(((result.visitorsNeeded ?? 0) * 2) / 200));
  });

  test("with a small lift, the wait shown is the one to conclude equivalence", () => {
    const result = verdict(arm(2000, 100), arm(2000, 104));
    expect(result.outcome).toBe("undecided");
    expect(result.reason).toMatch(
      /to show the ratio of the rates within ÷1\.2 to ×1\.2 \(a lift between −17 % and \+20 %\)\.$/,
    );
    expect(result.visitorsNeeded).toBeGreaterThan(5000);
    expect(result.visitorsNeeded).toBeLessThan(30000);
  });

  describe("zero conversions", () => {
    test("0/500 against 40/500 is an obvious winner", () => {
      const result = verdict(arm(500, 0), arm(500, 40));
      expect(result.outcome).toBe("better");
      expect(result.lift).toBeUndefined();
      expect(result.reason).toMatch(/no control signup yet, lift above \+\d+ %/);
    });

    test("60/1000 against 0/1000 is an obvious loser", () => {
      const result = verdict(arm(1000, 60), arm(1000, 0));
      expect(result.outcome).toBe("worse");
      expect(result.reason).toMatch(/lift −100 % \(95 % always-valid interval −100 % to −\d+ %\)/);
    });

    test("0/40 against 0/40 asks for a finite, sensible amount of traffic", () => {
      const result = verdict(arm(40, 0), arm(40, 0));
      expect(result.outcome).toBe("undecided");
      expect(result.visitorsNeeded).toBeGreaterThan(1000);
      expect(result.visitorsNeeded).toBeLessThan(200_000);
    });

    test("before any visitor in an arm, the traffic needed is the plan", () => {
      const result = verdict(arm(0, 0), arm(0, 0));
      expect(result.visitorsNeeded).toBe(result.plannedPerArm);
      expect(result.reason).toMatch(/^No visitors yet\. The plan: 11,637 visitors per variant/);
      expect(verdict(arm(40, 0), arm(0, 0)).reason).toMatch(/^No visitors yet in the variant\. The plan/);
    });
  });

  test("signups above visitors are refused, not fed clamped to the test", () => {
    const result = verdict(arm(1000, 60), arm(10, 12));
    expect(result).toMatchObject({ outcome: "undecided", pValue: 1 });
    expect(result.reason).toMatch(/the counting is broken/);
  });

  test("with three treatments each interval is at 1 − 5 %/3 and a call needs more evidence", () => {
    const one = verdict(arm(3000, 150), arm(3000, 210));
    const three = verdict(arm(3000, 150), arm(3000, 210), 3);
    expect(three.confidence).toBeCloseTo(1 - 0.05 / 3, 12);
    expect(three.reason).toMatch(/98\.33 % always-valid interval/);
    expect(three.pValue).toBeCloseTo(Math.min(1, 3 * one.pValue), 12);
    expect(three.interval.low).toBeLessThan(one.interval.low);
  });

  test.each([0, Number.NaN, -10])("a minimum detectable effect of %s % is not compared, and says why", (mde) => {
    const result = variantVerdict({
      control: arm(8000, 480),
      treatment: arm(8000, 720),
      criteria: { ...criteria, minDetectableEffectPercent: mde },
      visitorsPerDay: 200,
    });
    expect(result).toMatchObject({ outcome: "undecided", plannedPerArm: undefined });
    expect(result.reason).toMatch(/minimum detectable effect must be above 0 %/);
    expect(result.reason).not.toMatch(BROKEN);
  });

  test("NaN counts are broken counts, and no text says NaN", () => {
    const idea = conceptVerdict({
      criteria,
      counts: { visitors: Number.NaN, signups: 3 },
      visitorsPerDay: 5,
      today: "2026-11-25",
    });
    expect(idea.reason).toMatch(/the counting is broken/);
    expect(idea.reason).not.toMatch(BROKEN);
    const variant = verdict(arm(100, Number.NaN), arm(100, 5));
    expect(variant.outcome).toBe("undecided");
    expect(variant.reason).not.toMatch(BROKEN);
  });

  test("every text is free of ∞, NaN and undefined, and visitorsNeeded is finite whenever the plan is", () => {
    for (const control of [arm(0, 0), arm(40, 0), arm(500, 0), arm(1000, 60), arm(3, 3)]) {
      for (const treatment of [arm(0, 0), arm(40, 0), arm(500, 40), arm(1000, 0), arm(3, 3)]) {
        const result = verdict(control, treatment);
        expect(result.reason).not.toMatch(BROKEN);
        if (result.outcome === "undecided" && result.plannedPerArm !== undefined) {
          expect(Number.isFinite(result.visitorsNeeded)).toBe(true);
        }
      }
    }
  });

  test("verdicts are cheap: 50,000 of each kind in under 5 s, even on a busy 2-core machine", () => {
    const start = performance.now();
    for (let i = 0; i < 50_000; i++) {
      verdict(arm(1000 + (i % 500), 60 + (i % 17)), arm(1000, 60 + (i % 13)));
      conceptVerdict({
        criteria,
        counts: { visitors: 1000 + (i % 500), signups: 60 + (i % 17) },
        visitorsPerDay: 60,
        today: "2026-11-25",
      });
    }
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe("plannedVisitorsPerArm: where the rule itself has 80 % power", () => {
  test.each([
    [0.06, 0.2, 1, 11637],
    [0.1, 0.3, 1, 3244],
    [0.05, 0.2, 3, 17364],
    [0.02, 0.5, 2, 7340],
    [0.3, 0.2, 1, 2328],
  ])("target %s, minimum lift %s, %i treatment(s) → %i per arm (SciPy reference)", (target, mde, treatments, n) => {
    expect(plannedVisitorsPerArm(target, mde, treatments)).toBe(n);
  });

  test("no plan when the lift would take the rate above 100 %", () => {
    expect(plannedVisitorsPerArm(0.9, 0.2)).toBeUndefined();
  });

  test("a lift too small to find in any reasonable traffic has no plan, and the page says so", () => {
    expect(plannedVisitorsPerArm(0.5, 0.01)).toBeUndefined();
    const result = variantVerdict({
      control: arm(0, 0),
      treatment: arm(0, 0),
      criteria: { ...criteria, minConversionPercent: 50, minDetectableEffectPercent: 1 },
      visitorsPerDay: 200,
    });
    expect(result.reason).toMatch(/needs more than 100,000 signups: test a bolder change/);
  });
});

describe("formatting lifts", () => {
  test.each([
    [0.25, "+25 %"],
    [-0.333, "−33 %"],
    [undefined, "n/a"],
    [Number.NaN, "n/a"],
  ])("formatLift(%s) = %s", (lift, text) => {
    expect(formatLift(lift)).toBe(text);
  });

  test("an open-ended interval reads 'above', never ∞", () => {
    expect(formatLiftInterval({ low: 0.06, high: Number.POSITIVE_INFINITY })).toBe("above +6 %");
    expect(formatLiftInterval({ low: -0.2, high: 0.4 })).toBe("−20 % to +40 %");
  });
});

describe("the traffic still needed is the rule's own", () => {
  // If the rates stay where they are, the rule decides close to the traffic announced.
  test.each([
    [600, 27, 6],
    [400, 40, 6],
    [3000, 95, 4],
  ])(
    "an idea at %i visitors and %i signups (target %i %): decided by 1.15 × the visitors said to be needed, not at 0.75 ×",
    (visitors, signups, target) => {
      const ideaCriteria = {
        minVisitors: 300,
        minSignups: 10,
        minConversionPercent: target,
        minDetectableEffectPercent: 20,
      };
      const at = (extra: number) => {
        const n = Math.round(visitors + extra);
        return conceptVerdict({
          criteria: ideaCriteria,
          counts: { visitors: n, signups: Math.round((signups / visitors) * n) },
          visitorsPerDay: 50,
          today: "2026-11-25",
        }).status;
      };
      const first = conceptVerdict({
        criteria: ideaCriteria,
        counts: { visitors, signups },
        visitorsPerDay: 50,
        today: "2026-11-25",
      });
      expect(first.status).toBe("keep testing");
      const needed = first.visitorsNeeded ?? Number.NaN;
      expect(at(needed * 1.05)).not.toBe("keep testing");
      expect(at(needed * 0.8)).toBe("keep testing");
    },
  );

  test.each([
    [2000, 100, 2000, 130],
    [1000, 60, 1000, 62],
    [500, 30, 500, 20],
    [1400, 90, 1400, 130],
  ])(
    "a variant at %i/%i against %i/%i: decided by 1.15 × the visitors said to be needed, not at 0.75 ×",
    (nc, cc, nt, ct) => {
      const at = (extra: number) => {
        const grow = (n: number, c: number) => arm(Math.round(n + extra), Math.round((c / n) * (n + extra)));
        return variantVerdict({ control: grow(nc, cc), treatment: grow(nt, ct), criteria, visitorsPerDay: 200 })
          .outcome;
      };
      const first = variantVerdict({ control: arm(nc, cc), treatment: arm(nt, ct), criteria, visitorsPerDay: 200 });
      expect(first.outcome).toBe("undecided");
      const needed = first.visitorsNeeded ?? Number.NaN;
      expect(at(needed * 1.1)).not.toBe("undecided");
      expect(at(needed * 0.8)).toBe("undecided");
    },
  );
});

describe("verdictLabel", () => {
  test.each([
    [{ status: "validated" as const }, "validated"],
    [{ status: "not validated" as const, basis: "evidence" as const }, "not validated"],
    [{ status: "not validated" as const, basis: "deadline" as const }, "not validated (deadline)"],
    [{ status: "not validated" as const, outcome: "equivalent" as const }, "equivalent"],
    [{ status: "keep testing" as const, outcome: "undecided" as const }, "keep testing"],
  ])("%o reads %s", (verdict, label) => {
    expect(verdictLabel(verdict)).toBe(label);
  });
});
