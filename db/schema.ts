/**
 * The database schema. Change it here, then `npm run db:generate` writes a numbered
 * migration into db/migrations/ for review; the server applies pending ones at start.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { AnnouncementAudience } from "../src/domain/announcement";
import type { DecisionFigures } from "../src/domain/decision";

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
 * How a visitor reached a variant: `split` when /c/<slug>/ picked it (randomised, the A/B
 * comparison), `try` when the randomised entry point /try/ drew the concept and the same
 * split then picked the variant (randomised twice: the comparison of ideas, and the A/B
 * comparison too), `direct` when its own URL /c/<slug>/v/<variant>/ served it (ads; not
 * randomised). Rows from before this column count as split, as they were then; rows from
 * before /try/ existed are split or direct, as they were. A value of the existing column
 * rather than a new one: the rollups' key already holds `served`, so /try/ traffic is rolled
 * up without a new key, a rebuilt table or a migration (SQLite's text column takes the value).
 */
const SERVED = ["split", "try", "direct"] as const;
/**
 * Which visit of a person a row belongs to. With the A/B cookie (src/domain/experiments.ts):
 * `first` on the day of the first exposure (a person), `return` on a later day (not a new
 * visitor). Without it: `day`, a visitor-day (the daily hash). A signup with no recorded
 * visit of its variant is `none`: kept, but out of the A/B comparison. Rows from before this
 * column are visitor-days, as they were then.
 */
const VIEW_EXPOSURES = ["first", "return", "day"] as const;
const SIGNUP_EXPOSURES = [...VIEW_EXPOSURES, "none"] as const;
const served = () => text("served", { enum: SERVED }).notNull().default("split");

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
    served: served(),
    exposure: text("exposure", { enum: VIEW_EXPOSURES }).notNull().default("day"),
  },
  (table) => [
    // One row per visitor-day, variant and way it was served: an ad visitor who then comes
    // through the split the same day keeps that split exposure (it is the comparison's).
    uniqueIndex("views_visitor_variant_served_unique").on(table.visitorHash, table.variant, table.served),
    index("views_concept_day_idx").on(table.concept, table.day),
    index("views_day_idx").on(table.day),
  ],
);

/**
 * One row per (concept, address): a repeat signup stores nothing new. `variant` is "" when
 * neither the signup nor a recorded visit says which variant the person saw (an API signup
 * without one): such a signup is never credited to the control.
 */
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
    /** From the visit the signup followed (see SERVED and SIGNUP_EXPOSURES). */
    served: served(),
    exposure: text("exposure", { enum: SIGNUP_EXPOSURES }).notNull().default("day"),
    /** Proof of consent: the exact wording shown next to the form, its version, and the page. */
    consentText: text("consent_text"),
    consentVersion: text("consent_version"),
    pagePath: text("page_path"),
    /** Double opt-in: null while the address is unconfirmed. */
    confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
    unsubscribedAt: integer("unsubscribed_at", { mode: "timestamp_ms" }),
    /**
     * A throwaway address (its domain, or a parent of it, on the disposable list when the
     * person signed up): stored and mailed as usual, counted apart, never in a conversion.
     */
    throwaway: integer("throwaway", { mode: "boolean" }).notNull().default(false),
    /**
     * The intent ladder (src/domain/ladder.ts), each rung null until climbed. `tier`: the
     * fake-door price tier the visitor clicked before joining (an id of the tiers their
     * variant showed). `answer`: their answer to the concept's one question, the choices'
     * ids or the short text; `answerChanges` counts edits (one change is allowed).
     */
    tier: text("tier"),
    answer: text("answer", { mode: "json" }).$type<string[] | string>(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }),
    answerChanges: integer("answer_changes").notNull().default(0),
    /** Interview opt-in ("15 minutes to tell us more?") and the preferred contact time, as typed. */
    interviewAt: integer("interview_at", { mode: "timestamp_ms" }),
    interviewWhen: text("interview_when"),
    /** "Reserve my box": a click after signup, no payment taken. */
    reservedAt: integer("reserved_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("signups_concept_email_unique").on(table.concept, table.emailKey),
    // A concept's signups by day with every column a count reads (the ladder's rungs, the
    // variant, the exposure and the throwaway flag): the admin pages count a window's rungs
    // from the index alone, never reading the wider rows.
    index("signups_ladder_idx").on(
      table.concept,
      table.createdAt,
      table.exposure,
      table.throwaway,
      table.variant,
      table.confirmedAt,
      table.answeredAt,
      table.interviewAt,
      table.reservedAt,
    ),
    index("signups_created_idx").on(table.createdAt),
    // The answers only, with what their counts read: the concept page's answers read no other signup.
    index("signups_answers_idx")
      .on(table.concept, table.createdAt, table.exposure, table.throwaway, table.answeredAt, table.answer)
      .where(sql`${table.answer} is not null`),
    // The interview opt-ins still subscribed only, newest first: the founder's list reads no
    // other signup, and counts them from the index alone.
    index("signups_interview_idx")
      .on(table.concept, table.interviewAt)
      .where(sql`${table.interviewAt} is not null and ${table.unsubscribedAt} is null`),
    // The confirmed signups only (written when one confirms, never by a new signup): the
    // overview and the digest count them per concept without reading every signup.
    index("signups_confirmed_idx").on(table.concept, table.createdAt).where(sql`${table.confirmedAt} is not null`),
  ],
);

/**
 * Fake-door tier clicks: one row per visitor and tier of a concept, whether or not the
 * visitor then joins (the signup keeps the tier it joined with). Counted like views: the
 * visitor hash and day of the click, the variant shown and how it was served.
 */
export const tierClicks = sqliteTable(
  "tier_clicks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    variant: text("variant").notNull(),
    tier: text("tier").notNull(),
    visitorHash: text("visitor_hash").notNull(),
    day: text("day").notNull(),
    served: served(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * Whether the view of this visitor, variant and way served is recorded: only such a
     * click is a conversion (counts.ts). Kept by triggers of migration 0014 for every
     * writer, whichever comes first: a click finds its view, a view its clicks (the beacon
     * may land after a quick click), a deleted view takes its clicks out again.
     */
    counted: integer("counted", { mode: "boolean" }).notNull().default(false),
  },
  (table) => [
    uniqueIndex("tier_clicks_visitor_tier_unique").on(table.visitorHash, table.concept, table.tier),
    // A concept's counted clicks with every column a count reads, from the index alone,
    // in the order of a visitor (hash, variant, way served), so that counting visitors needs no sort.
    index("tier_clicks_counts_idx").on(
      table.concept,
      table.counted,
      table.visitorHash,
      table.variant,
      table.served,
      table.day,
      table.tier,
    ),
  ],
);

/** The daily secret salts of visitor hashes; rows older than yesterday are deleted. */
export const salts = sqliteTable("salts", {
  day: text("day").primaryKey(),
  salt: text("salt").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`),
});

/**
 * The traffic split of each concept over time: a row per change of its variants, weights
 * or offers, so a variant added, re-weighted or edited mid-test is compared only with
 * control traffic from the same period. The first row of a concept starts at 0 (the beginning).
 */
export const experimentEpochs = sqliteTable(
  "experiment_epochs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    weights: text("weights", { mode: "json" }).$type<Record<string, number>>().notNull(),
    /**
     * Variant id → fingerprint of its offer (headline, tagline, price, cta, hero; see
     * contentOf). Null in rows from before offers were fingerprinted: the server fills
     * the latest such row of each concept at start with the build's fingerprints (what
     * it offered then cannot be known), and never opens a new epoch for it.
     */
    content: text("content", { mode: "json" }).$type<Record<string, string>>(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("experiment_epochs_concept_started_idx").on(table.concept, table.startedAt)],
);

/**
 * When each concept's test started: the first UTC day it was live (recorded at server
 * start; for a database from before this table, the first day with data for it, or its
 * first epoch). Verdicts read [startedOn, min(last whole day, decideBy)], whatever the
 * date filter. `lookedThrough`: the last whole day the decision log has judged.
 */
export const conceptTests = sqliteTable("concept_tests", {
  concept: text("concept").primaryKey(),
  startedOn: text("started_on").notNull(),
  lookedThrough: text("looked_through"),
  recordedAt: integer("recorded_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * The decision log: the first verdict the rule reached, once, with its figures. A row
 * per concept for the idea against its target (`variant` null), and per variant and
 * comparison window against the control (a variant whose offer or weight changed is a
 * new comparison from `comparedFrom`, with its own decision). The page shows this
 * verdict, not a later wobble: the always-valid rule stops at its first crossing.
 */
export const decisions = sqliteTable(
  "decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    variant: text("variant"),
    /** The first and last day of the figures: the test's (or the comparison's) start, and the day of the look. */
    comparedFrom: text("compared_from").notNull(),
    reachedOn: text("reached_on").notNull(),
    status: text("status", { enum: ["validated", "not validated"] }).notNull(),
    /** A variant's outcome against the control. */
    outcome: text("outcome", { enum: ["better", "worse", "equivalent"] }),
    /** The idea's: the evidence, or the decision date. */
    basis: text("basis", { enum: ["evidence", "deadline"] }),
    /** The idea's visitors and signups; for a variant, its own, and the control's beside them. */
    visitors: integer("visitors").notNull(),
    signups: integer("signups").notNull(),
    controlVisitors: integer("control_visitors"),
    controlSignups: integer("control_signups"),
    /** The rule's numbers: its interval (of the conversion, or of the lift), and a variant's lift and p-value. */
    figures: text("figures", { mode: "json" }).$type<DecisionFigures>().notNull(),
    /** The rule's sentence on that day. */
    reason: text("reason").notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    uniqueIndex("decisions_idea_unique").on(table.concept).where(sql`${table.variant} is null`),
    uniqueIndex("decisions_variant_unique")
      .on(table.concept, table.variant, table.comparedFrom)
      .where(sql`${table.variant} is not null`),
  ],
);

/**
 * Visitors and signups per concept, variant, day, traffic source, how the variant was
 * served and which visit it was (the columns of the same names on views and signups), for
 * days that can no longer change (up to the day before yesterday): the analytics pages
 * read these instead of scanning every view. Rebuilt from the raw tables whenever the past
 * is rewritten. These replace daily_rollups and rollup_state, whose key lacked `served` and
 * `exposure`: the new tables start empty and the next refresh rebuilds every settled day.
 */
export const rollups = sqliteTable(
  "rollups",
  {
    concept: text("concept").notNull(),
    variant: text("variant").notNull(),
    day: text("day").notNull(),
    source: text("source").notNull(),
    served: text("served", { enum: SERVED }).notNull(),
    exposure: text("exposure", { enum: SIGNUP_EXPOSURES }).notNull(),
    /** Rows of `views`: visitor-days, first exposures or return visits, as `exposure` says. */
    visitors: integer("visitors").notNull(),
    /** Signups of real-looking addresses; those of throwaway addresses are in `throwaway`, apart. */
    signups: integer("signups").notNull(),
    throwaway: integer("throwaway").notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.concept, table.variant, table.day, table.source, table.served, table.exposure] }),
    index("rollups_day_idx").on(table.day),
  ],
);

/**
 * The intent ladder per concept, day (of the signup, UTC), variant and whether the signup
 * followed a recorded visit (`exposed`): the signups of real-looking addresses, and how
 * many of them climbed each rung since, kept by triggers of migration 0015 on every write
 * to `signups` (a rung climbed days later counts on its signup's day): the admin pages sum
 * a few rows per day instead of reading every signup (src/server/store/funnel.ts, counts.ts).
 */
export const ladderDays = sqliteTable(
  "ladder_days",
  {
    concept: text("concept").notNull(),
    day: text("day").notNull(),
    variant: text("variant").notNull(),
    exposed: integer("exposed", { mode: "boolean" }).notNull(),
    signups: integer("signups").notNull(),
    confirmed: integer("confirmed").notNull(),
    answered: integer("answered").notNull(),
    interview: integer("interview").notNull(),
    reservation: integer("reservation").notNull(),
  },
  (table) => [primaryKey({ columns: [table.concept, table.day, table.variant, table.exposed] })],
);

/** How far the rollups go: every day up to and including `rolledThrough` (YYYY-MM-DD). */
export const rollupProgress = sqliteTable("rollup_progress", {
  id: integer("id").primaryKey(),
  rolledThrough: text("rolled_through").notNull(),
});

/**
 * An email the founder sends once to a concept's waitlist (npm run announce, or the form on
 * /admin/c/<slug>): its words as written (Markdown), who it is for, and how many emails it
 * queued. Each email is an outbox row naming it; `key` (a hash of the concept, the audience,
 * the subject and the body) makes the same announcement, posted or run twice, one announcement.
 */
export const announcements = sqliteTable("announcements", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  key: text("key").notNull().unique(),
  concept: text("concept").notNull(),
  /** Which confirmed signups of the concept it is for (all of them, or one variant's). */
  audience: text("audience", { mode: "json" }).$type<AnnouncementAudience>().notNull(),
  from: text("from").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  /** The emails queued, fixed when it was queued: whoever joins later does not get it. */
  queued: integer("queued").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
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
    kind: text("kind", { enum: ["confirmation", "digest", "notification", "announcement", "webhook"] }).notNull(),
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
    /** An announcement's email (composed when it is sent, in its signup's language). */
    announcementId: integer("announcement_id").references(() => announcements.id),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * Set while a process sends the row, until it records the answer: no other process takes it
     * before then (a process that died holding it only delays the row). Apart from
     * next_attempt_at, which keeps the retry schedule.
     */
    claimedUntil: integer("claimed_until", { mode: "timestamp_ms" }),
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
    // An announcement's counts (queued, sent, failed) and its next emails, without a scan.
    index("outbox_announcement_status_idx").on(table.announcementId, table.status),
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

/**
 * Read-only links to one concept's report (src/domain/share-link.ts). The token names the
 * row; a link opens while it is neither revoked nor expired, checked on every open.
 */
export const shareLinks = sqliteTable(
  "share_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    concept: text("concept").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("share_links_concept").on(table.concept)],
);
