/**
 * Pre-registration binds, against real SQLite: the verdict reads the test from its start
 * to the last whole day (stopped at decideBy), never the date filter; the first verdict
 * reached is logged by the server's timer and stays through later data and restarts;
 * the digest gives the same verdict as the page; a price edit starts a new comparison.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { addDays, dayStartMs } from "../../src/domain/calendar";
import { composeConceptPage } from "../../src/domain/concept-page";
import { adminPeriod } from "../../src/domain/experiment-report";
import { comparisonStart } from "../../src/domain/experiments";
import { gatherConceptPage } from "../../src/server/store/activity";
import { recordTestStarts } from "../../src/server/store/decisions";
import { getExperimentEpochs, recordExperimentEpochs } from "../../src/server/store/experiments";
import { testConcept } from "../support/concepts";
import { adminCookie, runScript, seedDemo, startServer } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
const LATER = "2026-12-09T12:00:00Z";

/** `count` views of `concept` without a signup, spread over the days from `from` (a visitor each). */
function addViewsWithoutSignups(databasePath: string, concept: string, from: string, days: number, perDay: number) {
  const db = new Sqlite(databasePath);
  const insert = db.prepare(
    "insert into views (concept, variant, visitor_hash, day, created_at) values (?, 'control', ?, ?, ?)",
  );
  db.transaction(() => {
    for (let d = 0; d < days; d++) {
      const day = addDays(from, d);
      for (let i = 0; i < perDay; i++) insert.run(concept, `later:${day}:${i}`, day, dayStartMs(day) + 3_600_000);
    }
  })();
  db.close();
}

const ideaVerdict = (html: string) => /Verdict for the idea[\s\S]*?<p class="reason">([\s\S]*?)<\/p>/.exec(html)?.[1];
const text = (html: string | undefined) =>
  (html ?? "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();

describe("a reached verdict", () => {
  test("does not flip after data that would flip it, across restarts with later clocks; the digest and the date filter agree", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-prereg-")), "racine.db");
    let server = await startServer({ CLOCK_START: NOW, DATABASE_PATH: databasePath }, seedDemo(42, 7, NOW));
    let first: string | undefined;
    try {
      const cookie = await adminCookie(server);
      const page = async (query = "") =>
        (await fetch(new URL(`/admin/c/split${query}`, server.url), { headers: { cookie } })).text();
      first = ideaVerdict(await page());
      // The seeded split concept clears its 1 % target: the timer logged the day it first did.
      expect(first).toMatch(
        /verdict-validated[\s\S]*Validated on \d{4}-\d{2}-\d{2}, with [\d,]+ visitors and [\d,]+ signups: /,
      );
      const [logged] = server.query<{ reached_on: string }>(
        "select reached_on from decisions where concept = 'split' and variant is null",
      );
      expect(first).toContain(`Validated on ${logged?.reached_on},`);
      // A date filter changes the descriptive figures, never the verdict.
      expect(ideaVerdict(await page("?from=2026-11-19&to=2026-11-22"))).toBe(first);
    } finally {
      await server.stop();
    }

    // Two weeks of visitors who never sign up: 20,000 a day drag the conversion far below 1 %.
    addViewsWithoutSignups(databasePath, "split", addDays(NOW.slice(0, 10), 1), 13, 20_000);
    server = await startServer({ CLOCK_START: LATER, DATABASE_PATH: databasePath });
    try {
      const cookie = await adminCookie(server);
      const html = await (await fetch(new URL("/admin/c/split", server.url), { headers: { cookie } })).text();
      expect(ideaVerdict(html)).toBe(first);
      // The test's figures did move: the live rule alone would now call it "not validated".
      const visitors = Number(/data-figure="test-visitors">([\d,]+)</.exec(html)?.[1]?.replace(/,/g, ""));
      expect(visitors).toBeGreaterThan(250_000);
      expect(server.query("select count(*) as n from decisions where concept = 'split' and variant is null")).toEqual([
        { n: 1 },
      ]);

      // The digest of the week just ended gives the page's verdict, word for word.
      const digest = runScript("digest", ["--week", "2026-W49", "--dry-run"], {
        DATABASE_PATH: databasePath,
        CLOCK_START: LATER,
      });
      expect(digest.status, digest.stderr).toBe(0);
      const pageReason = text(first).replace(/^validated /, "");
      expect(digest.stdout).toContain(`  validated: ${pageReason}`);
    } finally {
      await server.stop();
    }
  });
});

/** A migrated database of our own, for the store's functions directly. */
function freshDatabase() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-prereg-store-")), "racine.db"));
  migrateDatabase(db);
  return db;
}

describe("decideBy freezes the window", () => {
  test("data after the decision date moves neither the verdict nor its figures", () => {
    const db = freshDatabase();
    const concept = testConcept("deadline", {
      successCriteria: { minVisitors: 500, minSignups: 40, minConversionPercent: 6, decideBy: "2026-11-10" },
    });
    const view = db.$client.prepare(
      "insert into views (concept, variant, visitor_hash, day, created_at) values ('deadline', 'control', ?, ?, ?)",
    );
    const visits = (from: string, days: number, perDay: number) => {
      for (let d = 0; d < days; d++)
        for (let i = 0; i < perDay; i++) {
          const day = addDays(from, d);
          view.run(`${day}:${i}`, day, dayStartMs(day) + i);
        }
    };
    visits("2026-11-01", 10, 20);
    recordTestStarts(db, [concept], new Date("2026-11-01T08:00:00Z"));
    const look = (today: string) => {
      const period = adminPeriod({}, today);
      return composeConceptPage(concept, gatherConceptPage(db, concept, period), period);
    };
    const atDeadline = look("2026-11-12");
    expect(atDeadline.testWindow).toEqual({ from: "2026-11-01", to: "2026-11-10" });
    expect(atDeadline.wholeTest).toEqual({ visitors: 200, signups: 0 });
    // Visitors keep coming after the decision date.
    visits("2026-11-11", 10, 50);
    const later = look("2026-11-25");
    expect(later.wholeTest).toEqual(atDeadline.wholeTest);
    expect(later.verdict).toEqual(atDeadline.verdict);
    expect(later.testPeriod).toBe("from 2026-11-01 (the test's start) to 2026-11-10 (the decision date)");
    db.$client.close();
  });
});

describe("editing a variant's price", () => {
  const version = (amount: number) =>
    testConcept("pli", {
      variants: [{ id: "control" }, { id: "cheap", price: { amount, currency: "EUR", period: "month" } }],
    });

  test("opens a new epoch: the comparison restarts at its first whole day, and the page says it changed", () => {
    const db = freshDatabase();
    recordExperimentEpochs(db, [version(16)], new Date("2026-11-01T08:00:00Z"));
    recordExperimentEpochs(db, [version(16)], new Date("2026-11-05T08:00:00Z"));
    expect(getExperimentEpochs(db, "pli")).toHaveLength(1);
    const edited = new Date("2026-11-10T09:30:00Z");
    recordExperimentEpochs(db, [version(14)], edited);
    const epochs = getExperimentEpochs(db, "pli");
    expect(epochs).toHaveLength(2);
    expect(comparisonStart(epochs, "cheap", "control")).toEqual({ since: edited.getTime(), change: "changed" });
    recordTestStarts(db, [version(14)], new Date("2026-11-01T08:00:00Z"));
    const period = adminPeriod({}, "2026-11-25");
    const page = composeConceptPage(version(14), gatherConceptPage(db, version(14), period), period);
    expect(page.lateStarts).toEqual([expect.objectContaining({ id: "cheap", comparedFrom: "2026-11-11" })]);
    expect(page.lateStarts[0]?.what).toMatch(/^changed \(its offer/);
    db.$client.close();
  });

  test("a database from before offers were fingerprinted keeps its epoch, filled with the build's fingerprints", () => {
    const db = freshDatabase();
    db.$client
      .prepare("insert into experiment_epochs (concept, weights, started_at) values ('pli', ?, 0)")
      .run(JSON.stringify({ control: 1, cheap: 1 }));
    recordExperimentEpochs(db, [version(16)], new Date("2026-11-05T08:00:00Z"));
    const [epoch, ...more] = getExperimentEpochs(db, "pli");
    expect(more).toEqual([]);
    expect(Object.keys(epoch?.content ?? {})).toEqual(["control", "cheap"]);
    db.$client.close();
  });
});
