import { describe, expect, test } from "vitest";
import { addDays, dayStartMs } from "../../src/domain/calendar";
import {
  type DayCounts,
  daysBetween,
  newDecisions,
  shownConceptVerdict,
  verdictWindow,
} from "../../src/domain/decision";
import { comparisonStart, contentOf } from "../../src/domain/experiments";
import { seededRandom } from "../../src/domain/random";
import { conceptVerdict } from "../../src/domain/verdict";
import { testConcept } from "../support/concepts";

const twoPrices = (amount: number, shared = 24) =>
  testConcept("pli", {
    price: { amount: shared, currency: "EUR", period: "month" },
    variants: [{ id: "control" }, { id: "cheap", price: { amount, currency: "EUR", period: "month" } }],
  });

describe("epochs on content", () => {
  test("a variant's price edit changes its fingerprint only; an edit of the shared offer changes every variant that uses it", () => {
    const before = contentOf(twoPrices(16));
    expect(contentOf(twoPrices(16))).toEqual(before);
    const cheaper = contentOf(twoPrices(14));
    expect(cheaper.control).toBe(before.control);
    expect(cheaper.cheap).not.toBe(before.cheap);
    const shared = contentOf(twoPrices(16, 29));
    expect(shared.control).not.toBe(before.control);
    expect(shared.cheap).toBe(before.cheap);
  });

  test("the story, benefits or FAQ (the same on every variant) do not start a new comparison", () => {
    const edited = testConcept("pli", {
      story: ["Une autre histoire."],
      variants: [{ id: "control" }, { id: "cheap", price: { amount: 16, currency: "EUR", period: "month" } }],
    });
    expect(contentOf(edited)).toEqual(contentOf(twoPrices(16)));
  });

  const EDIT = Date.parse("2026-11-10T09:30:00Z");
  const epoch = (startedAt: number, concept: ReturnType<typeof twoPrices> | undefined) => ({
    startedAt,
    weights: { control: 1, cheap: 1 },
    ...(concept ? { content: contentOf(concept) } : {}),
  });

  test.each([
    [
      "the variant's price edited",
      [epoch(0, twoPrices(16)), epoch(EDIT, twoPrices(14))],
      { since: EDIT, change: "changed" },
    ],
    [
      "the control's offer edited",
      [epoch(0, twoPrices(16)), epoch(EDIT, twoPrices(16, 29))],
      { since: EDIT, change: "changed" },
    ],
    ["the same offers again", [epoch(0, twoPrices(16)), epoch(EDIT, twoPrices(16))], { since: 0 }],
    [
      "an old epoch whose offers were never fingerprinted",
      [epoch(0, undefined), epoch(EDIT, twoPrices(14))],
      { since: 0 },
    ],
  ])("%s → %o", (_name, epochs, expected) => {
    expect(comparisonStart(epochs, "cheap", "control")).toEqual(expected);
  });
});

describe("the verdict window", () => {
  test.each([
    ["no decision date", undefined, "2026-11-24", { from: "2026-10-01", to: "2026-11-24" }],
    ["before the decision date", "2026-12-31", "2026-11-24", { from: "2026-10-01", to: "2026-11-24" }],
    ["after it: stopped there", "2026-11-15", "2026-11-24", { from: "2026-10-01", to: "2026-11-15" }],
  ])("%s", (_name, decideBy, lastDay, window) => {
    expect(verdictWindow("2026-10-01", decideBy ? { decideBy } : {}, lastDay)).toEqual(window);
  });
});

/** A test at `rate` with `perDay` visitors a day from START, as the store would gather it (one variant). */
function simulateDays(seed: number, days: number, perDay: number, rate: number): DayCounts[] {
  const random = seededRandom(seed);
  return daysBetween(START, addDays(START, days - 1)).map((day) => {
    let signups = 0;
    for (let i = 0; i < perDay; i++) if (random() < rate) signups++;
    return { variant: "control", day, visitors: perDay, signups };
  });
}
const START = "2026-10-01";

describe("the decision log", () => {
  const idea = testConcept("idea", { successCriteria: { minVisitors: 100, minSignups: 5, minConversionPercent: 5 } });
  const look = (daily: DayCounts[], days: number) =>
    newDecisions({
      concept: idea,
      epochs: [{ startedAt: 0, weights: { control: 1 } }],
      daily,
      splitDaily: daily,
      testStart: START,
      days: daysBetween(START, addDays(START, days - 1)),
      logged: [],
    });

  test("logs the first whole day on which the rule reaches a verdict, with that day's figures", () => {
    // A good idea (10 % against a 5 % target), 40 visitors a day.
    const daily = simulateDays(11, 60, 40, 0.1);
    const [decision] = look(daily, 60);
    expect(decision).toMatchObject({ variant: null, status: "validated", basis: "evidence", comparedFrom: START });
    const reachedOn = decision?.reachedOn ?? "";
    const upTo = (day: string) => daily.filter((row) => row.day <= day);
    const sum = (rows: DayCounts[]) => ({
      visitors: rows.reduce((n, r) => n + r.visitors, 0),
      signups: rows.reduce((n, r) => n + r.signups, 0),
    });
    expect({ visitors: decision?.visitors, signups: decision?.signups }).toEqual(sum(upTo(reachedOn)));
    // The day before, the rule was still testing: this is the first crossing, not any later one.
    const before = conceptVerdict({
      criteria: idea.successCriteria,
      counts: sum(upTo(addDays(reachedOn, -1))),
      visitorsPerDay: 40,
      today: reachedOn,
    });
    expect(before.status).toBe("keep testing");
  });

  test("a later wobble does not flip the verdict shown: the logged one stays, with its day", () => {
    const daily = simulateDays(11, 60, 40, 0.1);
    const [decision] = look(daily, 60);
    // Then months of traffic that signs up at 1 %: the live rule would now say "not validated".
    const later = [...daily, ...simulateDays(12, 200, 200, 0.01).map((row) => ({ ...row, day: addDays(row.day, 60) }))];
    const counts = {
      visitors: later.reduce((n, r) => n + r.visitors, 0),
      signups: later.reduce((n, r) => n + r.signups, 0),
    };
    const lastDay = addDays(START, 259);
    const live = shownConceptVerdict({
      criteria: idea.successCriteria,
      counts,
      visitorsPerDay: 200,
      lastDay,
      decision: undefined,
    });
    expect(live.status).toBe("not validated");
    const shown = shownConceptVerdict({
      criteria: idea.successCriteria,
      counts,
      visitorsPerDay: 200,
      lastDay,
      decision,
    });
    expect(shown.status).toBe("validated");
    expect(shown.reachedOn).toBe(decision?.reachedOn);
    expect(shown.reason).toMatch(
      new RegExp(
        `^Validated on ${decision?.reachedOn}, with ${decision?.visitors} visitors and ${decision?.signups} signups: `,
      ),
    );
    // And the log, looking on, adds nothing for an idea already decided.
    expect(
      newDecisions({
        concept: idea,
        epochs: [{ startedAt: 0, weights: { control: 1 } }],
        daily: later,
        splitDaily: later,
        testStart: START,
        days: daysBetween(addDays(START, 60), lastDay),
        logged: decision ? [decision] : [],
      }),
    ).toEqual([]);
  });

  test("with a decision date, an unsettled test is logged as not validated on that day, and later days are not looked at", () => {
    const deadline = testConcept("deadline", {
      successCriteria: { minVisitors: 100, minSignups: 5, minConversionPercent: 5, decideBy: addDays(START, 9) },
    });
    // Exactly at the target with 10 visitors a day: ten days cannot settle it.
    const daily = simulateDays(5, 30, 10, 0.05);
    const found = newDecisions({
      concept: deadline,
      epochs: [],
      daily,
      splitDaily: daily,
      testStart: START,
      days: daysBetween(START, addDays(START, 29)),
      logged: [],
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      status: "not validated",
      basis: "deadline",
      reachedOn: addDays(START, 9),
      visitors: 100,
    });
  });

  test("a variant's comparison restarted by a price edit is judged from the edit's first whole day, as its own decision", () => {
    const v1 = twoPrices(16);
    const EDIT = dayStartMs(addDays(START, 20)) + 3_600_000;
    const epochs = [
      { startedAt: 0, weights: { control: 1, cheap: 1 }, content: contentOf(v1) },
      { startedAt: EDIT, weights: { control: 1, cheap: 1 }, content: contentOf(twoPrices(14)) },
    ];
    const random = seededRandom(3);
    const daily = daysBetween(START, addDays(START, 59)).flatMap((day) =>
      (["control", "cheap"] as const).map((variant) => {
        let signups = 0;
        for (let i = 0; i < 100; i++) if (random() < (variant === "cheap" ? 0.12 : 0.05)) signups++;
        return { variant, day, visitors: 100, signups };
      }),
    );
    const found = newDecisions({
      concept: twoPrices(14),
      epochs,
      daily,
      splitDaily: daily,
      testStart: START,
      days: daysBetween(START, addDays(START, 59)),
      logged: [],
    });
    const cheap = found.filter((decision) => decision.variant === "cheap");
    // One decision per comparison window at most; the one of the new offer starts after the edit.
    expect(new Set(cheap.map((decision) => decision.comparedFrom)).size).toBe(cheap.length);
    const current = cheap.find((decision) => decision.comparedFrom === addDays(START, 21));
    expect(current).toMatchObject({ outcome: "better", status: "validated" });
    expect(current?.reachedOn && current.reachedOn > addDays(START, 21)).toBe(true);
  });
});
