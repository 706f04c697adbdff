/** Applies the committed migrations in db/migrations/ that the database has not seen yet. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { emailKey } from "../src/domain/signup";
import { isThrowawayAddress } from "../src/server/email/throwaway";
import type { Database } from "./client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * What a migration cannot compute in SQL (SQLite's lower() is ASCII-only; it knows no NFKC
 * nor IDNA), offered to it as SQL functions on this connection, so that rows are rewritten
 * inside the migrator's own transaction: applied with their migration, or not at all.
 * Only this entry point migrates (drizzle-kit's `migrate` would not know them).
 */
function registerMigrationFunctions(db: Database): void {
  db.$client.function("racine_email_key", { deterministic: true }, (email: unknown) => emailKey(String(email)));
  db.$client.function("racine_throwaway", { deterministic: true }, (key: unknown) =>
    isThrowawayAddress(String(key)) ? 1 : 0,
  );
}

/** Applies the committed migrations (a test passes a folder holding the older ones only). */
export function migrateDatabase(db: Database, migrationsFolder = MIGRATIONS_FOLDER): void {
  registerMigrationFunctions(db);
  migrate(db, { migrationsFolder });
}

/**
 * How many committed migrations this database has not applied yet, judged as drizzle's
 * migrator does: those newer than the last one recorded in __drizzle_migrations.
 */
export function pendingMigrations(db: Database): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as {
    entries: { when: number }[];
  };
  const table = db.$client
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get() as { n: number };
  const last =
    table.n === 0
      ? undefined
      : (db.$client.prepare("select max(created_at) as at from __drizzle_migrations").get() as { at: number | null })
          .at;
  return journal.entries.filter((entry) => last === undefined || last === null || entry.when > last).length;
}

/** True when the database holds any table of ours (a brand-new file needs no backup). */
export function hasData(db: Database): boolean {
  const row = db.$client
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'signups'")
    .get() as {
    n: number;
  };
  return row.n > 0;
}
