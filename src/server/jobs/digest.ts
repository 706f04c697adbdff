/**
 * The weekly digest's IO: the week's figures from the database, queuing it once per week
 * (digest_log, in the same transaction as the outbox row), and the schedule the server
 * keeps by itself (DIGEST_SCHEDULE in DIGEST_TZ).
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { digestLog, outbox } from "../../../db/schema";
import { criteriaProgress } from "../../domain/analytics";
import { conceptReading, describeConceptReading, READING_PRIOR } from "../../domain/bayes";
import { type Concept, isPublished } from "../../domain/concept";
import {
  composeDigest,
  type DigestConcept,
  type DigestData,
  dueDigestWeek,
  isoWeekRange,
  shiftIsoWeek,
} from "../../domain/digest";
import { rangeWindow } from "../../domain/experiment-report";
import { conceptVerdict } from "../../domain/verdict";
import { utcDay } from "../../domain/visitor";
import { SOURCE_SQL } from "../store/counts";
import { gatherExperiment } from "../store/experiments";

interface Row {
  concept: string;
  variant: string;
  source: string;
  signups: number;
  confirmed: number;
  visitors: number;
}

/** Visitors, signups and confirmed signups per concept, variant and source in [start, end). */
function countsBetween(db: Database, start: number, end: number): Row[] {
  return db.$client
    .prepare(
      `select concept, variant, source, sum(visitors) as visitors, sum(signups) as signups, sum(confirmed) as confirmed from (
         select concept, variant, ${SOURCE_SQL} as source, 1 as visitors, 0 as signups, 0 as confirmed
           from views where day between ? and ? and created_at >= ? and created_at < ?
         union all
         select concept, variant, ${SOURCE_SQL}, 0, 1, confirmed_at is not null
           from signups where created_at >= ? and created_at < ?
       ) group by concept, variant, source`,
    )
    .all(utcDay(new Date(start)), utcDay(new Date(end - 1)), start, end, start, end) as Row[];
}

const sum = (rows: Row[], field: "signups" | "confirmed" | "visitors") =>
  rows.reduce((total, row) => total + row[field], 0);

/** Each variant's week, with its verdict against the control over the whole test, as the admin page gives it. */
function digestVariants(db: Database, concept: Concept, week: Row[], today: string): DigestConcept["variants"] {
  const report =
    concept.variants.length > 1 ? gatherExperiment(db, concept, rangeWindow({}, today), today).report : undefined;
  return concept.variants.map((variant) => {
    const rows = week.filter((row) => row.variant === variant.id);
    const comparison = report?.variants.find((row) => row.id === variant.id)?.comparison;
    return {
      id: variant.id,
      signups: sum(rows, "signups"),
      visitors: sum(rows, "visitors"),
      verdict: comparison && { status: comparison.status, outcome: comparison.outcome, reason: comparison.reason },
    };
  });
}

export function gatherDigest(db: Database, concepts: readonly Concept[], week: string, timeZone: string): DigestData {
  const { start, end } = isoWeekRange(week, timeZone);
  const previous = isoWeekRange(shiftIsoWeek(week, -1), timeZone);
  const thisWeek = countsBetween(db, start, end);
  const lastWeek = countsBetween(db, previous.start, previous.end);
  const allTime = countsBetween(db, 0, end);
  const today = utcDay(new Date(end - 1));
  return {
    week,
    timeZone,
    concepts: concepts.filter(isPublished).map((concept): DigestConcept => {
      const mine = (rows: Row[]) => rows.filter((row) => row.concept === concept.slug);
      const week = mine(thisWeek);
      const total = {
        signups: sum(mine(allTime), "signups"),
        confirmed: sum(mine(allTime), "confirmed"),
        visitors: sum(mine(allTime), "visitors"),
      };
      const bySource = new Map<string, { source: string; signups: number; visitors: number }>();
      for (const row of week) {
        const entry = bySource.get(row.source) ?? { source: row.source, signups: 0, visitors: 0 };
        entry.signups += row.signups;
        entry.visitors += row.visitors;
        bySource.set(row.source, entry);
      }
      const target = concept.successCriteria.minConversionPercent / 100;
      const verdict = conceptVerdict({
        criteria: concept.successCriteria,
        counts: { visitors: total.visitors, signups: total.signups },
        visitorsPerDay: sum(week, "visitors") / 7,
        today,
      });
      const labels = { visitors: "Visitors", signups: "Signups", conversion: "Conversion" };
      return {
        slug: concept.slug,
        title: concept.title,
        status: concept.status,
        signups: sum(week, "signups"),
        signupsLastWeek: sum(mine(lastWeek), "signups"),
        confirmed: sum(week, "confirmed"),
        visitors: sum(week, "visitors"),
        total,
        criteria: criteriaProgress(concept.successCriteria, total).map((c) => ({
          label: labels[c.key],
          progress: c.progress,
          met: c.met,
        })),
        verdict: {
          status: verdict.status,
          basis: verdict.basis,
          reason: verdict.reason,
          reading: `${describeConceptReading(conceptReading(total, target), target)} (${READING_PRIOR})`,
        },
        sources: [...bySource.values()].sort((a, b) => b.signups - a.signups || b.visitors - a.visitors).slice(0, 3),
        variants: digestVariants(db, concept, week, today),
      };
    }),
  };
}

export type QueueResult = { status: "queued"; outboxId: number } | { status: "already"; outboxId: number };

/** Queues the digest of `week` unless it was queued before (or `force`); safe to race. */
export function queueDigest(
  db: Database,
  email: { week: string; from: string; to: string[]; subject: string; html: string; text: string },
  { force = false, now }: { force?: boolean; now: Date },
): QueueResult {
  return db.transaction((tx) => {
    const logged = tx.select().from(digestLog).where(eq(digestLog.week, email.week)).get();
    if (logged && !force) return { status: "already", outboxId: logged.outboxId };
    const key = force ? `digest/${email.week}/${now.getTime()}` : `digest/${email.week}`;
    const row = tx
      .insert(outbox)
      .values({
        kind: "digest",
        idempotencyKey: key,
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: {},
        nextAttemptAt: now,
        createdAt: now,
      })
      .returning({ id: outbox.id })
      .get();
    tx.insert(digestLog)
      .values({ week: email.week, outboxId: row.id, createdAt: now })
      .onConflictDoUpdate({ target: digestLog.week, set: { outboxId: row.id, createdAt: now } })
      .run();
    return { status: "queued", outboxId: row.id };
  });
}

export interface DigestSettings {
  from: string;
  to: string[];
  timeZone: string;
}

/** The digest email of a week, ready to queue. */
export function digestEmail(db: Database, concepts: readonly Concept[], week: string, settings: DigestSettings) {
  const composed = composeDigest(gatherDigest(db, concepts, week, settings.timeZone));
  return { week, from: settings.from, to: settings.to, ...composed };
}

/**
 * Queues the digest when its weekly slot has passed and it was not queued yet: called by
 * the server every minute. Restarts and other processes are safe: digest_log decides.
 */
export function queueScheduledDigest(
  db: Database,
  concepts: readonly Concept[],
  settings: DigestSettings & { schedule: string },
  now: Date,
): QueueResult | undefined {
  const week = dueDigestWeek(settings.schedule, settings.timeZone, now);
  if (!week) return undefined;
  if (db.select().from(digestLog).where(eq(digestLog.week, week)).get()) return undefined;
  return queueDigest(db, digestEmail(db, concepts, week, settings), { now });
}
