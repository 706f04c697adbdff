/**
 * The writes of the ingestion path, prepared once: recording a signup, a view, and the
 * daily salt. Each call is one autocommitted statement, so an acknowledged signup is on
 * disk (WAL) before the response leaves.
 */
import { randomBytes } from "node:crypto";
import { ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { salts, signups, views } from "../../db/schema";
import type { Lang } from "../domain/concept";
import type { Utm } from "../domain/signup";

export interface SourceRow {
  utm: Utm;
  referrerHost: string | undefined;
}

export interface SignupRow extends SourceRow {
  concept: string;
  variant: string;
  email: string;
  emailKey: string;
  name: string | undefined;
  lang: Lang;
  visitorHash: string;
  createdAt: Date;
}

export interface ViewRow extends SourceRow {
  concept: string;
  variant: string;
  visitorHash: string;
  day: string;
  createdAt: Date;
}

const sourceColumns = ({ utm, referrerHost }: SourceRow) => ({
  utmSource: utm.utm_source ?? null,
  utmMedium: utm.utm_medium ?? null,
  utmCampaign: utm.utm_campaign ?? null,
  utmTerm: utm.utm_term ?? null,
  utmContent: utm.utm_content ?? null,
  referrerHost: referrerHost ?? null,
});

const sourcePlaceholders = {
  utmSource: sql.placeholder("utmSource"),
  utmMedium: sql.placeholder("utmMedium"),
  utmCampaign: sql.placeholder("utmCampaign"),
  utmTerm: sql.placeholder("utmTerm"),
  utmContent: sql.placeholder("utmContent"),
  referrerHost: sql.placeholder("referrerHost"),
};

export type IngestStore = ReturnType<typeof createIngestStore>;

export function createIngestStore(db: Database) {
  const insertSignup = db
    .insert(signups)
    .values({
      concept: sql.placeholder("concept"),
      variant: sql.placeholder("variant"),
      email: sql.placeholder("email"),
      emailKey: sql.placeholder("emailKey"),
      name: sql.placeholder("name"),
      lang: sql.placeholder("lang"),
      visitorHash: sql.placeholder("visitorHash"),
      createdAt: sql.placeholder("createdAt"),
      ...sourcePlaceholders,
    })
    .onConflictDoNothing()
    .prepare();
  const insertView = db
    .insert(views)
    .values({
      concept: sql.placeholder("concept"),
      variant: sql.placeholder("variant"),
      visitorHash: sql.placeholder("visitorHash"),
      day: sql.placeholder("day"),
      createdAt: sql.placeholder("createdAt"),
      ...sourcePlaceholders,
    })
    .onConflictDoNothing()
    .prepare();
  const insertSalt = db
    .insert(salts)
    .values({ day: sql.placeholder("day"), salt: sql.placeholder("salt") })
    .onConflictDoNothing()
    .prepare();
  const selectSalt = db.query.salts.findFirst({ where: (s, { eq }) => eq(s.day, sql.placeholder("day")) }).prepare();

  return {
    /** Stores a signup unless (concept, address) is already on the list; true when stored. */
    recordSignup(row: SignupRow): boolean {
      const { concept, variant, email, emailKey, lang, visitorHash } = row;
      const params = { concept, variant, email, emailKey, lang, visitorHash, name: row.name ?? null };
      return insertSignup.run({ ...params, createdAt: row.createdAt, ...sourceColumns(row) }).changes === 1;
    },

    /** Stores the first view of a visitor-day for a variant; later ones change nothing. */
    recordView(row: ViewRow): boolean {
      const { concept, variant, visitorHash, day } = row;
      const params = { concept, variant, visitorHash, day, createdAt: row.createdAt };
      return insertView.run({ ...params, ...sourceColumns(row) }).changes === 1;
    },

    /** The salt of a day, created on first use; every other day's salt is deleted then. */
    saltFor(day: string): string {
      return db.transaction((tx) => {
        insertSalt.run({ day, salt: randomBytes(16).toString("base64url") });
        tx.delete(salts).where(ne(salts.day, day)).run();
        const row = selectSalt.get({ day });
        if (!row) throw new Error(`salt for ${day} vanished`);
        return row.salt;
      });
    },
  };
}
