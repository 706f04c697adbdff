/**
 * The writes of the ingestion path, prepared once: recording a signup, a view, and the
 * daily salt. Each call is one autocommitted statement, so an acknowledged signup is on
 * disk (WAL) before the response leaves.
 */
import { randomBytes } from "node:crypto";
import { ne, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox, salts, signups, views } from "../../../db/schema";
import type { Lang } from "../../domain/concept";
import type { EmailEnvelope } from "../../domain/email";
import type { Served } from "../../domain/experiment-report";
import type { ViewExposure } from "../../domain/experiments";
import type { Utm } from "../../domain/signup";
import type { QueuedWebhook } from "../../domain/webhooks";

export interface SourceRow {
  utm: Utm;
  referrerHost: string | undefined;
}

export interface SignupRow extends SourceRow {
  concept: string;
  /** "" when nothing tells which variant the person saw (see db/schema.ts). */
  variant: string;
  /** From the recorded visit the signup followed; `none` without one. */
  served: Served;
  exposure: ViewExposure | "none";
  email: string;
  emailKey: string;
  /** A throwaway address: stored and mailed, counted apart. */
  throwaway: boolean;
  name: string | undefined;
  /** The fake-door tier the visitor clicked before joining, if any. */
  tier: string | undefined;
  lang: Lang;
  visitorHash: string;
  createdAt: Date;
  consent: { text: string; version: string; pagePath: string };
}

/** An email to queue with a new signup, in the same transaction; its content is composed when sent. */
export interface QueuedEmail extends EmailEnvelope {
  kind: "confirmation";
  idempotencyKey: string;
}

interface PendingSignup {
  row: SignupRow;
  emailFor: ((signupId: number) => QueuedEmail) | undefined;
}

export interface ViewRow extends SourceRow {
  concept: string;
  variant: string;
  visitorHash: string;
  day: string;
  createdAt: Date;
  served: Served;
  exposure: ViewExposure;
}

/** A recorded visit of a visitor-day (its hash): which variant, served how, which visit. */
export interface RecordedVisit {
  variant: string;
  served: Served;
  exposure: ViewExposure;
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

/**
 * `signupWebhooks` makes the signup.created deliveries of a new signup, queued in its
 * transaction; leave it out when no endpoint wants them, so that a signup costs nothing more.
 */
export function createIngestStore(
  db: Database,
  signupWebhooks?: (row: SignupRow, signupId: number) => QueuedWebhook[],
) {
  const insertSignup = db
    .insert(signups)
    .values({
      concept: sql.placeholder("concept"),
      variant: sql.placeholder("variant"),
      email: sql.placeholder("email"),
      emailKey: sql.placeholder("emailKey"),
      throwaway: sql.placeholder("throwaway"),
      name: sql.placeholder("name"),
      tier: sql.placeholder("tier"),
      lang: sql.placeholder("lang"),
      visitorHash: sql.placeholder("visitorHash"),
      createdAt: sql.placeholder("createdAt"),
      served: sql.placeholder("served"),
      exposure: sql.placeholder("exposure"),
      consentText: sql.placeholder("consentText"),
      consentVersion: sql.placeholder("consentVersion"),
      pagePath: sql.placeholder("pagePath"),
      ...sourcePlaceholders,
    })
    .onConflictDoNothing()
    .prepare();
  const insertQueued = db
    .insert(outbox)
    .values({
      kind: sql.placeholder("kind"),
      idempotencyKey: sql.placeholder("idempotencyKey"),
      from: sql.placeholder("from"),
      to: sql.placeholder("to"),
      signupId: sql.placeholder("signupId"),
      event: sql.placeholder("event"),
      payload: sql.placeholder("payload"),
      nextAttemptAt: sql.placeholder("createdAt"),
      createdAt: sql.placeholder("createdAt"),
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
      served: sql.placeholder("served"),
      exposure: sql.placeholder("exposure"),
      ...sourcePlaceholders,
    })
    .onConflictDoNothing()
    .prepare();
  // The hash is of one visitor-day and concept: a handful of rows at most (one per variant seen).
  const selectVisits = db.$client.prepare<[string], RecordedVisit>(
    "select variant, served, exposure from views where visitor_hash = ?",
  );
  const insertSalt = db
    .insert(salts)
    .values({ day: sql.placeholder("day"), salt: sql.placeholder("salt") })
    .onConflictDoNothing()
    .prepare();
  const selectSalt = db.query.salts.findFirst({ where: (s, { eq }) => eq(s.day, sql.placeholder("day")) }).prepare();

  /** One signup, and with a new one its email, inside the caller's transaction; the new signup's id. */
  function insertSignupRow({ row, emailFor }: PendingSignup): number | undefined {
    const { concept, variant, email, emailKey, lang, visitorHash, consent, served, exposure } = row;
    const result = insertSignup.run({
      concept,
      variant,
      served,
      exposure,
      email,
      emailKey,
      throwaway: row.throwaway ? 1 : 0,
      lang,
      visitorHash,
      name: row.name ?? null,
      tier: row.tier ?? null,
      consentText: consent.text,
      consentVersion: consent.version,
      pagePath: consent.pagePath,
      createdAt: row.createdAt,
      ...sourceColumns(row),
    });
    if (result.changes !== 1) return undefined;
    const signupId = Number(result.lastInsertRowid);
    if (emailFor)
      insertQueued.run({ ...emailFor(signupId), event: null, payload: null, signupId, createdAt: row.createdAt });
    for (const webhook of signupWebhooks?.(row, signupId) ?? []) {
      insertQueued.run({ ...webhook, signupId, createdAt: row.createdAt });
    }
    return signupId;
  }

  // Group commit: signups arriving in the same turn of the event loop are written in one
  // transaction, and each is answered only after that commit. Under load this turns many
  // small commits into a few larger ones; alone, a signup waits for nothing.
  const writeBatch = db.$client.transaction((batch: PendingSignup[]) => batch.map(insertSignupRow));
  let pending: (PendingSignup & { settle: (error: unknown, signupId?: number) => void })[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      const stored = writeBatch(batch);
      for (const [i, item] of batch.entries()) item.settle(undefined, stored[i]);
    } catch (error) {
      for (const item of batch) item.settle(error);
    }
  };

  return {
    /**
     * Stores a signup unless (concept, address) is already on the list, and with a new one
     * queues the email `emailFor` makes from its id, in the same transaction. Resolves
     * once committed, with the new signup's id (undefined when the address was listed).
     */
    recordSignup(row: SignupRow, emailFor?: (signupId: number) => QueuedEmail): Promise<number | undefined> {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ row, emailFor, settle: (error, signupId) => (error ? reject(error) : resolve(signupId)) });
      });
    },

    /** Stores the first view of a visitor-day for a variant; later ones change nothing. */
    recordView(row: ViewRow): boolean {
      const { concept, variant, visitorHash, day, served, exposure } = row;
      const params = { concept, variant, visitorHash, day, served, exposure, createdAt: row.createdAt };
      return insertView.run({ ...params, ...sourceColumns(row) }).changes === 1;
    },

    /** The visits recorded today for a visitor-day hash, to tie a signup to the exposure it followed. */
    visitsOf(visitorHash: string): RecordedVisit[] {
      return selectVisits.all(visitorHash);
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
