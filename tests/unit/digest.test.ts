import { describe, expect, test } from "vitest";
import { type Counts, CRITERION_LABELS } from "../../src/domain/analytics";
import { dueDigestWeek, isoWeekOfDate, isoWeekRange, lastCompleteWeek, shiftIsoWeek } from "../../src/domain/calendar";
import { verdictWindow } from "../../src/domain/decision";
import {
  composeDigest,
  type DigestConcept,
  type DigestFigures,
  type DigestRow,
  digestData,
  digestLastDay,
} from "../../src/domain/digest";
import { adminPeriod, reportWindows, windowKey } from "../../src/domain/experiment-report";
import { composeOverview } from "../../src/domain/overview";
import { testConcept } from "../support/concepts";

const hours = (range: { start: number; end: number }) => (range.end - range.start) / 3_600_000;

describe("ISO weeks in the founder's time zone", () => {
  test.each([
    // Europe/Paris leaves summer time on Sunday 2026-10-25: that week has 169 hours.
    ["2026-W43", "Europe/Paris", "2026-10-18T22:00:00.000Z", "2026-10-25T23:00:00.000Z", 169],
    // …and enters it on Sunday 2026-03-29: 167 hours.
    ["2026-W13", "Europe/Paris", "2026-03-22T23:00:00.000Z", "2026-03-29T22:00:00.000Z", 167],
    ["2026-W47", "Europe/Paris", "2026-11-15T23:00:00.000Z", "2026-11-22T23:00:00.000Z", 168],
    ["2026-W47", "America/New_York", "2026-11-16T05:00:00.000Z", "2026-11-23T05:00:00.000Z", 168],
    ["2026-W47", "UTC", "2026-11-16T00:00:00.000Z", "2026-11-23T00:00:00.000Z", 168],
  ])("%s in %s runs from %s to %s (%i h)", (week, zone, start, end, length) => {
    const range = isoWeekRange(week, zone);
    expect(new Date(range.start).toISOString()).toBe(start);
    expect(new Date(range.end).toISOString()).toBe(end);
    expect(hours(range)).toBe(length);
  });

  test.each([
    [2026, 11, 25, "2026-W48"],
    [2027, 1, 1, "2026-W53"],
    [2026, 1, 1, "2026-W01"],
  ])("%i-%i-%i is in %s", (y, m, d, week) => {
    expect(isoWeekOfDate(y, m, d)).toBe(week);
  });

  test("weeks shift across years, and the last complete week depends on the time zone", () => {
    expect(shiftIsoWeek("2027-W01", -1)).toBe("2026-W53");
    // Sunday 23:30 in Paris is Monday already in Tokyo.
    const sundayNight = new Date("2026-11-22T22:30:00Z");
    expect(lastCompleteWeek(sundayNight, "Europe/Paris")).toBe("2026-W46");
    expect(lastCompleteWeek(sundayNight, "Asia/Tokyo")).toBe("2026-W47");
  });

  test.each([
    ["2026-11-23T07:59:00Z", undefined],
    ["2026-11-23T08:00:00Z", "2026-W47"],
    ["2026-11-26T12:00:00Z", "2026-W47"],
    ["2026-11-22T20:00:00Z", "2026-W46"],
  ])("with MON 09:00 in Paris, at %s the due digest is %s", (now, week) => {
    expect(dueDigestWeek("MON 09:00", "Europe/Paris", new Date(now))).toBe(week);
  });
});

describe("composeDigest", () => {
  const concept = (title: string, signups: number, signupsLastWeek: number): DigestConcept => ({
    slug: title.toLowerCase(),
    title,
    status: "live",
    signups,
    signupsLastWeek,
    confirmed: Math.floor(signups / 2),
    visitors: signups * 10,
    total: { signups: signups * 3, confirmed: signups, visitors: signups * 30 },
    criteria: [{ label: "Visitors", progress: 0.5, met: false }],
    verdict: { status: "keep testing", reason: "Not yet <enough>." },
    sources: [{ source: "newsletter", signups: 3, visitors: 20 }],
    judgedOn: "judged on signups",
    answers: undefined,
    tiers: [],
    variants: [
      { id: "control", signups: 1, visitors: 10 },
      {
        id: "b",
        signups: 2,
        visitors: 10,
        verdict: { status: "keep testing", outcome: "undecided", reason: "Not settled <yet>." },
      },
    ],
  });
  const digest = composeDigest({
    week: "2026-W47",
    timeZone: "Europe/Paris",
    concepts: [concept("Lettrage", 4, 8), concept("Origami", 12, 10)],
  });

  test("the subject carries the headline number and its change", () => {
    expect(digest.subject).toBe("racine 2026-W47: 16 new signups (−11 % vs the week before)");
  });

  test("concepts come ordered by signups this week, in both parts", () => {
    expect(digest.text.indexOf("Origami")).toBeLessThan(digest.text.indexOf("Lettrage"));
    expect(digest.html.indexOf("Origami")).toBeLessThan(digest.html.indexOf("Lettrage"));
    expect(digest.text).toContain("Origami: 12 signups (+20 %), 6 confirmed, 120 visitors, conversion 10.0 %");
    expect(digest.text).toContain("variants this week: control 1/10, b 2/10");
  });

  test("both parts say what a visitor is: a person where the A/B cookie keeps them, else a visitor-day", () => {
    for (const part of [digest.text, digest.html]) {
      expect(part).toContain("Visitors are people where the A/B cookie keeps them, visitor-days elsewhere");
    }
  });

  test("each variant's verdict against the control is in both parts, escaped in the HTML", () => {
    expect(digest.text).toContain("  b vs control: keep testing — Not settled <yet>.");
    expect(digest.html).toContain("b vs control: <strong");
    expect(digest.html).toContain("Not settled &lt;yet&gt;.");
  });

  test("renders in mail clients: tables, inline styles, bars of cells, no script, SVG or <style>", () => {
    expect(digest.html).toContain('<table role="presentation"');
    expect(digest.html).toMatch(/<td width="\d+" height="10" bgcolor="#1f4e3d"/);
    expect(digest.html).not.toMatch(/<script|<svg|<style/);
    expect(digest.html).toContain("Not yet &lt;enough&gt;.");
  });

  test("the Bayesian reading is shown beside the verdict, labelled as a reading, in both parts", () => {
    const withReading = composeDigest({
      week: "2026-W47",
      timeZone: "Europe/Paris",
      concepts: [
        {
          ...concept("Origami", 12, 10),
          verdict: { status: "keep testing", reason: "Not yet.", reading: "66 % chance <above> the 6.0 % target" },
        },
      ],
    });
    expect(withReading.text).toContain("  Bayesian reading, not the verdict: 66 % chance <above> the 6.0 % target.");
    expect(withReading.html).toContain(
      "Bayesian reading, not the verdict: 66 % chance &lt;above&gt; the 6.0 % target.",
    );
    expect(digest.text).not.toContain("Bayesian reading");
  });
});

describe("digestData", () => {
  const criteria = { minVisitors: 500, minSignups: 40, minConversionPercent: 6 };
  const solo = testConcept("solo", { successCriteria: criteria });
  const split = testConcept("split", { successCriteria: criteria, variants: [{ id: "control" }, { id: "b" }] });
  const draft = testConcept("draft", { status: "draft", successCriteria: criteria });
  const lastDay = digestLastDay("2026-W47", "Europe/Paris");
  const testWindow = verdictWindow(undefined, {}, lastDay);
  const row = (concept: string, variant: string, source: string, visitors: number, signups: number): DigestRow => ({
    concept,
    variant,
    source,
    visitors,
    signups,
    confirmed: Math.floor(signups / 2),
  });
  /** The split concept's experiment: every window its report reads holds the same counts. */
  const experiment = (counts: Record<string, Counts>) => {
    const epochs = [{ startedAt: 0, weights: { control: 1, b: 1 } }];
    const windows = reportWindows(split, epochs, testWindow, testWindow.to);
    const table = new Map(windows.map((w) => [windowKey(w), new Map(Object.entries(counts))]));
    return { epochs, counts: table, split: table };
  };
  const figures: DigestFigures = {
    week: "2026-W47",
    timeZone: "Europe/Paris",
    thisWeek: [
      row("solo", "control", "direct", 70, 4),
      row("solo", "control", "instagram", 30, 6),
      row("solo", "control", "newsletter", 10, 6),
      row("solo", "control", "x.com", 5, 0),
      row("split", "control", "direct", 50, 2),
      row("split", "b", "direct", 50, 5),
      row("draft", "control", "direct", 9, 9),
    ],
    lastWeek: [row("solo", "control", "direct", 10, 8)],
    totals: new Map([
      ["solo", { visitors: 6000, signups: 600, confirmed: 300 }],
      ["split", { visitors: 100, signups: 7, confirmed: 3 }],
    ]),
    testStarts: new Map(),
    tests: new Map([
      ["solo", { visitors: 6000, signups: 600 }],
      ["split", { visitors: 100, signups: 7 }],
    ]),
    experiments: new Map([
      ["split", experiment({ control: { visitors: 5000, signups: 200 }, b: { visitors: 5000, signups: 400 } })],
    ]),
    decisions: new Map(),
    ladders: new Map(),
    answers: new Map(),
  };
  const digest = digestData([solo, split, draft], figures);
  const [soloDigest, splitDigest] = digest.concepts;

  test("the week, the week before and the totals are each concept's own; drafts are left out", () => {
    expect(digest.concepts.map((c) => c.slug)).toEqual(["solo", "split"]);
    expect(soloDigest).toMatchObject({ signups: 16, visitors: 115, confirmed: 8, signupsLastWeek: 8 });
    expect(soloDigest?.total).toEqual({ visitors: 6000, signups: 600, confirmed: 300 });
    expect(splitDigest).toMatchObject({ signups: 7, visitors: 100, signupsLastWeek: 0 });
  });

  test("the idea's verdict and reading read the test's days up to the end of the week", () => {
    expect(soloDigest?.verdict.status).toBe("validated");
    expect(soloDigest?.verdict.reading).toMatch(
      /chance that the true conversion is above the 6\.0 % target \(weak prior/,
    );
    expect(soloDigest?.criteria).toEqual([
      { label: "Visitors", progress: 1, met: true },
      { label: "Signups", progress: 1, met: true },
      { label: "Conversion", progress: 1, met: true },
    ]);
  });

  test("the best three sources rank by signups, then visitors", () => {
    expect(soloDigest?.sources).toEqual([
      { source: "instagram", signups: 6, visitors: 30 },
      { source: "newsletter", signups: 6, visitors: 10 },
      { source: "direct", signups: 4, visitors: 70 },
    ]);
  });

  test("each variant's week comes with its verdict against the control over the whole test; the control has none", () => {
    expect(splitDigest?.variants).toEqual([
      { id: "control", signups: 2, visitors: 50, verdict: undefined },
      {
        id: "b",
        signups: 5,
        visitors: 50,
        verdict: expect.objectContaining({ status: "validated", outcome: "better" }),
      },
    ]);
    expect(soloDigest?.variants).toEqual([{ id: "control", signups: 16, visitors: 115, verdict: undefined }]);
  });

  test("criteria carry the same labels in the digest as on the overview", () => {
    const overview = composeOverview(
      [solo],
      {
        activity: new Map(),
        decisions: new Map(),
        confirmations: new Map(),
        failedEmails: [],
        signupsByVisit: { first: 0, later: 0 },
        webhookDeliveries: [],
        tryEntries: new Map(),
        ladders: new Map(),
      },
      adminPeriod({}, "2026-11-25"),
    );
    const labels = Object.values(CRITERION_LABELS);
    expect(overview.concepts[0]?.criteria.map((c) => c.label)).toEqual(labels);
    expect(soloDigest?.criteria.map((c) => c.label)).toEqual(labels);
  });

  test("the digest data is plain data: no function anywhere in it (it survives structuredClone)", () => {
    expect(structuredClone(digest)).toEqual(digest);
  });

  test("composed, it says the week's figures in both parts", () => {
    const email = composeDigest(digest);
    expect(email.subject).toBe("racine 2026-W47: 23 new signups (+188 % vs the week before)");
    expect(email.text).toContain("solo: 16 signups (+100 %), 8 confirmed, 115 visitors, conversion 13.9 %");
    expect(email.text).toContain("  total: 600 signups (300 confirmed) from 6000 visitors");
    expect(email.text).toContain("  b vs control: validated — ");
  });
});
