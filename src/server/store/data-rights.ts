/**
 * The founder's data duties: export the list (CSV, safe in spreadsheets), erase one
 * person everywhere, and back the database up.
 */
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { type Database, ensurePrivateFile } from "../../../db/client";
import { signups } from "../../../db/schema";
import type { Concept } from "../../domain/concept";
import { csvLine, UTF8_BOM } from "../../domain/csv";
import { answerText } from "../../domain/ladder";
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
  // The intent ladder: the tier clicked before joining (its id), the answer (the options'
  // labels, or the text), the interview opt-in with the preferred time as typed, the reservation.
  "tier",
  "answer",
  "answered_at",
  "interview_opt_in_at",
  "interview_when",
  "reserved_at",
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
  tier: string | null;
  answer: string | null;
  answered_at: number | null;
  interview_at: number | null;
  interview_when: string | null;
  reserved_at: number | null;
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The export, line by line (BOM and header first), streamed from the database row by row.
 * `concepts` name the answers' options (an option no longer in the file keeps its id).
 */
export function* signupCsvLines(
  db: Database,
  concepts: readonly Pick<Concept, "slug" | "question">[] = [],
): Generator<string> {
  const bySlug = new Map(concepts.map((concept) => [concept.slug, concept]));
  yield UTF8_BOM + csvLine(EXPORT_COLUMNS);
  const rows = db.$client
    .prepare(
      `select concept, variant, email, name, lang, created_at, utm_source, utm_medium, utm_campaign, utm_term,
              utm_content, referrer_host, throwaway, tier, answer, answered_at, interview_at, interview_when, reserved_at
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
      row.tier,
      row.answer === null
        ? null
        : answerText(bySlug.get(row.concept) ?? {}, JSON.parse(row.answer) as string[] | string),
      isoOrNull(row.answered_at),
      isoOrNull(row.interview_at),
      row.interview_when,
      isoOrNull(row.reserved_at),
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
