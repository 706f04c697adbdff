/**
 * /admin/report.json and `npm run report` on a seeded test site with a pinned clock: admin
 * only (401 JSON), the documented shape, a bad date named in a 400, verdicts that no date
 * range changes, and the command's JSON equal to the endpoint's.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Report } from "../../src/domain/report";
import { adminCookie, runScript, seedDemo, startServer, type TestServer } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
let server: TestServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer({ CLOCK_START: NOW }, seedDemo(21, 5, NOW));
  cookie = await adminCookie(server);
});
afterAll(() => server.stop());

const get = (query = "", headers: Record<string, string> = { cookie }) =>
  fetch(new URL(`/admin/report.json${query}`, server.url), { headers, redirect: "manual" });

describe("/admin/report.json", () => {
  test("without a session: 401 with a JSON body", async () => {
    const res = await get("", {});
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: false, error: "Sign in at /admin/login first." });
  });

  test("with a session: every published concept with its verdict, window, counts, variants and plan", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const report = (await res.json()) as Report;
    expect(report).toMatchObject({ today: "2026-11-25", unit: "visitor-days", range: { filtered: false } });
    // Drafts have no page and no counts: left out.
    expect(report.concepts.map((concept) => concept.slug).sort()).toEqual(
      ["english", "ladder", "ladder-en", "late-variant", "no-opt-in", "paused", "plain", "split"].sort(),
    );
    const split = report.concepts.find((concept) => concept.slug === "split");
    expect(split).toMatchObject({
      status: "live",
      // Reached on a settled day and logged: the report gives the day, as the page does.
      verdict: { status: "validated", basis: "evidence", reachedOn: expect.stringMatching(/^2026-11-\d\d$/) },
      // The test from its first day of data to the last whole day (the seed's 21 days end today).
      window: { from: "2026-11-05", to: "2026-11-24" },
      plan: { traffic: "observed", deadline: "2027-05-24", inTime: false },
    });
    expect(split?.verdict.reason).toMatch(
      /^Validated on 2026-11-\d\d, with [\d,]+ visitors and [\d,]+ signups: Conversion /,
    );
    expect(split?.visitors).toBeGreaterThan(0);
    expect(split?.variants.map((variant) => [variant.id, variant.isControl])).toEqual([
      ["control", true],
      ["cheaper", false],
    ]);
    const [control, cheaper] = split?.variants ?? [];
    expect(control).not.toHaveProperty("outcome");
    expect(["better", "worse", "equivalent", "undecided"]).toContain(cheaper?.outcome);
    expect((control?.probabilityBest ?? 0) + (cheaper?.probabilityBest ?? 0)).toBeCloseTo(1, 6);
    // The variants' figures are the comparison's, split traffic only; the whole test counts ad (direct) traffic too.
    const compared = (control?.visitors ?? 0) + (cheaper?.visitors ?? 0);
    expect(compared).toBeGreaterThan(0);
    expect(compared).toBeLessThan(split?.wholeTest.visitors ?? 0);
    expect(split?.plan.variants?.smallestDetectableLift).toBeGreaterThan(0.2);
    expect(JSON.stringify(report)).not.toMatch(/@/);
  });

  test.each([
    ["?from=2026-13-01", { from: "use a date such as 2026-11-01" }],
    ["?to=yesterday", { to: "use a date such as 2026-11-30" }],
    ["?from=2026-11-20&to=2026-11-10", { to: "the start must not be after the end" }],
  ])("%s: 400 naming the parameter", async (query, errors) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, errors });
  });

  test("a date range changes the counts, never a verdict, a variant or a plan", async () => {
    const whole = (await (await get()).json()) as Report;
    const ranged = (await (await get("?from=2026-11-18&to=2026-11-20")).json()) as Report;
    expect(ranged.range).toEqual({ from: "2026-11-18", to: "2026-11-20", filtered: true });
    for (const concept of whole.concepts) {
      const other = ranged.concepts.find((candidate) => candidate.slug === concept.slug);
      expect(other?.verdict).toEqual(concept.verdict);
      expect(other?.variants).toEqual(concept.variants);
      expect(other?.plan).toEqual(concept.plan);
      expect(other?.wholeTest).toEqual(concept.wholeTest);
    }
    const visitors = (report: Report) => report.concepts.reduce((sum, concept) => sum + concept.visitors, 0);
    expect(visitors(ranged)).toBeGreaterThan(0);
    expect(visitors(ranged)).toBeLessThan(visitors(whole));
  });
});

describe("npm run report", () => {
  const report = (args: string[]) =>
    runScript("report", args, { DATABASE_PATH: server.databasePath, CLOCK_START: NOW });

  test("--json prints the endpoint's report, field for field", async () => {
    // The endpoint first: the command blocks this process, and a kept-alive connection the
    // server closed meanwhile would fail the next fetch (seen on a loaded machine).
    const expected = await (await get()).json();
    const expectedRanged = await (await get("?from=2026-11-18&to=2026-11-20")).json();
    const result = report(["--json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected);
    const ranged = report(["--json", "--from", "2026-11-18", "--to", "2026-11-20"]);
    expect(JSON.parse(ranged.stdout)).toEqual(expectedRanged);
  });

  test("the text form: a compact table per concept", () => {
    const result = report([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^racine report, 2026-11-25 \(visitors are visitor-days\)/);
    expect(result.stdout).toMatch(/— split \(live\)\n {2}verdict +validated\n {2}why +/);
    expect(result.stdout).toMatch(/ {4}cheaper +\w+, [\d,]+ visitors, [\d,]+ signups, P\(best\) \d+ %/);
    expect(result.stdout).toMatch(/ {2}plan +At [\d,]+ visitors a day \(the last 7 days\)/);
  });

  test("a bad date is refused with the flag named", () => {
    const result = report(["--from", "soon"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^--from: use a date such as 2026-11-01/);
  });
});
