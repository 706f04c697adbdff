/**
 * The one place that opens SQLite. Pragmas are chosen for a single-process server that
 * must not lose acknowledged signups:
 * - WAL: readers (the admin page) never block the writer (signup ingestion);
 * - synchronous=NORMAL: a committed transaction survives a process crash (kill -9); a
 *   power loss may roll back the last commits but never corrupts the file. FULL would
 *   cost 5–8× on single-row commits (see FIELD-NOTES), for a failure a VPS rarely has;
 * - busy_timeout: a second process (seed, export, backup) waits instead of failing;
 * - foreign_keys on, so future references are enforced;
 * - an 8 MB page cache: better-sqlite3 builds SQLite with 16 MB per connection, which the
 *   ingestion's random index pages (the visitor hash) fill within minutes, and with it the
 *   server's resident memory past its 150 MB target; the OS page cache keeps the rest of the
 *   file close at hand.
 * The file holds addresses and the server's keys: it is made readable by its owner only
 * (0600, in a 0700 folder when the folder is new); SQLite gives its WAL and shared-memory
 * files the database file's mode.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";

export type Database = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `file` empty and owner-only if it does not exist; tightens it (and its WAL) if it does. */
export function ensurePrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}

export function openDatabase(file: string): Database {
  if (file !== ":memory:") ensurePrivateFile(file);
  const client = new Sqlite(file);
  client.pragma("journal_mode = WAL");
  client.pragma("synchronous = NORMAL");
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  client.pragma("cache_size = -8000");
  return drizzle({ client, schema });
}
