/**
 * Visitors and signups counted in a time window ([from, to) in ms), grouped by concept,
 * variant, day or traffic source: every figure of the analytics pages comes from here.
 * A visitor is a row of `views` (one per visitor-day and variant).
 */
import { and, count, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Database } from "../../db/client";
import { signups, views } from "../../db/schema";
import type { Counts } from "../domain/analytics";
import type { TimeWindow } from "../domain/experiment-report";

type Grouping = SQL<string> | SQLiteColumn;

/**
 * Visitors and signups in `window` (of one concept, or of all), grouped by the given
 * expressions: one for views and one for signups under each name.
 */
export function countsGroupedBy<K extends string>(
  db: Database,
  { concept, window }: { concept?: string; window: TimeWindow },
  groups: Record<K, { view: Grouping; signup: Grouping }>,
): (Record<K, string> & Counts)[] {
  const names = Object.keys(groups) as K[];
  const rows = new Map<string, Record<K, string> & Counts>();
  const add = (row: Record<string, unknown>, field: keyof Counts) => {
    const key = names.map((name) => String(row[name])).join("\u0000");
    const entry =
      rows.get(key) ??
      ({ ...Object.fromEntries(names.map((name) => [name, String(row[name])])), visitors: 0, signups: 0 } as Record<
        K,
        string
      > &
        Counts);
    entry[field] = Number(row.n);
    rows.set(key, entry);
  };
  const pick = (side: "view" | "signup") => Object.fromEntries(names.map((name) => [name, groups[name][side]]));
  for (const row of db
    .select({ ...pick("view"), n: count() })
    .from(views)
    .where(
      and(
        concept === undefined ? undefined : eq(views.concept, concept),
        gte(views.createdAt, new Date(window.from)),
        lt(views.createdAt, new Date(window.to)),
      ),
    )
    .groupBy(...names.map((name) => groups[name].view))
    .all()) {
    add(row, "visitors");
  }
  for (const row of db
    .select({ ...pick("signup"), n: count() })
    .from(signups)
    .where(
      and(
        concept === undefined ? undefined : eq(signups.concept, concept),
        gte(signups.createdAt, new Date(window.from)),
        lt(signups.createdAt, new Date(window.to)),
      ),
    )
    .groupBy(...names.map((name) => groups[name].signup))
    .all()) {
    add(row, "signups");
  }
  return [...rows.values()];
}

export const byConcept = { view: views.concept, signup: signups.concept };
export const byVariant = { view: views.variant, signup: signups.variant };
export const byDay = {
  view: views.day,
  signup: sql<string>`strftime('%Y-%m-%d', ${signups.createdAt} / 1000, 'unixepoch')`,
};
export const bySource = {
  view: sql<string>`coalesce(${views.utmSource}, ${views.referrerHost}, 'direct')`,
  signup: sql<string>`coalesce(${signups.utmSource}, ${signups.referrerHost}, 'direct')`,
};

export function countByVariant(db: Database, concept: string, window: TimeWindow): Map<string, Counts> {
  const rows = countsGroupedBy(db, { concept, window }, { variant: byVariant });
  return new Map(rows.map((row) => [row.variant, { visitors: row.visitors, signups: row.signups }]));
}

export function dailyByVariant(db: Database, concept: string, window: TimeWindow) {
  return countsGroupedBy(db, { concept, window }, { variant: byVariant, day: byDay }).sort((a, b) =>
    a.day.localeCompare(b.day),
  );
}

export function sourcesByVariant(db: Database, concept: string, window: TimeWindow) {
  return countsGroupedBy(db, { concept, window }, { variant: byVariant, source: bySource });
}

/** The most recent signups of a concept, for the founder's eyes only (admin page). */
export function latestSignups(db: Database, concept: string, limit = 10) {
  return db
    .select({
      email: signups.email,
      name: signups.name,
      variant: signups.variant,
      createdAt: signups.createdAt,
      source: bySource.signup,
    })
    .from(signups)
    .where(eq(signups.concept, concept))
    .orderBy(desc(signups.createdAt), desc(signups.id))
    .limit(limit)
    .all();
}
