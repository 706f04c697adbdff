/**
 * The writes of the ingestion path, prepared once: recording a signup, a view, and the
 * daily salt. Signups and views are group-committed and each resolves only after its
 * commit, so an acknowledged signup or view is on disk (WAL) before the response leaves.
 */
import { randomBytes } from "node:crypto";
import { ne, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { salts } from "../../../db/schema";
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
  name: string | undefined;
  /** A throwaway address: stored and mailed, counted apart. */
  throwaway: boolean;
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

/**
 * A signup waiting for its batch: its row is made from the visits recorded today for its
 * visitor-day hash (see attributeSignup), read in the batch's transaction.
 */
interface PendingSignup {
  visitorHash: string;
  rowFor: (visits: readonly RecordedVisit[]) => SignupRow;
  emailFor: ((signupId: number) => QueuedEmail) | undefined;
}

type Write = { signup: PendingSignup; view?: undefined } | { signup?: undefined; view: ViewRow };

/** A write waiting for its batch's commit: a signup or a view. */
type PendingWrite = Write & {
  /** The new row's id; undefined when nothing new was stored (already listed, or seen). */
  stored: number | undefined;
  resolve: (stored: number | undefined) => void;
  reject: (error: unknown) => void;
};

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

/** The source columns of a row, in the order SOURCE_COLUMNS lists them. */
const SOURCE_COLUMNS = "utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer_host";
const sourceValues = ({ utm, referrerHost }: SourceRow) =>
  [
    utm.utm_source ?? null,
    utm.utm_medium ?? null,
    utm.utm_campaign ?? null,
    utm.utm_term ?? null,
    utm.utm_content ?? null,
    referrerHost ?? null,
  ] as const;

export type IngestStore = ReturnType<typeof createIngestStore>;

/** Turns of the event loop a batch under load waits for more writes at most (each a few µs when idle). */
export const MAX_JOIN_TURNS = 4;

/**
 * `signupWebhooks` makes the signup.created deliveries of a new signup, queued in its
 * transaction; leave it out when no endpoint wants them, so that a signup costs nothing more.
 */
export function createIngestStore(
  db: Database,
  signupWebhooks?: (row: SignupRow, signupId: number) => QueuedWebhook[],
) {
  // The statements of every request are better-sqlite3's own, bound by position: drizzle's
  // placeholder filling cost a view or a signup an object, a parameter map and a few
  // percent of the CPU each (the columns and conflict rules are db/schema.ts's).
  const insertSignup = db.$client.prepare(
    `insert into signups (concept, variant, email, email_key, throwaway, name, tier, lang, visitor_hash, created_at,
       served, exposure, consent_text, consent_version, page_path, ${SOURCE_COLUMNS})
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
  const insertQueued = db.$client.prepare(
    `insert into outbox (kind, idempotency_key, "from", "to", signup_id, event, payload, next_attempt_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
  const insertView = db.$client.prepare(
    `insert into views (concept, variant, visitor_hash, day, created_at, served, exposure, ${SOURCE_COLUMNS})
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
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

  /** An email or a webhook of a new signup, due now (`to` is the column's JSON, as drizzle writes it). */
  function queue(item: QueuedEmail | QueuedWebhook, signupId: number, at: Date): void {
    const [event, payload] = item.kind === "webhook" ? [item.event, item.payload] : [null, null];
    const { kind, idempotencyKey, from, to } = item;
    insertQueued.run(
      kind,
      idempotencyKey,
      from,
      JSON.stringify(to),
      signupId,
      event,
      payload,
      at.getTime(),
      at.getTime(),
    );
  }

  /** One signup, and with a new one its email and webhooks, inside the batch's transaction. */
  function insertSignupRow({ visitorHash: hash, rowFor, emailFor }: PendingSignup): number | undefined {
    // Read inside the write transaction: it needs no read transaction of its own (a tenth of
    // a signup's time when it had one), and the views of the same batch count.
    const row = rowFor(selectVisits.all(hash));
    const { concept, variant, email, emailKey, lang, visitorHash, consent, served, exposure } = row;
    const result = insertSignup.run(
      concept,
      variant,
      email,
      emailKey,
      row.throwaway ? 1 : 0,
      row.name ?? null,
      row.tier ?? null,
      lang,
      visitorHash,
      row.createdAt.getTime(),
      served,
      exposure,
      consent.text,
      consent.version,
      consent.pagePath,
      ...sourceValues(row),
    );
    if (result.changes !== 1) return undefined;
    const signupId = Number(result.lastInsertRowid);
    if (emailFor) queue(emailFor(signupId), signupId, row.createdAt);
    for (const webhook of signupWebhooks?.(row, signupId) ?? []) queue(webhook, signupId, row.createdAt);
    return signupId;
  }

  function insertViewRow(row: ViewRow): number | undefined {
    const { concept, variant, visitorHash, day, served, exposure } = row;
    const created = row.createdAt.getTime();
    const result = insertView.run(concept, variant, visitorHash, day, created, served, exposure, ...sourceValues(row));
    return result.changes === 1 ? Number(result.lastInsertRowid) : undefined;
  }

  // Group commit: the writes (signups and views) arriving in the same turn of the event loop
  // go in one transaction, and each is answered only after that commit. Under load (more than
  // one write in a turn) the next turns' writes may join, up to MAX_JOIN_TURNS: the batch is
  // committed at the first turn that brings none. A commit costs ~50 µs and a signup ~18 µs
  // in it, so a burst makes a few large commits rather than many small ones; alone, a write
  // waits for nothing.
  const writeBatch = db.$client.transaction((batch: PendingWrite[]) => {
    for (const item of batch) item.stored = item.signup ? insertSignupRow(item.signup) : insertViewRow(item.view);
  });
  let pending: PendingWrite[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      // BEGIN IMMEDIATE: a deferred transaction that reads first (a signup's visits) and
      // then meets another process's write lock fails at once, without busy_timeout's wait.
      writeBatch.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) item.resolve(item.stored);
  };
  // The batch's size at the last turn, and how many turns it has waited for more.
  let seen = 0;
  let turns = 0;
  const flushWhenQuiet = () => {
    if (pending.length > Math.max(seen, 1) && turns < MAX_JOIN_TURNS) {
      seen = pending.length;
      turns += 1;
      setImmediate(flushWhenQuiet);
      return;
    }
    seen = 0;
    turns = 0;
    flush();
  };
  const enqueue = (write: Write) =>
    new Promise<number | undefined>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flushWhenQuiet);
      pending.push({ ...write, stored: undefined, resolve, reject });
    });

  return {
    /**
     * Stores a signup unless (concept, address) is already on the list, and with a new one
     * queues the email `emailFor` makes from its id, in the same transaction. `rowFor` makes
     * the row from the visits recorded today for `visitorHash`, read in that transaction.
     * Resolves (the new signup's id; undefined when already listed) once committed.
     */
    recordSignup(
      visitorHash: string,
      rowFor: (visits: readonly RecordedVisit[]) => SignupRow,
      emailFor?: (signupId: number) => QueuedEmail,
    ): Promise<number | undefined> {
      return enqueue({ signup: { visitorHash, rowFor, emailFor } });
    },

    /**
     * Stores the first view of a visitor-day for a variant; later ones change nothing.
     * Resolves (the new view's id; undefined when already seen) once committed.
     */
    recordView(view: ViewRow): Promise<number | undefined> {
      return enqueue({ view });
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
