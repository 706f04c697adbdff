import { describe, expect, test } from "vitest";
import {
  answerText,
  composeAnswers,
  composeFunnel,
  composeLadder,
  criterionLabel,
  funnelChart,
  judgedOn,
  type LadderCounts,
  ladderLine,
  NO_LADDER,
  rungCounts,
  rungsOf,
} from "../../src/domain/ladder";
import { wilsonInterval } from "../../src/domain/stats";
import { testConcept } from "../support/concepts";
import { fixture } from "../support/server";

const ladder = fixture("ladder");
const english = fixture("ladder-en");
const control: LadderCounts = {
  visitors: 1000,
  signups: 50,
  confirmed: 40,
  answered: 30,
  tier: 80,
  interview: 10,
  reservation: 5,
  tiers: { essentiel: 40, complet: 30, atelier: 20 },
};
const duo: LadderCounts = {
  visitors: 1000,
  signups: 60,
  confirmed: 30,
  answered: 45,
  tier: 70,
  interview: 6,
  reservation: 3,
  tiers: { essentiel: 50, atelier: 25 },
};

describe("the ladder of a variant", () => {
  const { steps, tiers } = composeLadder(ladder, control, "control");

  test("lists the rungs the concept offers, in the issue's order", () => {
    expect(steps.map((s) => s.key)).toEqual([
      "visitors",
      "signup",
      "confirmed",
      "answered",
      "tier",
      "interview",
      "reservation",
    ]);
    expect(rungsOf(english)).toEqual(["signup", "confirmed", "answered", "tier", "interview"]);
    expect(rungsOf(testConcept("plain", { doubleOptIn: false }))).toEqual(["signup"]);
  });

  test.each([
    ["signup", 50, "5.0 %", undefined],
    ["confirmed", 40, "4.0 %", { label: "of signups", share: "80.0 %" }],
    ["answered", 30, "3.0 %", { label: "of signups", share: "60.0 %" }],
    ["tier", 80, "8.0 %", undefined],
    ["interview", 10, "1.0 %", { label: "of signups", share: "20.0 %" }],
    ["reservation", 5, "0.5 %", { label: "of signups", share: "10.0 %" }],
  ])("%s: %i, %s of visitors, and its share of the rung it follows", (key, count, ofVisitors, ofBase) => {
    const step = steps.find((s) => s.key === key);
    expect(step?.count).toBe(count);
    expect(step?.ofVisitors).toBe(ofVisitors);
    expect(step?.ofBase).toEqual(ofBase);
  });

  test("each rung's interval is the Wilson interval of its count among visitors", () => {
    const interval = wilsonInterval(40, 1000);
    const confirmed = steps.find((s) => s.key === "confirmed");
    expect(confirmed?.interval).toBe(`${(interval.low * 100).toFixed(1)} %–${(interval.high * 100).toFixed(1)} %`);
  });

  test("the judged rung is marked (ladder.yaml judges confirmed signups)", () => {
    expect(steps.filter((s) => s.judged).map((s) => s.key)).toEqual(["confirmed"]);
    expect(judgedOn("confirmed")).toBe("judged on confirmed signups");
  });

  test("tiers are the variant's own, with their clicks' share of visitors and of tier clicks", () => {
    expect(tiers.map((t) => [t.id, t.count, t.ofVisitors, t.ofClicks])).toEqual([
      ["essentiel", 40, "4.0 %", "50.0 %"],
      ["complet", 30, "3.0 %", "37.5 %"],
      ["atelier", 20, "2.0 %", "25.0 %"],
    ]);
    expect(composeLadder(ladder, duo, "duo").tiers.map((t) => `${t.name} ${t.price}`)).toEqual([
      "Essentiel €15 / month",
      "Atelier €35 / month",
    ]);
  });

  test("no visitors: no rate, no bar, no division by zero", () => {
    const empty = composeLadder(ladder, NO_LADDER, "control");
    expect(empty.steps.every((s) => s.bar === 0)).toBe(true);
    expect(empty.steps[1]?.ofVisitors).toBe("—");
    expect(empty.steps[2]?.ofBase?.share).toBe("—");
  });
});

describe("the funnel of a concept", () => {
  const funnel = composeFunnel(
    ladder,
    new Map([
      ["control", control],
      ["duo", duo],
    ]),
  );

  test("the idea sums its variants, and each variant keeps its ladder", () => {
    expect(funnel.idea.steps.map((s) => s.count)).toEqual([2000, 110, 70, 75, 150, 16, 8]);
    expect(funnel.idea.tiers.map((t) => [t.id, t.count])).toEqual([
      ["essentiel", 90],
      ["complet", 30],
      ["atelier", 45],
    ]);
    expect(funnel.variants.map((v) => v.variant)).toEqual(["control", "duo"]);
    expect(funnel.judgedOn).toBe("judged on confirmed signups");
  });

  test("a concept with one variant has no per-variant ladders", () => {
    expect(composeFunnel(english, new Map([["control", control]])).variants).toEqual([]);
  });
});

test("the overview's line: each rung with its share of the rung it follows", () => {
  expect(ladderLine(ladder, control)).toBe(
    "1,000 visitors → 50 signups 5.0 % → 40 confirmed 80.0 % → 30 answered 60.0 % → 80 tier clicks 8.0 % → 10 interview 20.0 % → 5 reserved 10.0 %",
  );
});

test("a verdict on a rung reads the visitors and that rung's count", () => {
  expect(rungCounts(control, "confirmed")).toEqual({ visitors: 1000, signups: 40 });
  expect(rungCounts(control, "tier")).toEqual({ visitors: 1000, signups: 80 });
  expect(rungCounts(control, "signup")).toEqual({ visitors: 1000, signups: 50 });
});

describe("answers", () => {
  test("choices most picked first, with their labels and share of those who answered", () => {
    const answers = composeAnswers(ladder, {
      choices: { initie: 12, debutant: 20, confirme: 3 },
      answered: 35,
      texts: [],
    });
    expect(answers?.choices.map((c) => [c.label, c.count, c.share])).toEqual([
      ["Je n’ai jamais essayé", 20, "57.1 %"],
      ["J’ai déjà essayé un peu", 12, "34.3 %"],
      ["Je pratique régulièrement", 3, "8.6 %"],
    ]);
    expect(composeAnswers(ladder, { choices: {}, answered: 0, texts: [] }, 2)?.choices).toHaveLength(2);
  });

  test("a text question keeps its texts; a concept without a question has no answers", () => {
    expect(composeAnswers(english, { choices: {}, answered: 1, texts: ["a lamp"] })?.texts).toEqual(["a lamp"]);
    expect(composeAnswers(testConcept("plain"), { choices: {}, answered: 0, texts: [] })).toBeUndefined();
  });

  test.each([
    [["debutant"], "Je n’ai jamais essayé"],
    [["debutant", "gone"], "Je n’ai jamais essayé; gone"],
    ["a lamp", "a lamp"],
    [null, ""],
  ] as const)("answer %j reads %j", (answer, text) => {
    expect(answerText(ladder, answer as string[] | string | null)).toBe(text);
  });
});

test.each([
  ["signups", "Signups", "confirmed", "Confirmed"],
  ["conversion", "Conversion", "tier", "Conversion (tier clicks)"],
  ["visitors", "Visitors", "tier", "Visitors"],
  ["signups", "Signups", "signup", "Signups"],
] as const)("criterion %s reads %j → on rung %s: %j", (key, label, rung, expected) => {
  expect(criterionLabel(key, label, rung)).toBe(expected);
});

test("the funnel chart: one bar per variant and rung past the visitors, with its interval as whiskers", () => {
  const spec = funnelChart(
    composeFunnel(
      ladder,
      new Map([
        ["control", control],
        ["duo", duo],
      ]),
    ),
  );
  expect(spec.labels).toEqual([
    "Signups",
    "Confirmed",
    "Answered the question",
    "Clicked a tier",
    "Interview opt-in",
    "Reserved",
  ]);
  expect(spec.datasets.map((d) => d.label)).toEqual(["control", "duo"]);
  expect(spec.datasets[0]?.data[1]).toBeCloseTo(0.04);
  const { low, high } = wilsonInterval(30, 1000);
  expect(spec.datasets[1]?.low?.[1]).toBeCloseTo(low);
  expect(spec.datasets[1]?.high?.[1]).toBeCloseTo(high);
});
