/**
 * Turning counts into what a founder reads: conversion, progress towards the success
 * criteria written before the test, and day-by-day series with the gaps filled.
 */

import { z } from "zod";
import { addDays } from "./calendar";
import type { Thresholds } from "./concept";

export interface Counts {
  visitors: number;
  signups: number;
}

/** Signups per visitor, as a fraction; 0 when nobody has visited yet. */
export function conversionRate({ visitors, signups }: Counts): number {
  return visitors > 0 ? signups / visitors : 0;
}

/** Counts with their conversion, as a number (for charts) and as printed. */
export interface RateFigures extends Counts {
  rate: number;
  conversion: string;
}

export function rated(counts: Counts): RateFigures {
  const rate = conversionRate(counts);
  return { visitors: counts.visitors, signups: counts.signups, rate, conversion: formatPercent(rate) };
}

/** The sum of some counts (of variants, of sources, of days). */
export function sumCounts(counts: Iterable<Counts>): Counts {
  let visitors = 0;
  let signups = 0;
  for (const c of counts) {
    visitors += c.visitors;
    signups += c.signups;
  }
  return { visitors, signups };
}

export interface SourceCounts extends Counts {
  source: string;
}

/** The traffic source of a visit with neither a utm_source nor a referrer. */
export const DIRECT_SOURCE = "direct";

export type CriterionKey = "visitors" | "signups" | "conversion";

/** How each criterion is named, on the overview and in the digest alike. */
export const CRITERION_LABELS: Readonly<Record<CriterionKey, string>> = {
  visitors: "Visitors",
  signups: "Signups",
  conversion: "Conversion",
};

export interface CriterionProgress {
  key: CriterionKey;
  label: string;
  current: number;
  target: number;
  /** How far along, from 0 to 1. */
  progress: number;
  met: boolean;
}

export function criteriaProgress(criteria: Thresholds, counts: Counts): CriterionProgress[] {
  const rate = conversionRate(counts);
  const entry = (key: CriterionKey, current: number, target: number): CriterionProgress => ({
    key,
    label: CRITERION_LABELS[key],
    current,
    target,
    progress: Math.min(1, target > 0 ? current / target : 1),
    met: current >= target,
  });
  return [
    entry("visitors", counts.visitors, criteria.minVisitors),
    entry("signups", counts.signups, criteria.minSignups),
    entry("conversion", rate, criteria.minConversionPercent / 100),
  ];
}

/** Values for each day of `days`, 0 where a day has no row. */
export function fillDaily(rows: readonly { day: string; count: number }[], days: readonly string[]): number[] {
  const byDay = new Map(rows.map((row) => [row.day, row.count]));
  return days.map((day) => byDay.get(day) ?? 0);
}

/** What the admin chart component draws (chart.js, one canvas per spec). */
export interface ChartDataset {
  label: string;
  color: string;
  data: (number | null)[];
  /** Interval ends per point, drawn as whiskers (bar charts). */
  low?: number[];
  high?: number[];
}

export interface ChartSpec {
  kind: "line" | "bar";
  labels: string[];
  datasets: ChartDataset[];
  format: "count" | "percent";
}

export const PALETTE = ["#1f4e3d", "#d1495b", "#2e86ab", "#e07a2f", "#7b4b94", "#5c8001", "#8d6a9f", "#00798c"];

/** The colour of the `index`-th concept or variant in charts. */
export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? "#1f4e3d";
}

/** A day (YYYY-MM-DD) as a chart's axis shows it: MM-DD. */
export function chartDay(day: string): string {
  return day.slice(5);
}

export function formatPercent(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)} %`;
}

/** The analytics pages' date filter (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional, days included). */
export const DateRangeQuery = z
  .object({
    from: z.iso.date("use a date such as 2026-11-01").optional(),
    to: z.iso.date("use a date such as 2026-11-30").optional(),
  })
  .refine((range) => !range.from || !range.to || range.from <= range.to, {
    message: "the start must not be after the end",
    path: ["to"],
  });
export type DateRange = z.infer<typeof DateRangeQuery>;

/** The longest range shown at once (about three years of days): a page builds one point per day. */
export const MAX_RANGE_DAYS = 1100;

/**
 * The range asked for in a query string, within bounds: it ends today at the latest and
 * spans MAX_RANGE_DAYS at most (`notice` says what was adjusted). An invalid range is
 * ignored, with a message saying what was wrong.
 */
export function parseDateRange(
  query: URLSearchParams,
  today: string,
): { range: DateRange; error?: string; notice?: string } {
  const raw = Object.fromEntries(["from", "to"].flatMap((key) => (query.get(key) ? [[key, query.get(key)]] : [])));
  const result = DateRangeQuery.safeParse(raw);
  if (!result.success)
    return {
      range: {},
      error: result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    };
  const range = { ...result.data };
  const notices: string[] = [];
  if (range.from && range.from > today) {
    range.from = today;
    notices.push(`the start was after today: it is now today (${today})`);
  }
  if (range.to && range.to > today) {
    range.to = today;
    notices.push(`the end was after today: shown up to today (${today})`);
  }
  const end = range.to ?? today;
  const earliest = addDays(end, -(MAX_RANGE_DAYS - 1));
  if (range.from && range.from < earliest) {
    range.from = earliest;
    notices.push(`at most ${MAX_RANGE_DAYS} days are shown at once: from ${earliest}`);
  }
  return notices.length > 0 ? { range, notice: notices.join("; ") } : { range };
}
