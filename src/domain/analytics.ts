/**
 * Turning counts into what a founder reads: conversion, progress towards the success
 * criteria written before the test, and day-by-day series with the gaps filled.
 */
import type { SuccessCriteria } from "./concept";

export interface Counts {
  visitors: number;
  signups: number;
}

/** Signups per visitor, as a fraction; 0 when nobody has visited yet. */
export function conversionRate({ visitors, signups }: Counts): number {
  return visitors > 0 ? signups / visitors : 0;
}

export interface SourceCounts extends Counts {
  source: string;
}

/** What the store knows of one concept; visitors are unique visitor-days. */
export interface ConceptActivity {
  total: Counts;
  lastWeek: Counts;
  dailySignups: { day: string; count: number }[];
  dailyVisitors: { day: string; count: number }[];
  sources: SourceCounts[];
}

export type CriterionKey = "visitors" | "signups" | "conversion";

export interface CriterionProgress {
  key: CriterionKey;
  current: number;
  target: number;
  /** How far along, from 0 to 1. */
  progress: number;
  met: boolean;
}

export function criteriaProgress(criteria: SuccessCriteria, counts: Counts): CriterionProgress[] {
  const rate = conversionRate(counts);
  const entry = (key: CriterionKey, current: number, target: number): CriterionProgress => ({
    key,
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

/** The `count` UTC days ending with `lastDay` (YYYY-MM-DD), oldest first. */
export function dayRange(lastDay: string, count: number): string[] {
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Values for each day of `days`, 0 where a day has no row. */
export function fillDaily(rows: readonly { day: string; count: number }[], days: readonly string[]): number[] {
  const byDay = new Map(rows.map((row) => [row.day, row.count]));
  return days.map((day) => byDay.get(day) ?? 0);
}

export function formatPercent(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)} %`;
}

const PALETTE = ["#1f4e3d", "#d1495b", "#2e86ab", "#e07a2f", "#7b4b94", "#5c8001", "#8d6a9f", "#00798c"];

export interface DashboardRow {
  slug: string;
  title: string;
  status: string;
  color: string;
  total: Counts & { rate: number };
  lastWeek: Counts & { rate: number };
  criteria: CriterionProgress[];
  dailySignups: number[];
  sources: (SourceCounts & { rate: number })[];
}

const EMPTY: ConceptActivity = {
  total: { visitors: 0, signups: 0 },
  lastWeek: { visitors: 0, signups: 0 },
  dailySignups: [],
  dailyVisitors: [],
  sources: [],
};

/** One row per concept, in the order given, for the admin page and its charts. */
export function composeDashboard(
  concepts: readonly { slug: string; title: string; status: string; successCriteria: SuccessCriteria }[],
  activity: ReadonlyMap<string, ConceptActivity>,
  days: readonly string[],
  maxSources = 5,
): DashboardRow[] {
  return concepts.map((concept, index) => {
    const data = activity.get(concept.slug) ?? EMPTY;
    return {
      slug: concept.slug,
      title: concept.title,
      status: concept.status,
      color: PALETTE[index % PALETTE.length] ?? "#1f4e3d",
      total: { ...data.total, rate: conversionRate(data.total) },
      lastWeek: { ...data.lastWeek, rate: conversionRate(data.lastWeek) },
      criteria: criteriaProgress(concept.successCriteria, data.total),
      dailySignups: fillDaily(data.dailySignups, days),
      sources: data.sources.slice(0, maxSources).map((source) => ({ ...source, rate: conversionRate(source) })),
    };
  });
}
