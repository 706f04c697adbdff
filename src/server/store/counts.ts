/**
 * Visitors and signups of whole UTC days, grouped by concept, variant, day or traffic
 * source, of all traffic or of one way of serving (split or direct): every figure of the
 * analytics pages comes from here. Days up to the day before yesterday come from the
 * rollups (a few thousand rows however big the traffic); the recent ones are counted from
 * the raw tables. A visitor is a row of `views` that is not a return visit: a person's
 * first exposure where the A/B cookie exists, a visitor-day where it does not.
 */

import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox, signups } from "../../../db/schema";
import { type Counts, DIRECT_SOURCE } from "../../domain/analytics";
import { addDays, DAY_MS, dayStartMs, utcDay } from "../../domain/calendar";
import type { Rung } from "../../domain/concept";
import type { LatestSignup } from "../../domain/concept-page";
import {
  type DayWindow,
  type ExposureCounts,
  inWindow,
  NO_EXPOSURE,
  type Served,
  spanOf,
  sumWindows,
  type WindowCounts,
  windowKey,
} from "../../domain/experiment-report";
import type { FailedEmail } from "../../domain/overview";

export type Grouping = "concept" | "variant" | "day" | "source" | "served" | "exposure";

/** A row's traffic source in SQL: its utm_source, else its referrer's host, else direct. */
export const SOURCE_SQL = `coalesce(utm_source, referrer_host, '${DIRECT_SOURCE}')`;
const COLUMNS: Record<Grouping, { rollup: string; view: string; signup: string }> = {
  concept: { rollup: "concept", view: "concept", signup: "concept" },
  variant: { rollup: "variant", view: "variant", signup: "variant" },
  day: { rollup: "day", view: "day", signup: "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')" },
  source: { rollup: "source", view: SOURCE_SQL, signup: SOURCE_SQL },
  served: { rollup: "served", view: "served", signup: "served" },
  exposure: { rollup: "exposure", view: "exposure", signup: "exposure" },
};
/**
 * A rung's numerator beyond the signup (src/domain/ladder.ts), as rows of the same shape
 * as a signup's (concept, variant, day, served, exposure), counted on the day of the
 * signup it climbs from, whenever it was climbed: a confirmation days later still belongs
 * to the day (and the exposure) of its signup. The rollups hold signups only, so these are
 * always read from the raw rows; the views still come from the rollups.
 */
const RUNG_SIGNUP_SQL: Record<Exclude<Rung, "signup" | "tier">, string> = {
  confirmed: "confirmed_at is not null",
  answered: "answered_at is not null",
  interview: "interview_at is not null",
  reservation: "reserved_at is not null",
};

/**
 * The tier rung's unit is a visitor, as in the denominator: the distinct visitor hashes
 * (a visitor-day hash, the same one their view row has) that clicked at least one tier of a
 * concept's variant, on the day of the click. A click counts only where the view of that
 * visitor, variant and way of serving was recorded: like a signup without a recorded
 * visit, a click without one is never a conversion. The row's `counted` says so, kept by
 * the database whichever of the view and the click came first (db/schema.ts), so that a
 * count reads the counted clicks' index alone rather than looking up each click's view.
 */
export const COUNTED_TIER_CLICK_SQL = "t.counted = 1";

const ROLLED_UP = ["concept", "variant", "day", "source", "served", "exposure"] as const satisfies Grouping[];
/** countsGroupedBy reads `exposure` itself, to tell visitors from return visits. */
type CountGrouping = Exclude<Grouping, "exposure">;

/**
 * What each row of a part adds up to (`v` views, `s` signups, `t` signups of throwaway
 * addresses, with `exposure` in scope): a return visit is not a visitor, and a signup
 * without a recorded visit is counted apart (`unexposed`), never in `signups`: a conversion
 * divides signups by the visitors they came from, and signups with no counted visitor would
 * inflate every rate they entered (an idea at its target with 5 % of visitors' beacons
 * blocked read "validated" 45 % of the time). A throwaway address is counted apart too
 * (`throwaway`), whatever its visit: nobody who means to hear at launch gives one.
 */
const MEASURES = `(exposure <> 'return') * v as visitors, (exposure = 'first') * v as people,
  (exposure = 'return') * v as returnVisits, (exposure <> 'none') * s as signups, (exposure = 'none') * s as unexposed,
  t as throwaway`;
/** A raw signup row as `s` and `t`: a throwaway address is one or the other, never both. */
const SIGNUP_MEASURES = "1 - throwaway as s, throwaway as t";

/** The last day the rollups cover ("" before the first rollup). */
export function rolledThrough(db: Database): string {
  const row = db.$client.prepare("select rolled_through as day from rollup_progress where id = 1").get() as
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
  const cols = (side: "view" | "signup") => ROLLED_UP.map((g) => `${COLUMNS[g][side]} as ${g}`).join(", ");
  const keys = ROLLED_UP.join(", ");
  const positions = ROLLED_UP.map((_, i) => i + 1).join(", ");
  db.$client.transaction(() => {
    db.$client
      .prepare(
        `insert into rollups (${keys}, visitors, signups, throwaway)
         select ${keys}, sum(v), sum(s), sum(t) from (
           select ${cols("view")}, count(*) as v, 0 as s, 0 as t from views where day between ? and ? group by ${positions}
           union all
           select ${cols("signup")}, 0 as v, count(*) - sum(throwaway) as s, sum(throwaway) as t from signups
            where created_at >= ? and created_at < ? group by ${positions}
         ) group by ${keys}
         on conflict do update set visitors = excluded.visitors, signups = excluded.signups, throwaway = excluded.throwaway`,
      )
      .run(from, frozen, dayStartMs(from), dayStartMs(addDays(frozen, 1)));
    db.$client
      .prepare(
        "insert into rollup_progress (id, rolled_through) values (1, ?) on conflict do update set rolled_through = excluded.rolled_through",
      )
      .run(frozen);
  })();
}

/** Forgets the rollups after the past changed (a reseed, an erased address); the next refresh rebuilds them. */
export function invalidateRollups(db: Database): void {
  db.$client.transaction(() => {
    db.$client.prepare("delete from rollups").run();
    db.$client.prepare("delete from rollup_progress").run();
  })();
}

/**
 * The rows a `served` filter keeps. `split` is every visitor the concept's split randomised,
 * at its own page or after /try/ drew the concept (the A/B comparison, the SRM check); `try`
 * only those who came through /try/ (the comparison of ideas); `direct` a variant's own URL.
 */
const SERVED_SQL: Record<Served, string> = {
  split: "served in ('split', 'try')",
  try: "served = 'try'",
  direct: "served = 'direct'",
};

/**
 * Visitors and signups in `window` (of one concept, or of all), grouped as asked. With
 * `served` (see SERVED_SQL), only the traffic served that way, and only the signups that
 * followed a recorded visit; without, everything (an idea's own verdict counts every person
 * who joined).
 */
export function countsGroupedBy<K extends CountGrouping>(
  db: Database,
  {
    concept,
    window,
    served,
    rung = "signup",
  }: {
    concept?: string;
    window: DayWindow;
    served?: Served;
    /** What `signups` counts: the signups (the default), or another rung's numerator (rungNumeratorSql). */
    rung?: Rung;
  },
  groups: readonly K[],
): (Record<K, string> & ExposureCounts)[] {
  if (rung !== "signup") return countRungGroupedBy(db, { concept, window, served, rung }, groups);
  const { parts, params } = countedParts(db, { concept, window, served }, groups, true);
  if (parts.length === 0) return [];
  return sumParts(db, groups, parts, params);
}

/**
 * The parts of countsGroupedBy's union before any numerator of another rung: the visitors
 * (rollups for settled days, raw views after), and with `signups` the signups alike.
 */
function countedParts(
  db: Database,
  { concept, window, served }: { concept?: string; window: DayWindow; served?: Served },
  groups: readonly CountGrouping[],
  signups: boolean,
): { parts: string[]; params: unknown[] } {
  const through = rolledThrough(db);
  const rolledEnd = through && through < window.to ? through : window.to;
  const liveStart = through && addDays(through, 1) > window.from ? addDays(through, 1) : window.from;
  const filter =
    (concept === undefined ? "" : " and concept = ?") + (served === undefined ? "" : ` and ${SERVED_SQL[served]}`);
  const filterParams = concept === undefined ? [] : [concept];
  const cols = (side: "rollup" | "view" | "signup") =>
    groups.map((g) => `${COLUMNS[g][side]} as ${g}`).join(", ") + (groups.length > 0 ? ", " : "");
  const parts: string[] = [];
  const params: unknown[] = [];
  if (through && window.from <= rolledEnd) {
    const measures = signups ? "signups as s, throwaway as t" : "0 as s, 0 as t";
    parts.push(`select ${cols("rollup")}exposure, visitors as v, ${measures} from rollups
                 where day between ? and ?${filter}`);
    params.push(window.from, rolledEnd, ...filterParams);
  }
  if (liveStart <= window.to) {
    // The raw rows grouped already, as the rollups are: the union's sums then read a few
    // hundred rows rather than every view of the recent days (a third of the overview's count).
    const grouped = `group by ${[...groups, "exposure"].map((_, i) => i + 1).join(", ")}`;
    parts.push(`select ${cols("view")}exposure, count(*) as v, 0 as s, 0 as t from views
                 where day between ? and ?${filter} ${grouped}`);
    params.push(liveStart, window.to, ...filterParams);
    if (signups) {
      parts.push(
        `select ${cols("signup")}exposure, 0 as v, sum(1 - throwaway) as s, sum(throwaway) as t from signups
          where created_at >= ? and created_at < ?${filter} ${grouped}`,
      );
      params.push(dayStartMs(liveStart), dayStartMs(addDays(window.to, 1)), ...filterParams);
    }
  }
  return { parts, params };
}

/** The measures of countsGroupedBy's parts (each `v`, `s`, `t` with `exposure`), summed by `groups`. */
function sumParts<K extends CountGrouping>(
  db: Database,
  groups: readonly K[],
  parts: readonly string[],
  params: readonly unknown[],
): (Record<K, string> & ExposureCounts)[] {
  const keys = groups.join(", ");
  const totals = ["visitors", "people", "returnVisits", "signups", "unexposed", "throwaway"]
    .map((measure) => `coalesce(sum(${measure}), 0) as ${measure}`)
    .join(", ");
  const sql = `select ${keys}${keys ? ", " : ""}${totals}
                 from (select ${keys}${keys ? ", " : ""}${MEASURES} from (${parts.join(" union all ")}))
                 ${keys ? ` group by ${keys}` : ""}`;
  return db.$client.prepare(sql).all(...params) as (Record<K, string> & ExposureCounts)[];
}

/**
 * The rows of a rung's numerator in `window` (of one concept, or all; served one way, or
 * all), grouped by `groups` with `exposure`, as a part of countsGroupedBy's union (`0 as v,
 * 1 as s`). Signup rungs: the signups that climbed it, on their own day and exposure;
 * tier: one row per visitor (hash, variant, way served) with a counted click, exposure
 * `click` (neither a return nor `none`: a numerator, never a visitor).
 */
function rungNumeratorSql(
  {
    concept,
    window,
    served,
    rung,
  }: { concept?: string; window: DayWindow; served?: Served; rung: Exclude<Rung, "signup"> },
  groups: readonly CountGrouping[],
): { sql: string; params: unknown[] } {
  const conceptParams = concept === undefined ? [] : [concept];
  if (rung === "tier") {
    const filter =
      (concept === undefined ? "" : " and t.concept = ?") +
      (served === undefined ? "" : ` and ${SERVED_SQL[served].replaceAll("served", "t.served")}`);
    const cols = groups.map((g) => `${g === "day" ? "min(t.day)" : `t.${g}`} as ${g}`).join(", ");
    return {
      sql: `select ${cols}${cols ? ", " : ""}'click' as exposure, 0 as v, 1 as s, 0 as t from tier_clicks t
             where t.day between ? and ?${filter} and ${COUNTED_TIER_CLICK_SQL}
             group by t.visitor_hash, t.concept, t.variant, t.served`,
      params: [window.from, window.to, ...conceptParams],
    };
  }
  const filter =
    (concept === undefined ? "" : " and concept = ?") + (served === undefined ? "" : ` and ${SERVED_SQL[served]}`);
  const cols = groups.map((g) => `${COLUMNS[g].signup} as ${g}`).join(", ");
  return {
    sql: `select ${cols}${cols ? ", " : ""}exposure, 0 as v, ${SIGNUP_MEASURES} from signups
           where created_at >= ? and created_at < ? and ${RUNG_SIGNUP_SQL[rung]}${filter}`,
    params: [dayStartMs(window.from), dayStartMs(addDays(window.to, 1)), ...conceptParams],
  };
}

/**
 * countsGroupedBy's `signups` for a rung beyond the signup in `window` (of one concept, or
 * all; served one way, or all), without the visitors: for a caller that has counted them.
 */
export function countRungNumerator(
  db: Database,
  scope: { concept?: string; window: DayWindow; served?: Served; rung: Exclude<Rung, "signup"> },
): number {
  const { concept, window, served, rung } = scope;
  if (served === undefined && rung !== "tier") {
    return ladderRungDays(db, concept, window, rung).reduce((sum, row) => sum + row.n, 0);
  }
  const numerator = rungNumeratorSql(scope, []);
  const row = db.$client
    .prepare(`select coalesce(sum((exposure <> 'none') * s), 0) as n from (${numerator.sql})`)
    .get(...numerator.params) as { n: number };
  return row.n;
}

/** A rung's numerator per variant and day (of one concept, or all; served one way, or all), from the raw rows. */
function rawRungDays(
  db: Database,
  scope: { concept?: string; window: DayWindow; served?: Served; rung: Exclude<Rung, "signup"> },
): { variant: string; day: string; n: number; none: number }[] {
  const numerator = rungNumeratorSql(scope, ["variant", "day"]);
  return db.$client
    .prepare(
      `select variant, day, coalesce(sum(s * (exposure <> 'none')), 0) as n, coalesce(sum(s * (exposure = 'none')), 0) as none
         from (${numerator.sql}) group by variant, day`,
    )
    .all(...numerator.params) as { variant: string; day: string; n: number; none: number }[];
}

/**
 * A signup rung's numerator of all traffic, per variant and day (of one concept, or all):
 * `n` signups that climbed it after a recorded visit, `none` without one, from the ladder's
 * daily counts (ladder_days holds neither throwaway addresses, as `s` has none, nor ways of
 * serving). A day whose signups all left keeps a row of zeros: not a group.
 */
function ladderRungDays(
  db: Database,
  concept: string | undefined,
  window: DayWindow,
  rung: Exclude<Rung, "signup" | "tier">,
): { variant: string; day: string; n: number; none: number }[] {
  return db.$client
    .prepare(
      `select variant, day, sum(case when exposed then ${rung} else 0 end) as n,
              sum(case when exposed then 0 else ${rung} end) as none
         from ladder_days where day between ? and ?${concept === undefined ? "" : " and concept = ?"}
        group by variant, day having sum(signups) > 0`,
    )
    .all(window.from, window.to, ...(concept === undefined ? [] : [concept])) as {
    variant: string;
    day: string;
    n: number;
    none: number;
  }[];
}

/**
 * countsGroupedBy for a rung beyond the signup: the visitors as always (rollups for settled
 * days), the rung's numerator from the raw rows over the whole window. Traffic sources are
 * not a grouping here (a tier click keeps none).
 */
function countRungGroupedBy<K extends CountGrouping>(
  db: Database,
  {
    concept,
    window,
    served,
    rung,
  }: { concept?: string; window: DayWindow; served?: Served; rung: Exclude<Rung, "signup"> },
  groups: readonly K[],
): (Record<K, string> & ExposureCounts)[] {
  if (groups.some((g) => g === "source")) throw new Error(`rung ${rung}: counts by traffic source are not kept`);
  const { parts, params } = countedParts(db, { concept, window, served }, groups, false);
  const numerator = rungNumeratorSql({ concept, window, served, rung }, groups);
  parts.push(numerator.sql);
  params.push(...numerator.params);
  return sumParts(db, groups, parts, params);
}

/**
 * Per variant and day of one concept, every day of `windows`: all its traffic, or only that
 * served one way. A day's counts are the same whichever window reads it (rollups up to the
 * last rolled day, raw rows after), so each window is a sum of these (sumWindows).
 */
export function countVariantDays(db: Database, concept: string, windows: readonly DayWindow[], served?: Served) {
  const span = spanOf(windows);
  return span ? countsGroupedBy(db, { concept, window: span, served }, ["variant", "day"]) : [];
}

/**
 * Per variant of one concept, for each window (keyed by windowKey, each counted once): all
 * its traffic, or only that served one way (`split`: the randomised comparison). Summed from
 * one count by day (`days`, unless the caller has it): the recent days, which are not rolled
 * up, are scanned once rather than once per window.
 */
export function countVariantsInWindows(
  db: Database,
  concept: string,
  windows: readonly DayWindow[],
  served?: Served,
  rung?: Rung,
  days = countVariantDays(db, concept, windows, served),
): WindowCounts {
  const counted = sumWindows(days, windows);
  if (rung === undefined || rung === "signup" || windows.length === 0) return counted;
  // Another rung: its numerator read once, by variant and day, and summed per window (one
  // scan, however many windows), in place of the signups: of all traffic, a signup rung's
  // from the ladder's daily counts, else from the raw rows.
  const span = spanOf(windows) ?? { from: "", to: "" };
  const daily =
    served === undefined && rung !== "tier"
      ? ladderRungDays(db, concept, span, rung)
      : rawRungDays(db, { concept, window: span, served, rung });
  for (const window of windows) {
    const byVariant = counted.get(windowKey(window));
    if (!byVariant) continue;
    const sums = new Map<string, { n: number; none: number }>();
    for (const row of daily) {
      if (!inWindow(row.day, window)) continue;
      const sum = sums.get(row.variant) ?? { n: 0, none: 0 };
      sum.n += row.n;
      sum.none += row.none;
      sums.set(row.variant, sum);
    }
    for (const [variant, counts] of byVariant) byVariant.set(variant, { ...counts, signups: 0, unexposed: 0 });
    for (const [variant, { n, none }] of sums) {
      const counts = byVariant.get(variant) ?? NO_EXPOSURE;
      byVariant.set(variant, { ...counts, signups: n, unexposed: none });
    }
  }
  return counted;
}

/** Per variant and day: of the split only (the comparison's charts and decisions), or of all traffic (undefined). */
export function dailyByVariant(
  db: Database,
  concept: string,
  window: DayWindow,
  served: Served | undefined,
  rung?: Rung,
) {
  return countsGroupedBy(db, { concept, window, served, rung }, ["variant", "day"]).sort((a, b) =>
    a.day.localeCompare(b.day),
  );
}

export function sourcesByVariant(db: Database, concept: string, window: DayWindow) {
  return countsGroupedBy(db, { concept, window }, ["variant", "source"]);
}

/** Per variant, the traffic its own URL served (ads): beside the comparison, not in it. */
export function directByVariant(db: Database, concept: string, window: DayWindow): Map<string, ExposureCounts> {
  const rows = countsGroupedBy(db, { concept, window, served: "direct" }, ["variant"]);
  return new Map(rows.map(({ variant, ...counts }) => [variant, counts]));
}

/** Per concept, the visitors and signups that came through /try/ in `window`: the randomised comparison of ideas. */
export function countTryEntries(db: Database, window: DayWindow): Map<string, Counts> {
  const rows = countsGroupedBy(db, { window, served: "try" }, ["concept"]);
  return new Map(rows.map(({ concept, visitors, signups }) => [concept, { visitors, signups }]));
}

/**
 * Signups made on the day of a person's first exposure and on a later day, where the A/B
 * cookie tells (all concepts, all time): what a cookieless test would dilute. Settled days
 * come from the rollups, like every other figure: the overview reads this on each load.
 */
export function countSignupsByVisit(db: Database): { first: number; later: number } {
  const through = rolledThrough(db);
  return db.$client
    .prepare(
      `select coalesce(sum((exposure = 'first') * s), 0) as first, coalesce(sum((exposure = 'return') * s), 0) as later
         from (select exposure, signups as s from rollups where day <= ?
               union all
               select exposure, 1 - throwaway as s from signups where created_at >= ?)`,
    )
    .get(through, through ? dayStartMs(addDays(through, 1)) : 0) as { first: number; later: number };
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
      throwaway: signups.throwaway,
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
 * signups made before `before` (ms), throwaway addresses left out (they confirm too, for
 * the ten minutes they live). The signups of settled days come from the rollups when the
 * count reaches past them; confirmations come after their day is rolled up, so they are
 * counted from the ladder's daily counts (ladder_days, kept on every write to signups),
 * and the part of a day before `before` from the signups table.
 */
export function confirmedByConcept(
  db: Database,
  { before = Number.MAX_SAFE_INTEGER }: { before?: number } = {},
): Map<string, { joined: number; confirmed: number }> {
  const through = rolledThrough(db);
  const rolledEnd = through ? dayStartMs(addDays(through, 1)) : 0;
  const rolled = through !== "" && before >= rolledEnd;
  const joined = db.$client
    .prepare(
      `select concept, sum(n) as joined from (
         select concept, signups as n from rollups where ? and day <= ?
         union all
         select concept, 1 - throwaway as n from signups where created_at >= ? and created_at < ?
       ) group by concept having sum(n) > 0`,
    )
    .all(rolled ? 1 : 0, through, rolled ? rolledEnd : 0, before) as { concept: string; joined: number }[];
  // All time: every day's count. Before an instant: the whole days before it, then its day's signups up to it.
  const midnight = before === Number.MAX_SAFE_INTEGER ? undefined : Math.floor(before / DAY_MS) * DAY_MS;
  const confirmed = db.$client
    .prepare(
      `select concept, sum(n) as confirmed from (
         select concept, confirmed as n from ladder_days where ? or day < ?
         union all
         select concept, 1 as n from signups
          where confirmed_at is not null and created_at >= ? and created_at < ? and not throwaway
       ) group by concept`,
    )
    .all(
      midnight === undefined ? 1 : 0,
      midnight === undefined ? "" : utcDay(new Date(midnight)),
      midnight ?? 0,
      midnight === undefined ? 0 : before,
    ) as { concept: string; confirmed: number }[];
  const byConcept = new Map(joined.map((row) => [row.concept, { joined: row.joined, confirmed: 0 }]));
  for (const row of confirmed) {
    const entry = byConcept.get(row.concept);
    if (entry) entry.confirmed = row.confirmed;
  }
  return byConcept;
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
