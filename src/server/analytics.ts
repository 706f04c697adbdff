/**
 * The admin page's queries: per concept, visitors (unique visitor-days), signups, the
 * last 7 days, daily series and traffic sources. One query per figure, all grouped by
 * concept, so the page costs the same whatever the number of concepts.
 */
import { count, countDistinct, gte, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { signups, views } from "../../db/schema";
import type { ConceptActivity, SourceCounts } from "../domain/analytics";

export interface ActivityWindow {
  /** First UTC day (YYYY-MM-DD) of the "last 7 days". */
  weekStart: string;
  /** First UTC day of the daily series. */
  seriesStart: string;
}

const signupDay = sql<string>`strftime('%Y-%m-%d', ${signups.createdAt} / 1000, 'unixepoch')`;
const viewSource = sql<string>`coalesce(${views.utmSource}, ${views.referrerHost}, 'direct')`;
const signupSource = sql<string>`coalesce(${signups.utmSource}, ${signups.referrerHost}, 'direct')`;

export function getConceptActivity(db: Database, window: ActivityWindow): Map<string, ConceptActivity> {
  const weekStartMs = Date.parse(`${window.weekStart}T00:00:00Z`);
  const seriesStartMs = Date.parse(`${window.seriesStart}T00:00:00Z`);
  const activity = new Map<string, ConceptActivity>();
  const of = (concept: string): ConceptActivity => {
    let entry = activity.get(concept);
    if (!entry) {
      entry = {
        total: { visitors: 0, signups: 0 },
        lastWeek: { visitors: 0, signups: 0 },
        dailySignups: [],
        dailyVisitors: [],
        sources: [],
      };
      activity.set(concept, entry);
    }
    return entry;
  };

  const visitors = countDistinct(views.visitorHash);
  for (const row of db.select({ concept: views.concept, n: visitors }).from(views).groupBy(views.concept).all()) {
    of(row.concept).total.visitors = row.n;
  }
  for (const row of db
    .select({ concept: views.concept, n: visitors })
    .from(views)
    .where(gte(views.day, window.weekStart))
    .groupBy(views.concept)
    .all()) {
    of(row.concept).lastWeek.visitors = row.n;
  }
  for (const row of db
    .select({
      concept: signups.concept,
      n: count(),
      week: sql<number>`coalesce(sum(${signups.createdAt} >= ${weekStartMs}), 0)`,
    })
    .from(signups)
    .groupBy(signups.concept)
    .all()) {
    of(row.concept).total.signups = row.n;
    of(row.concept).lastWeek.signups = row.week;
  }
  for (const row of db
    .select({ concept: signups.concept, day: signupDay, count: count() })
    .from(signups)
    .where(gte(signups.createdAt, new Date(seriesStartMs)))
    .groupBy(signups.concept, signupDay)
    .all()) {
    of(row.concept).dailySignups.push({ day: row.day, count: row.count });
  }
  for (const row of db
    .select({ concept: views.concept, day: views.day, count: visitors })
    .from(views)
    .where(gte(views.day, window.seriesStart))
    .groupBy(views.concept, views.day)
    .all()) {
    of(row.concept).dailyVisitors.push({ day: row.day, count: row.count });
  }

  const sources = new Map<string, Map<string, SourceCounts>>();
  const sourceOf = (concept: string, source: string) => {
    const bySource = sources.get(concept) ?? new Map<string, SourceCounts>();
    sources.set(concept, bySource);
    const entry = bySource.get(source) ?? { source, visitors: 0, signups: 0 };
    bySource.set(source, entry);
    return entry;
  };
  for (const row of db
    .select({ concept: views.concept, source: viewSource, n: visitors })
    .from(views)
    .groupBy(views.concept, viewSource)
    .all()) {
    sourceOf(row.concept, row.source).visitors = row.n;
  }
  for (const row of db
    .select({ concept: signups.concept, source: signupSource, n: count() })
    .from(signups)
    .groupBy(signups.concept, signupSource)
    .all()) {
    sourceOf(row.concept, row.source).signups = row.n;
  }
  for (const [concept, bySource] of sources) {
    of(concept).sources = [...bySource.values()].sort((a, b) => b.visitors - a.visitors || b.signups - a.signups);
  }
  return activity;
}
