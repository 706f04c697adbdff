/**
 * The one place that opens SQLite. Pragmas are chosen for a single-process server that
 * must not lose acknowledged signups:
 * - WAL: readers (the admin page) never block the writer (signup ingestion);
 * - synchronous=NORMAL: a committed transaction survives a process crash (kill -9); a
 *   power loss may roll back the last commits but never corrupts the file. FULL would
 *   cost 5–8× on single-row commits (see FIELD-NOTES), for a failure a VPS rarely has;
 * - busy_timeout: a second process (seed, export, backup) waits instead of failing;
 * - foreign_keys on, so future references are enforced.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";

export type Database = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };

export function openDatabase(file: string): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const client = new Sqlite(file);
  client.pragma("journal_mode = WAL");
  client.pragma("synchronous = NORMAL");
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  return drizzle({ client, schema });
}

// The server script and the Astro bundle each hold a copy of this module; a registry on
// globalThis gives both the same connection, so the process keeps a single writer.
const REGISTRY = Symbol.for("racine.databases");
type Registry = Map<string, Database>;

export function sharedDatabase(file: string): Database {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= new Map();
  let db = holder[REGISTRY].get(file);
  if (!db) {
    db = openDatabase(file);
    holder[REGISTRY].set(file, db);
  }
  return db;
}
