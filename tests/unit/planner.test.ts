/**
 * The feasibility planner against cases computed by hand (days, deadlines, minimums), by
 * brute force (the idea's first passage, every path of a small test enumerated), and
 * against the rule it plans for (the variant plan is the verdict's own plannedVisitorsPerArm).
 */
import { describe, expect, test } from "vitest";
import type { Thresholds } from "../../src/domain/concept";
import { type PlanInput, planTest, visitorsToValidate } from "../../src/domain/planner";
import { conceptVerdict, plannedVisitorsPerArm, signupsToCallBetter } from "../../src/domain/verdict";

const today = "2026-11-25";
const criteria: Thresholds = {
  minVisitors: 1500,
  minSignups: 100,
  minConversionPercent: 6,
  minDetectableEffectPercent: 20,
};

const input = (change: Partial<PlanInput> = {}): PlanInput => ({
  criteria,
  weights: [1],
  visitorsPerDay: 100,
  traffic: "observed",
  soFar: { visitors: 0, signups: 0 },
  pairVisitorsSoFar: [],
  today,
  ...change,
  // All of it through the split unless a test says otherwise.
  splitVisitorsPerDay: change.splitVisitorsPerDay ?? change.visitorsPerDay ?? 100,
});

describe("planTest: the idea", () => {
  test.each([
    // so far, minimum signups, days: max(visitors left ÷ 100, signups left ÷ (7.2 % × 100)), rounded up
    [{ visitors: 300, signups: 30 }, 100, 12], // 1,200 visitors left; 70 ÷ 7.2 = 9.7 days of signups
    [{ visitors: 300, signups: 30 }, 200, 24], // 170 signups ÷ 7.2 a day = 23.6 days
    [{ visitors: 1600, signups: 120 }, 100, 0], // both met
  ])("so far %o, %i signups asked: the minimum criteria in %i days at 100 a day", (soFar, minSignups, days) => {
    const plan = planTest(input({ soFar, criteria: { ...criteria, minSignups } }));
    expect(plan.idea.rate).toBeCloseTo(0.072, 12);
    expect(plan.idea.daysToMinimums).toBe(days);
  });

  test("the deadline is decideBy, counted in days after today; without one, six months", () => {
    expect(planTest(input({ criteria: { ...criteria, decideBy: "2026-12-31" } })).deadline).toEqual({
      day: "2026-12-31",
      daysLeft: 36,
      fromCriteria: true,
    });
    expect(planTest(input()).deadline).toEqual({ day: "2027-05-24", daysLeft: 180, fromCriteria: false });
    expect(planTest(input({ criteria: { ...criteria, decideBy: "2026-11-01" } })).deadline.daysLeft).toBe(0);
  });

  test("the idea's first passage equals a brute-force enumeration of every path of a small test", () => {
    // 10 % target, true rate 20 %, 5 visitors a look: every sequence of daily signups over
    // 4 looks (6⁴ paths), the rule (conceptVerdict) read after each look.
    const small: Thresholds = {
      minVisitors: 10,
      minSignups: 2,
      minConversionPercent: 10,
      minDetectableEffectPercent: 100,
    };
    const rate = 0.2;
    const pmf = [0, 1, 2, 3, 4, 5].map((k) => choose(5, k) * rate ** k * (1 - rate) ** (5 - k));
    const calledBy = [0, 0, 0, 0];
    const walk = (look: number, signups: number, probability: number) => {
      if (look === 4) return;
      for (let k = 0; k <= 5; k++) {
        const s = signups + k;
        const p = probability * (pmf[k] ?? 0);
        const visitors = (look + 1) * 5;
        const status = conceptVerdict({
          criteria: small,
          counts: { visitors, signups: s },
          visitorsPerDay: 0,
          today,
        }).status;
        if (status === "validated") for (let l = look; l < 4; l++) calledBy[l] = (calledBy[l] ?? 0) + p;
        else walk(look + 1, s, p);
      }
    };
    walk(0, 0, 1);
    expect(calledBy[0]).toBe(0); // 5 visitors: below the minimum
    for (const look of [2, 3, 4]) {
      const power = (calledBy[look - 1] ?? 0) - 1e-12;
      const plan = visitorsToValidate(small, rate, 5, Number.POSITIVE_INFINITY, power);
      expect(plan?.visitors).toBe(5 * look);
      expect(plan?.probability).toBeCloseTo(calledBy[look - 1] ?? 0, 12);
    }
  });

  test("the days to a validation are the visitors still missing at the current traffic", () => {
    const plan = planTest(input({ soFar: { visitors: 2000, signups: 150 } }));
    const visitors = visitorsToValidate(criteria, 0.072, 100)?.visitors ?? Number.NaN;
    expect(plan.idea.visitors).toBe(visitors);
    expect(plan.idea.days).toBe(Math.ceil((visitors - 2000) / 100));
    expect(plan.idea.probability).toBeGreaterThanOrEqual(0.8);
  });

  test("a conversion above 100 % cannot be planned for, and without traffic no day is counted", () => {
    expect(planTest(input({ criteria: { ...criteria, minConversionPercent: 90 } })).idea.rate).toBeUndefined();
    const none = planTest(input({ visitorsPerDay: 0 }));
    expect(none.idea).toMatchObject({ daysToMinimums: undefined, days: undefined });
    expect(none.daysNeeded).toBeUndefined();
    expect(none.inTime).toBe(false);
    // …but the traffic that would conclude in six months is still given.
    expect(none.visitorsPerDayNeeded).toBeGreaterThan(0);
  });
});

describe("planTest: the variants", () => {
  test("an even split needs the verdict's own plan, two arms of plannedVisitorsPerArm", () => {
    const plan = planTest(input({ weights: [1, 1], pairVisitorsSoFar: [0] }));
    const perArm = plannedVisitorsPerArm(0.06, 0.2) ?? Number.NaN;
    expect(perArm).toBe(11637);
    // The per-arm plan is rounded up once per arm, the planner's once for both.
    expect(Math.abs((plan.variants?.visitors ?? 0) - 2 * perArm)).toBeLessThanOrEqual(2);
    expect(plan.variants?.days).toBe(Math.ceil((plan.variants?.visitors ?? 0) / 100));
  });

  test("an uneven split, or more variants, need more traffic than an even split of one", () => {
    const even = planTest(input({ weights: [1, 1], pairVisitorsSoFar: [0] })).variants?.visitors ?? 0;
    const uneven = planTest(input({ weights: [3, 1], pairVisitorsSoFar: [0] })).variants?.visitors ?? 0;
    const three = planTest(input({ weights: [1, 1, 1, 1], pairVisitorsSoFar: [0, 0, 0] })).variants;
    expect(uneven).toBeGreaterThan(even * 1.2);
    expect(three?.visitors).toBeGreaterThan(even * 2);
    // With three variants, the plan says what a single one would take.
    expect(three?.oneVariantDays).toBe(Math.ceil(even / 100));
  });

  test("the smallest lift found by the deadline is found there, and a lift 2 % smaller is not", () => {
    // 100 a day for 36 days: 3,600 visitors of the pair, already two significant digits.
    const plan = planTest(
      input({ weights: [1, 1], pairVisitorsSoFar: [0], criteria: { ...criteria, decideBy: "2026-12-31" } }),
    );
    const lift = plan.variants?.smallestLift ?? Number.NaN;
    const within = (l: number) =>
      signupsToCallBetter({
        share: 0.5,
        lift: l,
        mde: 0.2,
        treatments: 1,
        maxSignups: Math.floor(3600 * 0.06 * (1 + l / 2)),
      });
    expect(within(lift)).toBeDefined();
    expect(within((1 + lift) / 1.02 - 1)).toBeUndefined();
    expect(lift).toBeGreaterThan(0.2);
  });
});

describe("planTest: in time or not", () => {
  const deadline = { ...criteria, decideBy: "2026-12-31" };

  test("a test that fits before its decision date is in time, with no traffic to add", () => {
    const plan = planTest(input({ criteria: { ...deadline, decideBy: "2027-06-30" }, visitorsPerDay: 400 }));
    expect(plan.inTime).toBe(true);
    expect(plan.daysNeeded).toBe(plan.idea.days);
    expect(plan.visitorsPerDayNeeded).toBeUndefined();
  });

  test("one that does not fit is not in time, and the traffic it asks for makes it fit", () => {
    const plan = planTest(input({ criteria: deadline, weights: [1, 1], pairVisitorsSoFar: [0], visitorsPerDay: 60 }));
    expect(plan.inTime).toBe(false);
    const needed = plan.visitorsPerDayNeeded ?? Number.NaN;
    expect(needed).toBeGreaterThan(60);
    const faster = (perDay: number) =>
      planTest(input({ criteria: deadline, weights: [1, 1], pairVisitorsSoFar: [0], visitorsPerDay: perDay }));
    expect(faster(needed).inTime).toBe(true);
    expect(faster(needed / 1.15).inTime).toBe(false);
  });

  test("the traffic a day is printed to two significant digits, as precise as a founder's traffic is", () => {
    expect(planTest(input({ visitorsPerDay: 1234.5 })).visitorsPerDay).toBe(1200);
    expect(planTest(input({ visitorsPerDay: 21.4, traffic: "assumed" }))).toMatchObject({
      visitorsPerDay: 21,
      traffic: "assumed",
    });
  });
});

function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

describe("planTest: the variants read the split's traffic only", () => {
  test("with half the traffic on a variant's own URL, the comparison needs about twice the days", () => {
    const both = { weights: [1, 1], pairVisitorsSoFar: [0] };
    const all = planTest(input({ ...both, visitorsPerDay: 400 }));
    const half = planTest(input({ ...both, visitorsPerDay: 400, splitVisitorsPerDay: 200 }));
    expect(all.variants?.days).toBeDefined();
    expect(half.variants?.days).toBeGreaterThanOrEqual(2 * (all.variants?.days ?? 0) - 1);
    expect(half.idea.days).toBe(all.idea.days);
  });
});
