/**
 * The overview page's figures: per concept, visitors and signups in the chosen window,
 * in the 7 days before its end, day by day, and by traffic source. One grouped query per
 * figure, so the page costs the same whatever the number of concepts.
 */
import type { Database } from "../../db/client";
import type { ConceptActivity } from "../domain/analytics";
import type { TimeWindow } from "../domain/experiment-report";
import { byConcept, byDay, bySource, countsGroupedBy } from "./counts";

export interface ActivityWindow extends TimeWindow {
  /** Start (ms) of the "last 7 days" and of the daily series, both ending at `to`. */
  weekFrom: number;
  seriesFrom: number;
}

export function getConceptActivity(db: Database, window: ActivityWindow): Map<string, ConceptActivity> {
  const activity = new Map<string, ConceptActivity>();
  const of = (concept: string): ConceptActivity => {
    const entry = activity.get(concept) ?? {
      total: { visitors: 0, signups: 0 },
      lastWeek: { visitors: 0, signups: 0 },
      dailySignups: [],
      dailyVisitors: [],
      sources: [],
    };
    activity.set(concept, entry);
    return entry;
  };
  const { from, to } = window;
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: { from, to } }, { concept: byConcept })) {
    of(concept).total = { visitors, signups };
  }
  const week = { from: Math.max(from, window.weekFrom), to };
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: week }, { concept: byConcept })) {
    of(concept).lastWeek = { visitors, signups };
  }
  const series = { from: Math.max(from, window.seriesFrom), to };
  for (const row of countsGroupedBy(db, { window: series }, { concept: byConcept, day: byDay })) {
    of(row.concept).dailySignups.push({ day: row.day, count: row.signups });
    of(row.concept).dailyVisitors.push({ day: row.day, count: row.visitors });
  }
  for (const { concept, source, visitors, signups } of countsGroupedBy(
    db,
    { window: { from, to } },
    { concept: byConcept, source: bySource },
  )) {
    of(concept).sources.push({ source, visitors, signups });
  }
  for (const entry of activity.values()) {
    entry.sources.sort((a, b) => b.visitors - a.visitors || b.signups - a.signups);
  }
  return activity;
}
