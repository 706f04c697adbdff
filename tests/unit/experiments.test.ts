import { describe, expect, test } from "vitest";
import {
  AB_COOKIE_MAX_AGE_S,
  assignmentBucket,
  assignmentCookie,
  assignmentReader,
  assignVariant,
  attributeSignup,
  comparisonStart,
  describeCookieCost,
  dilutedLift,
  exposureOf,
  optedOutOfAbCookie,
  optOutCookies,
  sameEntries,
  usesAbCookie,
  type ViewExposure,
} from "../../src/domain/experiments";
import { seededRandom } from "../../src/domain/random";
import { srmPValue } from "../../src/domain/stats";

describe("assignVariant", () => {
  test.each([
    [[1, 1], "even"],
    [[3, 1], "3:1"],
    [[1, 2, 7], "1:2:7"],
  ])("over 100,000 simulated visitors the split follows weights %o (%s)", (weights) => {
    const variants = weights.map((weight, i) => ({ id: `v${i}`, weight }));
    const counts = new Map(variants.map((v) => [v.id, 0]));
    for (let i = 0; i < 100_000; i++) {
      // Fixed ids (the bucket is a hash of the id): the same 100,000 visitors on every run.
      const chosen = assignVariant(variants, assignmentBucket(`visitor-${i}`));
      counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
    }
    const observed = variants.map((v) => counts.get(v.id) ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    observed.forEach((n, i) => {
      expect(Math.abs(n / 100_000 - (weights[i] ?? 0) / total)).toBeLessThan(0.01);
    });
    // And no sample-ratio mismatch that the admin page would flag.
    expect(srmPValue(observed, weights)).toBeGreaterThan(0.001);
  });

  test("the same visitor id always lands on the same variant", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    const id = "visitor-hash-of-today";
    const first = assignVariant(variants, assignmentBucket(id));
    for (let i = 0; i < 20; i++) expect(assignVariant(variants, assignmentBucket(id))).toBe(first);
  });

  test("buckets cover the edges", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 3 },
    ];
    expect(assignVariant(variants, 0).id).toBe("a");
    expect(assignVariant(variants, 0.2499).id).toBe("a");
    expect(assignVariant(variants, 0.25).id).toBe("b");
    expect(assignVariant(variants, 0.9999999).id).toBe("b");
  });
});

describe("comparisonStart", () => {
  const epoch = (startedAt: number, weights: Record<string, number>) => ({ startedAt, weights });

  test.each([
    ["one split from the start", [epoch(0, { control: 1, b: 1 })], "b", 0],
    ["variant added later", [epoch(0, { control: 1 }), epoch(100, { control: 1, b: 1 })], "b", 100],
    [
      "another variant added: the b:control ratio is unchanged",
      [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 1, b: 1, c: 1 })],
      "b",
      0,
    ],
    [
      "b re-weighted",
      [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 1, b: 3 }), epoch(200, { control: 1, b: 3, c: 1 })],
      "b",
      100,
    ],
    ["both scaled alike keep the ratio", [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 2, b: 2 })], "b", 0],
    ["no history", [], "b", 0],
  ])("%s → %i", (_name, epochs, variant, since) => {
    expect(comparisonStart(epochs, variant, "control").since).toBe(since);
  });
});

test("sameEntries compares ids and values, not order", () => {
  expect(sameEntries({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  expect(sameEntries({ a: 1 }, { a: 1, b: 1 })).toBe(false);
  expect(sameEntries({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
});

describe("the A/B cookie", () => {
  // The current split started on 2026-11-10: assignments before it are void.
  const read = assignmentReader("pli", [{ id: "control" }, { id: "cheap" }], "2026-11-10");
  const today = "2026-11-25";

  test.each([
    ["ab_pli=cheap.2026-11-20", { variant: "cheap", since: "2026-11-20" }],
    ["theme=dark; ab_pli=control.2026-11-25; other=1", { variant: "control", since: "2026-11-25" }],
    ["ab_pli=gone.2026-11-20", undefined],
    ["ab_pli=cheap.2026-11-26", undefined],
    ["ab_pli=cheap.2026-11-09", undefined],
    ["ab_pli=cheap.2026-11-10", { variant: "cheap", since: "2026-11-10" }],
    ["ab_pli=cheap", undefined],
    ["ab_pli-two=cheap.2026-11-20", undefined],
    ["xab_pli=cheap.2026-11-20", undefined],
    ["", undefined],
  ])(
    "reads %j as %j (a removed variant, a future day, a day before the current split or another concept's cookie is no assignment)",
    (header, expected) => {
      expect(read(header, today)).toEqual(expected);
    },
  );

  test("holds only the variant and the day, for under 13 months, Secure on HTTPS", () => {
    const cookie = assignmentCookie("pli", { variant: "cheap", since: today }, true);
    expect(cookie).toBe(`ab_pli=cheap.${today}; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly; Secure`);
    expect(AB_COOKIE_MAX_AGE_S).toBeLessThan(393 * 86_400); // the shortest 13 months
    expect(assignmentCookie("pli", { variant: "cheap", since: today }, false)).not.toContain("Secure");
  });

  test("the objection clears every A/B cookie sent and keeps only its own flag", () => {
    const cookies = optOutCookies("ab_pli=cheap.2026-11-20; theme=dark; ab_stitch=control.2026-11-01", false);
    expect(cookies).toEqual([
      "ab_pli=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly",
      "ab_stitch=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly",
      "no_ab=1; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly",
    ]);
    expect(optedOutOfAbCookie("theme=dark; no_ab=1")).toBe(true);
    expect(optedOutOfAbCookie("no_ab=0")).toBe(false);
    expect(optedOutOfAbCookie(undefined)).toBe(false);
  });

  test("is used only by a concept with variants, when both the site and the concept allow it", () => {
    const two = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    expect(usesAbCookie({ variants: two, abCookie: true }, true)).toBe(true);
    expect(usesAbCookie({ variants: two, abCookie: true }, false)).toBe(false);
    expect(usesAbCookie({ variants: two, abCookie: false }, true)).toBe(false);
    expect(usesAbCookie({ variants: two.slice(0, 1), abCookie: true }, true)).toBe(false);
  });
});

describe("exposureOf", () => {
  const assignment = { variant: "cheap", since: "2026-11-20" };
  test.each([
    [undefined, "cheap", "split", "2026-11-20", "day"],
    [assignment, "cheap", "split", "2026-11-20", "first"],
    [assignment, "cheap", "split", "2026-11-21", "return"],
    [assignment, "control", "direct", "2026-11-20", "return"],
    [assignment, "cheap", "direct", "2026-11-20", "return"],
  ] as const)("with %j, a %s view served by %s on %s is %s", (kept, variant, served, day, expected) => {
    expect(exposureOf(kept, { variant, served, day })).toBe(expected);
  });
});

describe("attributeSignup", () => {
  const today = "2026-11-25";
  const visit = (variant: string, served: "split" | "direct" = "split", exposure: ViewExposure = "day") => ({
    variant,
    served,
    exposure,
  });
  test.each([
    [
      "the form's variant, after a visit of it",
      "cheap",
      undefined,
      [visit("cheap", "direct")],
      { variant: "cheap", served: "direct", exposure: "day" },
    ],
    [
      "the form's variant without a recorded visit",
      "cheap",
      undefined,
      [],
      { variant: "cheap", served: "split", exposure: "none" },
    ],
    [
      "the form's variant, seen only as another",
      "cheap",
      undefined,
      [visit("control")],
      { variant: "cheap", served: "split", exposure: "none" },
    ],
    [
      "an API signup with a single visit",
      undefined,
      undefined,
      [visit("cheap")],
      { variant: "cheap", served: "split", exposure: "day" },
    ],
    [
      "an API signup without a visit: not the control",
      undefined,
      undefined,
      [],
      { variant: "", served: "split", exposure: "none" },
    ],
    [
      "an API signup after two variants",
      undefined,
      undefined,
      [visit("cheap"), visit("control")],
      { variant: "", served: "split", exposure: "none" },
    ],
    [
      "a return visit whose beacon was blocked, by the cookie",
      "cheap",
      { variant: "cheap", since: "2026-11-20" },
      [],
      { variant: "cheap", served: "split", exposure: "return" },
    ],
    [
      "today's first visit whose beacon was blocked, by the cookie: no counted exposure",
      "cheap",
      { variant: "cheap", since: "2026-11-25" },
      [],
      { variant: "cheap", served: "split", exposure: "none" },
    ],
    [
      "a split visit preferred to the same variant's own URL the same day",
      "cheap",
      undefined,
      [visit("cheap", "direct"), visit("cheap", "split", "first")],
      { variant: "cheap", served: "split", exposure: "first" },
    ],
    [
      "an API signup with the cookie",
      undefined,
      { variant: "cheap", since: "2026-11-20" },
      [visit("cheap", "split", "return")],
      { variant: "cheap", served: "split", exposure: "return" },
    ],
  ] as const)("%s", (_, requested, assignment, visits, expected) => {
    expect(attributeSignup({ requested, assignment, visits, today })).toEqual(expected);
  });

  test("a concept without variants credits its only variant, with or without a recorded visit", () => {
    expect(
      attributeSignup({ requested: undefined, only: "control", assignment: undefined, visits: [], today }),
    ).toEqual({ variant: "control", served: "split", exposure: "none" });
    expect(
      attributeSignup({
        requested: undefined,
        only: "control",
        assignment: undefined,
        visits: [visit("control")],
        today,
      }),
    ).toEqual({ variant: "control", served: "split", exposure: "day" });
  });
});

describe("dilutedLift", () => {
  test("with 30 % of signups on a later visit, a true +30 % lift reads about +20 % (FIELD-NOTES)", () => {
    expect(dilutedLift(0.3, 0.3)).toBeCloseTo(0.201, 3);
    expect(dilutedLift(0.3, 0)).toBeCloseTo(0.3, 10);
    expect(dilutedLift(0.3, 1)).toBeCloseTo(0, 10);
  });

  test("matches a seeded simulation of re-randomised returning visitors", () => {
    const random = seededRandom(11);
    for (const [lift, later] of [
      [0.3, 0.3],
      [0.5, 0.2],
      [1, 0.5],
    ] as const) {
      const signups = { control: 0, treatment: 0 };
      for (let person = 0; person < 400_000; person++) {
        const arm = random() < 0.5 ? "control" : "treatment";
        if (random() >= 0.05 * (arm === "treatment" ? 1 + lift : 1)) continue;
        // A later visit is re-randomised without the cookie: the signup goes to that day's arm.
        const credited = random() < later ? (random() < 0.5 ? "control" : "treatment") : arm;
        signups[credited] += 1;
      }
      expect(signups.treatment / signups.control - 1).toBeCloseTo(dilutedLift(lift, later), 1);
    }
  });

  test("the overview's sentence measures the share where the cookie exists, and assumes 30 % otherwise", () => {
    expect(describeCookieCost({ first: 70, later: 30 }, true)).toMatch(
      /^30 % of the signups made with the A\/B cookie \(30 of 100\).*\+30 % lift would read about \+20 % and need about 2\.2× the traffic/,
    );
    expect(describeCookieCost({ first: 0, later: 0 }, false)).toMatch(
      /^The site is cookieless \(AB_COOKIE=off\).*say 30 %/,
    );
    expect(describeCookieCost({ first: 3, later: 1 }, true)).toMatch(/^Too few signups carry the A\/B cookie yet/);
  });
});
