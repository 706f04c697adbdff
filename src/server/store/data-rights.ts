/**
 * The founder's data duties: export the list (CSV, safe in spreadsheets), erase one
 * person everywhere, and back the database up.
 */
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { type Database, ensurePrivateFile } from "../../../db/client";
import { signups } from "../../../db/schema";
import { csvLine, UTF8_BOM } from "../../domain/csv";
import { emailKey } from "../../domain/signup";
import { invalidateRollups } from "./counts";

export const EXPORT_COLUMNS = [
  "concept",
  "variant",
  "email",
  "name",
  "language",
  "signed_up_at",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "referrer_host",
  // "yes" for an address on the throwaway list (counted apart on /admin), else "no".
  "throwaway",
] as const;

export function countSignups(db: Database): number {
  return db.select({ n: count() }).from(signups).get()?.n ?? 0;
}

interface SignupExportRow {
  concept: string;
  variant: string;
  email: string;
  name: string | null;
  lang: string;
  created_at: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  referrer_host: string | null;
  throwaway: 0 | 1;
}

/** The export, line by line (BOM and header first), streamed from the database row by row. */
export function* signupCsvLines(db: Database): Generator<string> {
  yield UTF8_BOM + csvLine(EXPORT_COLUMNS);
  const rows = db.$client
    .prepare(
      `select concept, variant, email, name, lang, created_at, utm_source, utm_medium, utm_campaign, utm_term,
              utm_content, referrer_host, throwaway
         from signups order by concept, created_at, id`,
    )
    .iterate() as IterableIterator<SignupExportRow>;
  for (const row of rows) {
    yield csvLine([
      row.concept,
      row.variant,
      row.email,
      row.name,
      row.lang,
      new Date(row.created_at).toISOString(),
      row.utm_source,
      row.utm_medium,
      row.utm_campaign,
      row.utm_term,
      row.utm_content,
      row.referrer_host,
      row.throwaway ? "yes" : "no",
    ]);
  }
}

/** Erases an address from every waitlist; returns how many signups were deleted. */
export function forgetEmail(db: Database, email: string): number {
  const erased = db
    .delete(signups)
    .where(eq(signups.emailKey, emailKey(email.trim())))
    .run().changes;
  // Rolled-up counts are anonymous, but they must agree with the list: rebuild them.
  if (erased > 0) invalidateRollups(db);
  return erased;
}

/** An online backup (readers and the writer keep going) to `<dir>/racine-<timestamp>.db`. */
export async function backupDatabase(
  db: Database,
  dir: string,
  now: Date,
  onProgress: (done: number, total: number) => void = () => {},
  label = "racine",
): Promise<string> {
  const file = join(dir, `${label}-${now.toISOString().replace(/[:.]/g, "-")}.db`);
  // Owner-only before SQLite writes a byte into it (a copy of everything the database holds).
  ensurePrivateFile(file);
  await db.$client.backup(file, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress(totalPages - remainingPages, totalPages);
      return 200;
    },
  });
  return file;
}
