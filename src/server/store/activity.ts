/**
 * The overview page's figures: per concept, visitors and signups in the chosen days, in
 * the 7 days up to its end, day by day, and by traffic source; and, for the verdicts, the
 * whole test and its last 7 days whatever the chosen days. One grouped query per figure,
 * so the page costs the same whatever the number of concepts.
 */
import type { Database } from "../../../db/client";
import type { ConceptActivity } from "../../domain/analytics";
import { addDays, type DayWindow, rangeWindow } from "../../domain/experiment-report";
import { countsGroupedBy } from "./counts";

export interface ActivityWindow extends DayWindow {
  /** First day of the "last 7 days" and of the daily series, both ending at `to`. */
  weekFrom: string;
  seriesFrom: string;
  /** The last day of the whole test (the verdict's window, from the first day to this one). */
  today: string;
}

export function getConceptActivity(db: Database, window: ActivityWindow): Map<string, ConceptActivity> {
  const activity = new Map<string, ConceptActivity>();
  const of = (concept: string): ConceptActivity => {
    const entry = activity.get(concept) ?? {
      total: { visitors: 0, signups: 0 },
      lastWeek: { visitors: 0, signups: 0 },
      wholeTest: { visitors: 0, signups: 0 },
      recentWeek: { visitors: 0, signups: 0 },
      dailySignups: [],
      dailyVisitors: [],
      sources: [],
    };
    activity.set(concept, entry);
    return entry;
  };
  const { from, to } = window;
  const later = (a: string, b: string) => (a > b ? a : b);
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: { from, to } }, ["concept"])) {
    of(concept).total = { visitors, signups };
  }
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: rangeWindow({}, window.today) }, [
    "concept",
  ])) {
    of(concept).wholeTest = { visitors, signups };
  }
  const recentWeek = { from: addDays(window.today, -6), to: window.today };
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: recentWeek }, ["concept"])) {
    of(concept).recentWeek = { visitors, signups };
  }
  const week = { from: later(from, window.weekFrom), to };
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: week }, ["concept"])) {
    of(concept).lastWeek = { visitors, signups };
  }
  const series = { from: later(from, window.seriesFrom), to };
  for (const row of countsGroupedBy(db, { window: series }, ["concept", "day"])) {
    of(row.concept).dailySignups.push({ day: row.day, count: row.signups });
    of(row.concept).dailyVisitors.push({ day: row.day, count: row.visitors });
  }
  for (const { concept, source, visitors, signups } of countsGroupedBy(db, { window: { from, to } }, [
    "concept",
    "source",
  ])) {
    of(concept).sources.push({ source, visitors, signups });
  }
  for (const entry of activity.values()) {
    entry.sources.sort((a, b) => b.visitors - a.visitors || b.signups - a.signups);
  }
  return activity;
}
