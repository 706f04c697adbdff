/**
 * The idea verdict's promises, measured the way a founder uses them: traffic arrives day by
 * day and the verdict is read after every day, for six months. Seeded, so every run of
 * this file sees the same traffic.
 *
 * Monte Carlo margin: a rate measured over R runs plus two of its standard errors must
 * stay under the bound — a rule whose true rate is at the bound fails. The rules' true
 * rates are well below their bounds (Ville's inequality is loose for daily, discrete
 * looks), so the assertions do not flap.
 */
import { describe, expect, test } from "vitest";
import { conceptVerdict } from "../../src/domain/verdict";
import { DAYS, everConcept, upperEstimate } from "../support/verdict-simulation";

describe("an idea whose true conversion is exactly its target", () => {
  // Daily traffic from 10 to 1,000 visitors, targets from 1 % to 30 %; the first four are
  // the scenarios of issue 10 (where the old rule killed 5–12 % of these ideas). The 2 %
  // one has the highest rate (about 1.6 % ever "not validated"): more runs there.
  const scenarios = [
    { target: 6, visitorsPerDay: 50, minVisitors: 1500, minSignups: 100, runs: 500 },
    { target: 5, visitorsPerDay: 20, minVisitors: 300, minSignups: 15, runs: 500 },
    { target: 2, visitorsPerDay: 20, minVisitors: 500, minSignups: 10, runs: 2000 },
    { target: 10, visitorsPerDay: 10, minVisitors: 200, minSignups: 20, runs: 500 },
    { target: 1, visitorsPerDay: 1000, minVisitors: 3000, minSignups: 30, runs: 500 },
    { target: 30, visitorsPerDay: 10, minVisitors: 200, minSignups: 60, runs: 500 },
  ];
  // Simulated once, on first use, so that the time shows against the tests.
  let cache: Record<string, number>[] | undefined;
  const measured = () => {
    cache ??= scenarios.map((scenario, i) => {
      const criteria = { ...scenario, minConversionPercent: scenario.target, minDetectableEffectPercent: 20 };
      return everConcept(
        {
          trueRate: scenario.target / 100,
          visitorsPerDay: scenario.visitorsPerDay,
          days: DAYS,
          runs: scenario.runs,
          seed: 100 + i,
        },
        (counts, visitorsPerDay) => {
          // Only calls on the evidence are bounded; a passed decision date is a separate key.
          const verdict = conceptVerdict({ criteria, counts, visitorsPerDay, today: "2026-11-25" });
          return verdict.basis === "deadline" ? "deadline" : verdict.status;
        },
      );
    });
    return cache;
  };

  test.each(scenarios.map((scenario, i) => [scenario.target, scenario.visitorsPerDay, i] as const))(
    "target %i %, %i visitors a day: ever 'not validated' and ever 'validated' each ≤ 2.5 %",
    (_target, _perDay, i) => {
      const rates = measured()[i] ?? {};
      const runs = scenarios[i]?.runs ?? 0;
      expect(upperEstimate(rates["not validated"] ?? 0, runs)).toBeLessThanOrEqual(0.025);
      expect(upperEstimate(rates.validated ?? 0, runs)).toBeLessThanOrEqual(0.025);
    },
  );

  test("over all six scenarios together, each wrong call stays under 2.5 %", () => {
    const all = measured();
    const runs = scenarios.reduce((sum, scenario) => sum + scenario.runs, 0);
    const pooled = (status: string) =>
      all.reduce((sum, rates, i) => sum + (rates[status] ?? 0) * (scenarios[i]?.runs ?? 0), 0) / runs;
    expect(upperEstimate(pooled("not validated"), runs)).toBeLessThanOrEqual(0.025);
    expect(upperEstimate(pooled("validated"), runs)).toBeLessThanOrEqual(0.025);
  });

  test("the worst corner found: 5 % target, 10 visitors a day, for a year — each wrong call ≤ 2.5 %", () => {
    // The reviewer's worst idea case (1.4 % ever "not validated" in 10,000 runs, daily looks).
    // Looks every 3 days to keep the time down; 3,000 runs keep two standard errors near 0.4 point.
    const runs = 3000;
    const criteria = { minVisitors: 100, minSignups: 5, minConversionPercent: 5, minDetectableEffectPercent: 20 };
    const rates = everConcept(
      { trueRate: 0.05, visitorsPerDay: 10, days: 365, daysPerLook: 3, runs, seed: 110 },
      (counts, visitorsPerDay) => conceptVerdict({ criteria, counts, visitorsPerDay, today: "2026-11-25" }).status,
    );
    expect(upperEstimate(rates["not validated"] ?? 0, runs)).toBeLessThanOrEqual(0.025);
    expect(upperEstimate(rates.validated ?? 0, runs)).toBeLessThanOrEqual(0.025);
  });
});

describe("the idea rule's power", () => {
  const RUNS = 300;
  test("5 % target, 20 visitors a day, true conversion 7.5 %: validated within 90 days in ≥ 85 % of runs", () => {
    const criteria = { minVisitors: 300, minSignups: 15, minConversionPercent: 5, minDetectableEffectPercent: 20 };
    const rates = everConcept(
      { trueRate: 0.075, visitorsPerDay: 20, days: 90, runs: RUNS, seed: 200, stopOn: ["validated"] },
      (counts, visitorsPerDay) => conceptVerdict({ criteria, counts, visitorsPerDay, today: "2026-11-25" }).status,
    );
    expect(rates.validated ?? 0).toBeGreaterThanOrEqual(0.85);
  });

  test("2 % target, 20 visitors a day, true conversion 1 %: not validated within 180 days in ≥ 85 % of runs", () => {
    const criteria = { minVisitors: 500, minSignups: 10, minConversionPercent: 2, minDetectableEffectPercent: 20 };
    const rates = everConcept(
      { trueRate: 0.01, visitorsPerDay: 20, days: DAYS, runs: RUNS, seed: 201, stopOn: ["not validated"] },
      (counts, visitorsPerDay) => conceptVerdict({ criteria, counts, visitorsPerDay, today: "2026-11-25" }).status,
    );
    expect(rates["not validated"] ?? 0).toBeGreaterThanOrEqual(0.85);
  });
});
