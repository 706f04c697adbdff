import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import type { DayWindow, Served } from "../../src/domain/experiment-report";
import { seededRandom } from "../../src/domain/random";
import {
  countsGroupedBy,
  countVariantsInWindows,
  invalidateRollups,
  refreshRollups,
  rolledThrough,
} from "../../src/server/store/counts";

function databaseWithTraffic() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-rollups-")), "racine.db"));
  migrateDatabase(db);
  const random = seededRandom(11);
  const view = db.$client.prepare(
    "insert into views (concept, variant, visitor_hash, day, created_at, utm_source, served, exposure) values (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const signup = db.$client.prepare(
    "insert into signups (concept, variant, email, email_key, lang, created_at, utm_source, served, exposure, throwaway) values (?, ?, ?, ?, 'fr', ?, ?, ?, ?, ?)",
  );
  const pickOf = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  for (let i = 0; i < 3000; i++) {
    const at = Date.parse("2026-11-01T00:00:00Z") + Math.floor(random() * 25 * 86_400_000);
    const concept = random() < 0.5 ? "split" : "plain";
    const variant = random() < 0.5 ? "control" : "b";
    const source = random() < 0.3 ? "instagram" : null;
    const served = pickOf(["split", "split", "direct"]);
    const exposure = pickOf(["first", "return", "day"]);
    view.run(concept, variant, `h${i}`, new Date(at).toISOString().slice(0, 10), at, source, served, exposure);
    const joined = pickOf([exposure, exposure, "none"]);
    const throwaway = random() < 0.2 ? 1 : 0;
    if (random() < 0.1)
      signup.run(concept, variant, `s${i}@x.fr`, `s${i}@x.fr`, at + 1000, source, served, joined, throwaway);
  }
  return db;
}

const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("rollups", () => {
  test("figures are the same whether days come from the rollups or from the raw tables", () => {
    const db = databaseWithTraffic();
    const window = { from: "2026-11-03", to: "2026-11-25" };
    const queries = [
      () => countsGroupedBy(db, { window }, ["concept"]),
      () => countsGroupedBy(db, { window }, ["concept", "variant", "day"]),
      () => countsGroupedBy(db, { window }, ["variant", "source"]),
      () => countsGroupedBy(db, { window }, []),
      () => countsGroupedBy(db, { concept: "split", window }, ["variant"]),
      () => countsGroupedBy(db, { concept: "split", window, served: "split" }, ["variant"]),
      () => countsGroupedBy(db, { window, served: "direct" }, ["concept", "variant", "day"]),
    ];
    const raw = queries.map((query) => sorted(query()));
    refreshRollups(db, "2026-11-25");
    expect(rolledThrough(db)).toBe("2026-11-23");
    expect(queries.map((query) => sorted(query()))).toEqual(raw);
    const [all] = raw[3] ?? [];
    expect(Object.keys(all ?? {}).sort()).toEqual([
      "people",
      "returnVisits",
      "signups",
      "throwaway",
      "unexposed",
      "visitors",
    ]);
    // Every signup of the window is in exactly one of signups, unexposed and throwaway.
    const [rows] = db.$client
      .prepare("select count(*) as n from signups where created_at >= ? and created_at < ?")
      .all(Date.parse("2026-11-03T00:00:00Z"), Date.parse("2026-11-26T00:00:00Z")) as { n: number }[];
    expect((all?.signups ?? 0) + (all?.unexposed ?? 0) + (all?.throwaway ?? 0)).toBe(rows?.n);
    expect(all?.throwaway).toBeGreaterThan(0);
    // Split and direct add up to all; neither holds the signups without a recorded visit.
    const total = (rows: { visitors: number; signups: number }[]) =>
      rows.reduce((sum, row) => ({ visitors: sum.visitors + row.visitors, signups: sum.signups + row.signups }), {
        visitors: 0,
        signups: 0,
      });
    const split = total(countsGroupedBy(db, { window, served: "split" }, []));
    const direct = total(countsGroupedBy(db, { window, served: "direct" }, []));
    expect(split.visitors + direct.visitors).toBe(all?.visitors);
    // Signups without a recorded visit are in neither, nor in `signups` at all: only in `unexposed`.
    expect(split.signups + direct.signups).toBe(all?.signups);
    expect(all?.unexposed).toBeGreaterThan(0);
    expect(all?.returnVisits).toBeGreaterThan(0);
  });

  test("a later refresh only adds the newly settled days; invalidating rebuilds from scratch", () => {
    const db = databaseWithTraffic();
    refreshRollups(db, "2026-11-10");
    expect(rolledThrough(db)).toBe("2026-11-08");
    refreshRollups(db, "2026-11-20");
    expect(rolledThrough(db)).toBe("2026-11-18");
    const window = { from: "2026-11-01", to: "2026-11-30" };
    const before = sorted(countsGroupedBy(db, { window }, ["concept", "day"]));
    invalidateRollups(db);
    expect(rolledThrough(db)).toBe("");
    expect(sorted(countsGroupedBy(db, { window }, ["concept", "day"]))).toEqual(before);
  });

  test("every window of a concept summed from one count by day is its own count, on both sides of the rolled days", () => {
    const db = databaseWithTraffic();
    refreshRollups(db, "2026-11-20");
    const windows: DayWindow[] = [
      { from: "2026-11-03", to: "2026-11-25" },
      { from: "2026-11-10", to: "2026-11-19" },
      { from: "2026-11-19", to: "2026-11-19" },
      { from: "2026-11-20", to: "2026-11-30" },
      { from: "2026-11-03", to: "2026-11-25" },
      { from: "0000-01-01", to: "2026-11-18" },
      { from: "2026-11-24", to: "2026-11-22" },
    ];
    for (const served of [undefined, "split", "direct"] satisfies (Served | undefined)[]) {
      const summed = countVariantsInWindows(db, "split", windows, served);
      // The plain rule: a count per window, in SQLite's order of the variants.
      const plain = windows.map((window) => [
        `${window.from}..${window.to}`,
        countsGroupedBy(db, { concept: "split", window, served }, ["variant"]).map(({ variant, ...c }) => [variant, c]),
      ]);
      expect([...summed].map(([key, byVariant]) => [key, [...byVariant]])).toEqual(
        plain.filter(([key], i) => plain.findIndex(([other]) => other === key) === i),
      );
    }
    expect(
      countVariantsInWindows(db, "split", windows).get("2026-11-10..2026-11-19")?.get("b")?.visitors,
    ).toBeGreaterThan(0);
  });
});
