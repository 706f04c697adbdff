import { describe, expect, test } from "vitest";
import { assignmentBucket, exposureOf, optOutCookies } from "../../src/domain/experiments";
import {
  assignConcept,
  compareIdeas,
  enoughTryTraffic,
  type IdeaTraffic,
  MIN_TRY_SIGNUPS,
  tryCandidates,
  tryEntryCookie,
  tryEntryReader,
} from "../../src/domain/try-entry";

const concept = (slug: string, status: "draft" | "live" | "paused" | "ended" = "live", tryWeight = 1) => ({
  slug,
  status,
  tryWeight,
});

describe("assignConcept", () => {
  test.each([
    [[1, 1, 1], "uniform"],
    [[3, 1], "3:1 by tryWeight"],
  ])("over 60,000 visitors the draw follows the weights %o (%s)", (weights) => {
    const candidates = weights.map((w, i) => concept(`c${i}`, "live", w));
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const drawn = assignConcept(candidates, assignmentBucket(`visitor-${i}`));
      counts.set(drawn?.slug ?? "", (counts.get(drawn?.slug ?? "") ?? 0) + 1);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => {
      expect(Math.abs((counts.get(`c${i}`) ?? 0) / 60_000 - w / total)).toBeLessThan(0.01);
    });
  });

  test("only live concepts are candidates, and none leaves nothing to draw", () => {
    const all = [concept("a"), concept("b", "paused"), concept("c", "draft"), concept("d", "ended"), concept("e")];
    expect(tryCandidates(all).map((c) => c.slug)).toEqual(["a", "e"]);
    expect(assignConcept(tryCandidates([concept("b", "paused")]), 0.5)).toBeUndefined();
  });
});

describe("the try cookie", () => {
  const read = tryEntryReader(["origami", "aquarelle"]);

  test("holds only the concept and the day of the first entry, with the A/B cookie's attributes", () => {
    expect(tryEntryCookie({ concept: "origami", since: "2026-11-20" }, true)).toBe(
      "try=origami.2026-11-20; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly; Secure",
    );
    expect(tryEntryCookie({ concept: "origami", since: "2026-11-20" }, false)).not.toContain("Secure");
  });

  test.each([
    ["try=origami.2026-11-20", { concept: "origami", since: "2026-11-20" }],
    ["ab_origami=control.2026-11-20; try=aquarelle.2026-11-01; x=1", { concept: "aquarelle", since: "2026-11-01" }],
    ["try=poterie.2026-11-20", undefined], // not a candidate (paused or gone): drawn again
    ["try=origami.2026-12-02", undefined], // a day after today: forged
    ["try=origami", undefined],
    ["notry=origami.2026-11-20", undefined],
    ["", undefined],
  ])("reads %j as %j", (header, expected) => {
    expect(read(header, "2026-12-01")).toEqual(expected);
  });

  test("the one-click objection clears it with the A/B cookies", () => {
    const cleared = optOutCookies("ab_origami=control.2026-11-20; try=origami.2026-11-20; other=1", false);
    expect(cleared.map((c) => c.split(";")[0])).toEqual(["ab_origami=", "try=", "no_ab=1"]);
    expect(cleared[1]).toContain("Max-Age=0");
  });

  test("a view of the split through /try/ is the person's first exposure, like one at /c/<slug>/", () => {
    const assignment = { variant: "control", since: "2026-11-20" };
    expect(exposureOf(assignment, { variant: "control", served: "try", day: "2026-11-20" })).toBe("first");
    expect(exposureOf(assignment, { variant: "control", served: "try", day: "2026-11-21" })).toBe("return");
  });
});

describe("comparing ideas", () => {
  // Targets of 5 % and 10 %: 20 and 10 visitors through /try/ are their minimums.
  const ideas = (viaTry: [number, number][], total?: [number, number][]): IdeaTraffic[] =>
    viaTry.map(([visitors, signups], i) => ({
      slug: `c${i}`,
      target: i === 0 ? 0.05 : 0.1,
      viaTry: { visitors, signups },
      total: total?.[i]
        ? { visitors: total[i][0], signups: total[i][1] }
        : { visitors: visitors + 500, signups: signups + 30 },
    }));

  test.each([
    [
      [
        [20, 6],
        [10, 4],
      ],
      true,
      "each at 1/target visitors, 10 signups together",
    ],
    [
      [
        [19, 6],
        [10, 4],
      ],
      false,
      "one idea short of 1/target visitors",
    ],
    [
      [
        [20, 0],
        [10, 9],
      ],
      false,
      "9 signups together",
    ],
    [
      [
        [400, 0],
        [300, 10],
      ],
      true,
      "an idea with no signup does not block the comparison",
    ],
    [[], false, "no live idea"],
  ] as [[number, number][], boolean, string][])("%j is enough: %s (%s)", (viaTry, enough) => {
    expect(enoughTryTraffic(ideas(viaTry))).toBe(enough);
    expect(MIN_TRY_SIGNUPS).toBe(10);
  });

  test("with enough /try/ traffic, P(best) reads it and says so", () => {
    const comparison = compareIdeas(
      ideas([
        [200, 12],
        [150, 15],
      ]),
    );
    expect(comparison).toMatchObject({ basis: "try", sameAudience: true, heading: "P(best), /try/ traffic" });
    expect(comparison.counts).toEqual([
      { visitors: 200, signups: 12 },
      { visitors: 150, signups: 15 },
    ]);
    expect(comparison.note).toBe(
      "Compared on the same audience: P(best) reads only the 350 visitors and 27 signups that came through /try/, which sent each new visitor to one live idea at random. The other visitors (ads, links to an idea's own page) came from different sources on different days; they count in the other columns and in the verdicts, not in P(best).",
    );
  });

  test("without it, P(best) reads all traffic and the note says the ideas were not compared on one audience", () => {
    const comparison = compareIdeas(
      ideas([
        [5, 1],
        [3, 0],
      ]),
    );
    expect(comparison).toMatchObject({ basis: "all", sameAudience: false, heading: "P(best)" });
    expect(comparison.counts).toEqual([
      { visitors: 505, signups: 31 },
      { visitors: 503, signups: 30 },
    ]);
    expect(comparison.note).toBe(
      "Not compared on the same audience: P(best) reads all traffic, and each idea had its own ads, sources and periods, so a difference may be the audience's, not the idea's. /try/ has brought 8 visitors so far; P(best) reads that traffic once every live idea has 1/target visitors through it and they have 10 signups together.",
    );
    expect(
      compareIdeas(
        ideas([
          [0, 0],
          [0, 0],
        ]),
      ).note,
    ).toContain("A link to /try/ (in a post or an ad)");
  });

  test("when all traffic came through /try/, the ideas were compared on the same audience, even with little of it", () => {
    const little = compareIdeas(
      ideas(
        [
          [8, 1],
          [5, 0],
        ],
        [
          [8, 1],
          [5, 0],
        ],
      ),
    );
    expect(little).toMatchObject({ basis: "try", sameAudience: true });
    expect(little.note).toBe(
      "Compared on the same audience: all traffic came through /try/, which sends each new visitor to one live idea at random (13 visitors and 1 signup that came through /try/). Still little of it: P(best) swings with each signup.",
    );
    expect(
      compareIdeas(
        ideas(
          [
            [40, 6],
            [30, 6],
          ],
          [
            [40, 6],
            [30, 6],
          ],
        ),
      ).note,
    ).not.toContain("Still little");
  });
});
