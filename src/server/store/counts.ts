/**
 * Visitors and signups of whole UTC days, grouped by concept, variant, day or traffic
 * source: every figure of the analytics pages comes from here. Days up to the day before
 * yesterday come from daily_rollups (a few thousand rows however big the traffic); the
 * recent ones are counted from the raw tables. A visitor is a row of `views` (one per
 * visitor-day and variant).
 */

import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox, signups } from "../../../db/schema";
import { type Counts, DIRECT_SOURCE } from "../../domain/analytics";
import { addDays, dayStartMs } from "../../domain/calendar";
import type { LatestSignup } from "../../domain/concept-page";
import { type DayWindow, type WindowCounts, windowKey } from "../../domain/experiment-report";
import type { FailedEmail } from "../../domain/overview";

export type Grouping = "concept" | "variant" | "day" | "source";

/** A row's traffic source in SQL: its utm_source, else its referrer's host, else direct. */
export const SOURCE_SQL = `coalesce(utm_source, referrer_host, '${DIRECT_SOURCE}')`;
const COLUMNS: Record<Grouping, { rollup: string; view: string; signup: string }> = {
  concept: { rollup: "concept", view: "concept", signup: "concept" },
  variant: { rollup: "variant", view: "variant", signup: "variant" },
  day: { rollup: "day", view: "day", signup: "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')" },
  source: { rollup: "source", view: SOURCE_SQL, signup: SOURCE_SQL },
};

/** The last day the rollups cover ("" before the first rollup). */
export function rolledThrough(db: Database): string {
  const row = db.$client.prepare("select rolled_through as day from rollup_state where id = 1").get() as
    | { day: string }
    | undefined;
  return row?.day ?? "";
}

/**
 * Rolls up every day after the last rolled one, up to the day before `today`'s yesterday
 * (a signup answered just before midnight may still be landing for yesterday).
 */
export function refreshRollups(db: Database, today: string): void {
  const through = rolledThrough(db);
  const frozen = addDays(today, -2);
  if (through >= frozen) return;
  const from = through ? addDays(through, 1) : "0000-01-01";
  const cols = (side: "view" | "signup") =>
    (["concept", "variant", "day", "source"] as const).map((g) => `${COLUMNS[g][side]} as ${g}`).join(", ");
  db.$client.transaction(() => {
    db.$client
      .prepare(
        `insert into daily_rollups (concept, variant, day, source, visitors, signups)
         select concept, variant, day, source, sum(v), sum(s) from (
           select ${cols("view")}, count(*) as v, 0 as s from views where day between ? and ? group by 1, 2, 3, 4
           union all
           select ${cols("signup")}, 0 as v, count(*) as s from signups
            where created_at >= ? and created_at < ? group by 1, 2, 3, 4
         ) group by concept, variant, day, source
         on conflict do update set visitors = excluded.visitors, signups = excluded.signups`,
      )
      .run(from, frozen, dayStartMs(from), dayStartMs(addDays(frozen, 1)));
    db.$client
      .prepare(
        "insert into rollup_state (id, rolled_through) values (1, ?) on conflict do update set rolled_through = excluded.rolled_through",
      )
      .run(frozen);
  })();
}

/** Forgets the rollups after the past changed (a reseed, an erased address); the next refresh rebuilds them. */
export function invalidateRollups(db: Database): void {
  db.$client.transaction(() => {
    db.$client.prepare("delete from daily_rollups").run();
    db.$client.prepare("delete from rollup_state").run();
  })();
}

/** Visitors and signups in `window` (of one concept, or of all), grouped as asked. */
export function countsGroupedBy<K extends Grouping>(
  db: Database,
  { concept, window }: { concept?: string; window: DayWindow },
  groups: readonly K[],
): (Record<K, string> & Counts)[] {
  const through = rolledThrough(db);
  const rolledEnd = through && through < window.to ? through : window.to;
  const liveStart = through && addDays(through, 1) > window.from ? addDays(through, 1) : window.from;
  const byConcept = concept === undefined ? "" : " and concept = ?";
  const conceptParam = concept === undefined ? [] : [concept];
  const cols = (side: "rollup" | "view" | "signup") =>
    groups.map((g) => `${COLUMNS[g][side]} as ${g}`).join(", ") + (groups.length > 0 ? ", " : "");
  const parts: string[] = [];
  const params: unknown[] = [];
  if (through && window.from <= rolledEnd) {
    parts.push(
      `select ${cols("rollup")}visitors as v, signups as s from daily_rollups where day between ? and ?${byConcept}`,
    );
    params.push(window.from, rolledEnd, ...conceptParam);
  }
  if (liveStart <= window.to) {
    parts.push(`select ${cols("view")}1 as v, 0 as s from views where day between ? and ?${byConcept}`);
    params.push(liveStart, window.to, ...conceptParam);
    parts.push(
      `select ${cols("signup")}0 as v, 1 as s from signups where created_at >= ? and created_at < ?${byConcept}`,
    );
    params.push(dayStartMs(liveStart), dayStartMs(addDays(window.to, 1)), ...conceptParam);
  }
  if (parts.length === 0) return [];
  const keys = groups.join(", ");
  const sql = `select ${keys}${keys ? ", " : ""}coalesce(sum(v), 0) as visitors, coalesce(sum(s), 0) as signups
                 from (${parts.join(" union all ")})${keys ? ` group by ${keys}` : ""}`;
  return db.$client.prepare(sql).all(...params) as (Record<K, string> & Counts)[];
}

/** Visitors and signups per variant of one concept, for each window (keyed by windowKey, each counted once). */
export function countVariantsInWindows(db: Database, concept: string, windows: readonly DayWindow[]): WindowCounts {
  const counted = new Map<string, Map<string, Counts>>();
  for (const window of windows) {
    const key = windowKey(window);
    if (counted.has(key)) continue;
    const rows = countsGroupedBy(db, { concept, window }, ["variant"]);
    counted.set(key, new Map(rows.map((row) => [row.variant, { visitors: row.visitors, signups: row.signups }])));
  }
  return counted;
}

export function dailyByVariant(db: Database, concept: string, window: DayWindow) {
  return countsGroupedBy(db, { concept, window }, ["variant", "day"]).sort((a, b) => a.day.localeCompare(b.day));
}

export function sourcesByVariant(db: Database, concept: string, window: DayWindow) {
  return countsGroupedBy(db, { concept, window }, ["variant", "source"]);
}

/** The most recent signups of a concept, for the founder's eyes only (admin page). */
export function latestSignups(db: Database, concept: string, limit = 10): LatestSignup[] {
  return db
    .select({
      email: signups.email,
      name: signups.name,
      variant: signups.variant,
      createdAt: signups.createdAt,
      utmSource: signups.utmSource,
      referrerHost: signups.referrerHost,
    })
    .from(signups)
    .where(eq(signups.concept, concept))
    .orderBy(desc(signups.createdAt), desc(signups.id))
    .limit(limit)
    .all()
    .map(({ utmSource, referrerHost, ...row }) => ({ ...row, source: utmSource ?? referrerHost ?? DIRECT_SOURCE }));
}

/**
 * Signups and confirmed signups per concept (double opt-in progress), all time or of the
 * signups made before `before` (ms). Confirmations come after their day is rolled up, so
 * they are counted from the signups table, not the rollups.
 */
export function confirmedByConcept(
  db: Database,
  { before = Number.MAX_SAFE_INTEGER }: { before?: number } = {},
): Map<string, { joined: number; confirmed: number }> {
  const rows = db.$client
    .prepare(
      "select concept, count(*) as joined, sum(confirmed_at is not null) as confirmed from signups where created_at < ? group by concept",
    )
    .all(before) as { concept: string; joined: number; confirmed: number }[];
  return new Map(rows.map((row) => [row.concept, { joined: row.joined, confirmed: row.confirmed }]));
}

/** Emails that could not be sent, newest first, for the admin page (webhooks have their own log there). */
export function failedEmails(db: Database, limit = 5): FailedEmail[] {
  return db
    .select({ kind: outbox.kind, recipients: outbox.to, error: outbox.lastError })
    .from(outbox)
    .where(and(eq(outbox.status, "failed"), ne(outbox.lastError, "unsubscribed"), ne(outbox.kind, "webhook")))
    .orderBy(desc(outbox.id))
    .limit(limit)
    .all()
    .map((row) => ({ ...row, error: row.error ?? "" }));
}
