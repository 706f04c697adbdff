/**
 * A tier click counts only where the view of its visitor, variant and way served is
 * recorded (counts.ts). The database keeps each click's `counted` (migration 0014's
 * triggers, and its fill of older rows) so the admin pages need not look each view up:
 * on crafted rows, in every order of view and click, the stored flag, and the ladder's
 * tier figures read from it, equal the plain rule's.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { countLadderByVariant } from "../../src/server/store/funnel";
import { recordTierClick } from "../../src/server/store/ladder";
import { migrationsBefore } from "../support/migrations";

const DAY = "2026-11-20";
const WINDOW = { from: DAY, to: DAY };
const AT = new Date(`${DAY}T10:00:00Z`);
type Served = "split" | "direct" | "try";

function freshDatabase(migrationsFolder?: string) {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-tier-counted-")), "db.sqlite"));
  migrateDatabase(db, migrationsFolder);
  return db;
}

function view(db: ReturnType<typeof freshDatabase>, hash: string, variant = "control", served: Served = "split") {
  db.$client
    .prepare(
      "insert into views (concept, variant, visitor_hash, day, created_at, served, exposure) values ('c', ?, ?, ?, ?, ?, 'first')",
    )
    .run(variant, hash, DAY, AT.getTime(), served);
}

function click(
  db: ReturnType<typeof freshDatabase>,
  hash: string,
  tier: string,
  variant = "control",
  served: Served = "split",
) {
  recordTierClick(db, { concept: "c", variant, tier, visitorHash: hash, day: DAY, served, createdAt: AT });
}

/** The plain rule, as the counts read it before the flag: per click, whether its view exists. */
function plainRule(db: ReturnType<typeof freshDatabase>) {
  return db.$client
    .prepare(
      `select visitor_hash as hash, tier, counted, exists (select 1 from views v where v.visitor_hash = t.visitor_hash
              and v.variant = t.variant and v.served = t.served) as viewed
         from tier_clicks t order by id`,
    )
    .all() as { hash: string; tier: string; counted: number; viewed: number }[];
}

/** Views and clicks in every order that matters: before, after, never, of another variant or way served, deleted. */
function craft(
  db: ReturnType<typeof freshDatabase>,
  write: (hash: string, tier: string, variant?: string, served?: Served) => void,
) {
  view(db, "seen-first");
  write("seen-first", "basic");
  write("seen-first", "pro");
  write("seen-later", "basic");
  view(db, "seen-later");
  write("never-seen", "basic");
  view(db, "other-variant", "duo");
  write("other-variant", "pro");
  view(db, "other-way", "control", "direct");
  write("other-way", "basic");
  view(db, "erased");
  write("erased", "pro");
  db.$client.prepare("delete from views where visitor_hash = 'erased'").run();
}

describe("a tier click's counted flag", () => {
  test("is the plain rule whichever of the view and the click came first", () => {
    const db = freshDatabase();
    craft(db, (hash, tier, variant, served) => click(db, hash, tier, variant, served));
    const rows = plainRule(db);
    expect(rows.map((row) => [row.hash, row.tier, row.counted])).toEqual([
      ["seen-first", "basic", 1],
      ["seen-first", "pro", 1],
      ["seen-later", "basic", 1],
      ["never-seen", "basic", 0],
      ["other-variant", "pro", 0],
      ["other-way", "basic", 0],
      ["erased", "pro", 0],
    ]);
    for (const row of rows) expect(row.counted).toBe(row.viewed);
  });

  test("gives the ladder the tier figures of the plain rule", () => {
    const db = freshDatabase();
    craft(db, (hash, tier, variant, served) => click(db, hash, tier, variant, served));
    const control = countLadderByVariant(db, "c", WINDOW).get("control");
    // Two visitors (seen-first with two tiers, seen-later): never-seen, other-way and erased are out.
    expect(control?.tier).toBe(2);
    expect(control?.tiers).toEqual({ basic: 2, pro: 1 });
  });

  test("is filled by the migration for the clicks stored before it", () => {
    const db = freshDatabase(migrationsBefore((tag) => tag.endsWith("_ladder_counts")));
    const insert = db.$client.prepare(
      "insert into tier_clicks (concept, variant, tier, visitor_hash, day, served, created_at) values ('c', ?, ?, ?, ?, ?, ?)",
    );
    craft(db, (hash, tier, variant = "control", served = "split") =>
      insert.run(variant, tier, hash, DAY, served, AT.getTime()),
    );
    migrateDatabase(db);
    const rows = plainRule(db);
    expect(rows.map((row) => row.counted)).toEqual([1, 1, 1, 0, 0, 0, 0]);
    for (const row of rows) expect(row.counted).toBe(row.viewed);
  });
});
