import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { MIGRATIONS_FOLDER, migrateDatabase } from "../../db/migrate";
import { migrationsBefore } from "../support/migrations";
import { runScript, startServer } from "../support/server";

function databaseWithSignups(): string {
  const file = join(mkdtempSync(join(tmpdir(), "racine-rights-")), "racine.db");
  expect(runScript("migrate", [], { DATABASE_PATH: file }).status).toBe(0);
  const db = new Sqlite(file);
  const insert = db.prepare(
    "insert into signups (concept, variant, email, email_key, name, lang, created_at, utm_source) values (?, 'control', ?, ?, ?, 'fr', ?, ?)",
  );
  insert.run("split", "Lea@Exemple.fr", "lea@exemple.fr", "Léa", Date.UTC(2026, 10, 20), "@instagram");
  insert.run("late-variant", "Lea@EXEMPLE.FR", "lea@exemple.fr", null, Date.UTC(2026, 10, 21), null);
  insert.run("split", "tom@exemple.fr", "tom@exemple.fr", "-Tom", Date.UTC(2026, 10, 22), "newsletter");
  db.close();
  return file;
}

describe("npm run export", () => {
  test("writes every signup to --out as Excel-safe CSV, with progress", () => {
    const file = databaseWithSignups();
    const db = new Sqlite(file);
    db.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at, answer, answered_at) values ('split', 'control', 'ana@exemple.fr', 'ana@exemple.fr', 'fr', ?, '[\"initie\"]', ?)",
    ).run(Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 23));
    db.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at, answer, answered_at) values ('ladder', 'control', 'ana@exemple.fr', 'ana@exemple.fr', 'fr', ?, '[\"initie\"]', ?)",
    ).run(Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 23));
    db.close();
    const out = join(mkdtempSync(join(tmpdir(), "racine-export-")), "signups.csv");
    const result = runScript("export", ["--out", out], { DATABASE_PATH: file });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("Exported 5 signups");
    const text = readFileSync(out, "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(6);
    expect(lines.find((line) => line.startsWith('"late-variant"'))).toBe(
      '"late-variant","control","Lea@EXEMPLE.FR","","fr","2026-11-21T00:00:00.000Z","","","","","","","no","","","","","",""',
    );
    expect(lines.join("\n")).toContain('"tom@exemple.fr","\'-Tom"');
    expect(lines.join("\n")).toContain('"\'@instagram"');
    // An answer by its label, from the build's concepts (the test build holds `ladder`); an
    // id the concept does not ask about stays as it is.
    expect(lines.find((line) => line.startsWith('"ladder"'))).toContain('"J’ai déjà essayé un peu"');
    expect(lines.filter((line) => line.startsWith('"split"')).join()).toContain('"initie"');
  });

  test("writes to standard output without --out", () => {
    const result = runScript("export", [], { DATABASE_PATH: databaseWithSignups() });
    expect(result.status).toBe(0);
    expect(result.stdout.split("\r\n").filter(Boolean)).toHaveLength(4);
  });
});

describe("npm run forget", () => {
  test("erases an address from every waitlist, however it is written", () => {
    const file = databaseWithSignups();
    const result = runScript("forget", ["LEA@ＥＸＥＭＰＬＥ.fr"], { DATABASE_PATH: file });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Erased 2 signup(s)");
    const db = new Sqlite(file, { readonly: true });
    expect(db.prepare("select email from signups").all()).toEqual([{ email: "tom@exemple.fr" }]);
    db.close();
  });

  test("without an address it explains how to call it", () => {
    const result = runScript("forget", [], { DATABASE_PATH: databaseWithSignups() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("npm run forget -- someone@example.com");
  });
});

describe("backups", () => {
  test("npm run backup writes a timestamped copy that holds the same data", () => {
    const file = databaseWithSignups();
    const dir = mkdtempSync(join(tmpdir(), "racine-backups-"));
    const result = runScript("backup", ["--dir", dir], { DATABASE_PATH: file });
    expect(result.status).toBe(0);
    const [backup] = readdirSync(dir);
    expect(backup).toMatch(/^racine-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/);
    const copy = new Sqlite(join(dir, backup ?? ""), { readonly: true });
    expect(copy.prepare("select count(*) as n from signups").get()).toEqual({ n: 3 });
    copy.close();
  });

  test("the server backs a database up before applying a pending migration", async () => {
    // A database one migration behind, holding a signup: whatever the newest migration is.
    const file = join(mkdtempSync(join(tmpdir(), "racine-rights-")), "racine.db");
    const behind = openDatabase(file);
    migrateDatabase(behind, migrationsBefore());
    behind.$client
      .prepare(
        "insert into signups (concept, variant, email, email_key, lang, created_at) values ('split', 'control', 'a@exemple.fr', 'a@exemple.fr', 'fr', 0)",
      )
      .run();
    behind.$client.close();
    const server = await startServer({ DATABASE_PATH: file });
    try {
      expect(server.output()).toMatch(/backup before 1 migration\(s\): .*pre-migration-.*\.db/);
      const backups = readdirSync(join(file, "..", "backups"));
      expect(backups.some((name) => name.startsWith("pre-migration-"))).toBe(true);
      const applied = server.query<{ n: number }>("select count(*) as n from __drizzle_migrations")[0]?.n;
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));
      expect(applied).toBe(journal.entries.length);
    } finally {
      await server.stop();
    }
    expect(existsSync(file)).toBe(true);
  });
});
