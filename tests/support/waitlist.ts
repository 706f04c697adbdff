/**
 * A waitlist to announce to, on the test concept "split": 20 confirmed, subscribed signups on
 * both variants and in both languages, and the ones an announcement must skip.
 */
import Sqlite from "better-sqlite3";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

/** The signups are made and confirmed the day before this (the tests' pinned clock). */
const SIGNED_UP_BEFORE = "2026-11-25T12:00:00Z";

/** The 20 who must get it: confirmed and subscribed, on both variants, in both languages. */
export const ELIGIBLE = Array.from({ length: 20 }, (_, i) => ({
  email: `person${i + 1}@exemple.fr`,
  lang: (i + 1) % 3 === 0 ? "en" : "fr",
  variant: i % 2 === 0 ? "control" : "cheaper",
}));
/** Those who must not: unconfirmed, unsubscribed, or on another concept's list. */
export const NOT_ELIGIBLE = [
  "pending1@exemple.fr",
  "pending2@exemple.fr",
  "pending3@exemple.fr",
  "gone1@exemple.fr",
  "gone2@exemple.fr",
  "other1@exemple.fr",
];

/** A migrated database holding the waitlists above. */
export function seedWaitlist(databasePath: string): void {
  const db = openDatabase(databasePath);
  migrateDatabase(db);
  db.$client.close();
  const sqlite = new Sqlite(databasePath);
  const insert = sqlite.prepare(
    `insert into signups (concept, variant, email, email_key, lang, created_at, confirmed_at, unsubscribed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = Date.parse(SIGNED_UP_BEFORE) - 86_400_000;
  for (const person of ELIGIBLE)
    insert.run("split", person.variant, person.email, person.email, person.lang, at, at, null);
  for (const email of NOT_ELIGIBLE) {
    const [concept, confirmed, unsubscribed] = email.startsWith("pending")
      ? ["split", null, null]
      : email.startsWith("gone")
        ? ["split", at, at]
        : ["plain", at, null];
    insert.run(concept, "control", email, email, "fr", at, confirmed, unsubscribed);
  }
  sqlite.close();
}
