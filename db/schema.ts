/**
 * The database schema. Change it here, then `npm run db:generate` writes a numbered
 * migration into db/migrations/ for review; the server applies pending ones at start.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Tracking columns shared by views and signups: where the visitor came from. */
const source = {
  utmSource: text("utm_source"),
  utmMedium: text("utm_medium"),
  utmCampaign: text("utm_campaign"),
  utmTerm: text("utm_term"),
  utmContent: text("utm_content"),
  referrerHost: text("referrer_host"),
};

/**
 * One row per visitor-day and variant of a concept: the visitor hash uses a salt that
 * changes every day, so the same person on two days counts twice (as Plausible does).
 */
export const views = sqliteTable(
  "views",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    variant: text("variant").notNull(),
    visitorHash: text("visitor_hash").notNull(),
    day: text("day").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    ...source,
  },
  (table) => [
    uniqueIndex("views_visitor_variant_unique").on(table.visitorHash, table.variant),
    index("views_concept_day_idx").on(table.concept, table.day),
    index("views_day_idx").on(table.day),
  ],
);

/** One row per (concept, address): a repeat signup stores nothing new. */
export const signups = sqliteTable(
  "signups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    variant: text("variant").notNull(),
    email: text("email").notNull(),
    emailKey: text("email_key").notNull(),
    name: text("name"),
    lang: text("lang", { enum: ["fr", "en"] }).notNull(),
    visitorHash: text("visitor_hash"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    ...source,
    /** Proof of consent: the exact wording shown next to the form, its version, and the page. */
    consentText: text("consent_text"),
    consentVersion: text("consent_version"),
    pagePath: text("page_path"),
    /** Double opt-in: null while the address is unconfirmed. */
    confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
    unsubscribedAt: integer("unsubscribed_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("signups_concept_email_unique").on(table.concept, table.emailKey),
    index("signups_concept_created_idx").on(table.concept, table.createdAt),
    index("signups_created_idx").on(table.createdAt),
  ],
);

/** The daily secret salts of visitor hashes; rows older than yesterday are deleted. */
export const salts = sqliteTable("salts", {
  day: text("day").primaryKey(),
  salt: text("salt").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
});

/**
 * The traffic split of each concept over time: a row per change of its variants or
 * weights, so a variant added or re-weighted mid-test is compared only with control
 * traffic from the same period. The first row of a concept starts at 0 (the beginning).
 */
export const experimentEpochs = sqliteTable(
  "experiment_epochs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    weights: text("weights", { mode: "json" }).$type<Record<string, number>>().notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("experiment_epochs_concept_started_idx").on(table.concept, table.startedAt)],
);

/**
 * Visitors and signups per concept, variant, day and traffic source, for days that can no
 * longer change (up to the day before yesterday): the analytics pages read these instead
 * of scanning every view. Rebuilt from the raw tables whenever the past is rewritten.
 */
export const dailyRollups = sqliteTable(
  "daily_rollups",
  {
    concept: text("concept").notNull(),
    variant: text("variant").notNull(),
    day: text("day").notNull(),
    source: text("source").notNull(),
    visitors: integer("visitors").notNull(),
    signups: integer("signups").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.concept, table.variant, table.day, table.source] }),
    index("daily_rollups_day_idx").on(table.day),
  ],
);

/** How far the rollups go: every day up to and including `rolledThrough` (YYYY-MM-DD). */
export const rollupState = sqliteTable("rollup_state", {
  id: integer("id").primaryKey(),
  rolledThrough: text("rolled_through").notNull(),
});

/**
 * Every email and webhook racine sends, queued in the same transaction as what causes it and
 * sent by the worker with retries: nothing is lost when the provider or the receiver is down.
 * An email has a sender and recipients; a webhook's `to` is its endpoint's URL, and it
 * carries its event and the exact body it signs (the same bytes on every retry).
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["confirmation", "digest", "notification", "webhook"] }).notNull(),
    /** Sent at most once per key (the provider dedupes retries by it too). */
    idempotencyKey: text("idempotency_key").notNull(),
    to: text("to", { mode: "json" }).$type<string[]>().notNull(),
    // An email's sender; a webhook has none and says "racine" (left not-null: making it
    // nullable would rebuild the table).
    from: text("from").notNull(),
    // Stored for digests; a confirmation is composed when it is sent, from its signup, so
    // that queuing it keeps the signup's transaction small (the ingestion hot path).
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>(),
    /** A webhook's event type (signup.created, …) and its JSON body. */
    event: text("event"),
    payload: text("payload"),
    signupId: integer("signup_id").references(() => signups.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("outbox_idempotency_unique").on(table.idempotencyKey),
    index("outbox_status_next_idx").on(table.status, table.nextAttemptAt),
    // The delivery log on /admin reads the latest webhooks without scanning every email.
    index("outbox_kind_idx").on(table.kind, table.id),
  ],
);

/** One row per ISO week whose digest was queued: running the digest twice sends it once. */
export const digestLog = sqliteTable("digest_log", {
  week: text("week").primaryKey(),
  outboxId: integer("outbox_id").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** Secrets the server makes once and keeps (the key that signs email links). */
export const appSecrets = sqliteTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
