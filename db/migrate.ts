/** Applies the committed migrations in db/migrations/ that the database has not seen yet. */
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Database } from "./client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export function migrateDatabase(db: Database): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
