import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { SERVER_BUNDLE } from "../../scripts/build";
import { runScript as run } from "../support/server";

const tempDatabase = () => join(mkdtempSync(join(tmpdir(), "racine-script-")), "racine.db");
const counts = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  const result = db
    .prepare("select (select count(*) from views) as views, (select count(*) from signups) as signups")
    .get();
  db.close();
  return result as { views: number; signups: number };
};

describe("npm run seed:demo", () => {
  test("fills the database deterministically, and reseeding replaces the demo rows", () => {
    const file = tempDatabase();
    const first = run("seed-demo", ["--days", "14", "--seed", "3"], { DATABASE_PATH: file });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Seeded .* visitor-days and \d+ signups over 14 days/);
    expect(first.stderr).toContain("100 %");
    const seeded = counts(file);
    expect(seeded.views).toBeGreaterThan(500);
    expect(seeded.signups).toBeGreaterThan(20);
    expect(run("seed-demo", ["--days", "14", "--seed", "3"], { DATABASE_PATH: file }).status).toBe(0);
    expect(counts(file)).toEqual(seeded);
  });

  test("refuses a database with real signups unless --force, and never deletes them", () => {
    const file = tempDatabase();
    expect(run("migrate", [], { DATABASE_PATH: file }).status).toBe(0);
    const db = new Sqlite(file);
    db.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at) values ('origami', 'control', 'real@exemple.fr', 'real@exemple.fr', 'fr', 1)",
    ).run();
    db.close();
    const refused = run("seed-demo", ["--days", "7"], { DATABASE_PATH: file });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds 1 real visitors or signups");
    expect(run("seed-demo", ["--days", "7", "--force"], { DATABASE_PATH: file }).status).toBe(0);
    const check = new Sqlite(file, { readonly: true });
    expect(check.prepare("select count(*) as n from signups where email = 'real@exemple.fr'").get()).toEqual({ n: 1 });
    check.close();
  });

  test("a bad flag is named in the error", () => {
    const result = run("seed-demo", ["--days", "3"], { DATABASE_PATH: tempDatabase() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--days:");
  });
});

describe("starting with a bad environment", () => {
  test("stops with the variable and the fix, not a stack trace", () => {
    const result = spawnSync(process.execPath, [SERVER_BUNDLE], {
      env: { PATH: process.env.PATH ?? "", PORT: "eighty", DATABASE_PATH: tempDatabase() },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid environment");
    expect(result.stderr).toContain("PORT: use a number");
    expect(result.stderr).not.toContain("    at ");
  });
});
