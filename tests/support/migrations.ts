/** Databases as an older release left them, built from the committed migrations. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "../../db/migrate";

/**
 * A copy of the committed migrations that stops before the first one `isCut` picks (by
 * default the newest): found by name, whatever its number after a merge.
 */
export function migrationsBefore(isCut?: (tag: string) => boolean): string {
  const folder = mkdtempSync(join(tmpdir(), "racine-migrations-"));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = isCut ? journal.entries.findIndex((entry) => isCut(entry.tag)) : journal.entries.length - 1;
  if (at < 1) throw new Error("no migration to stop before");
  for (const entry of journal.entries.splice(at)) rmSync(join(folder, `${entry.tag}.sql`));
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}
