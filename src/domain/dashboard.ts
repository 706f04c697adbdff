/**
 * The overview page: one row per concept with its figures, its conversion interval, its
 * chance of being the best live concept, its verdict with its Bayesian reading, and its
 * progress on each criterion.
 */
import {
  type ConceptActivity,
  type Counts,
  type CriterionProgress,
  conversionRate,
  criteriaProgress,
  fillDaily,
  type SourceCounts,
} from "./analytics";
import { type ConceptReading, conceptReading } from "./bayes";
import type { Concept } from "./concept";
import { type Interval, probabilityToBeBest, wilsonInterval } from "./stats";
import { type ConceptVerdict, conceptVerdict } from "./verdict";

export const PALETTE = ["#1f4e3d", "#d1495b", "#2e86ab", "#e07a2f", "#7b4b94", "#5c8001", "#8d6a9f", "#00798c"];

export interface DashboardRow {
  slug: string;
  title: string;
  status: Concept["status"];
  color: string;
  /** Index of `color` in PALETTE, for CSS classes (no inline styles under the CSP). */
  colorIndex: number;
  total: Counts & { rate: number };
  interval: Interval;
  lastWeek: Counts & { rate: number };
  /** Chance of having the highest true conversion among live concepts (0 for others). */
  probabilityBest: number;
  verdict: ConceptVerdict;
  /** P(conversion > target): a Bayesian reading beside the verdict. */
  reading: ConceptReading;
  criteria: CriterionProgress[];
  dailySignups: number[];
  sources: (SourceCounts & { rate: number })[];
}

const EMPTY: ConceptActivity = {
  total: { visitors: 0, signups: 0 },
  lastWeek: { visitors: 0, signups: 0 },
  wholeTest: { visitors: 0, signups: 0 },
  recentWeek: { visitors: 0, signups: 0 },
  dailySignups: [],
  dailyVisitors: [],
  sources: [],
};

/** One row per concept, in the order given, for the overview page and its charts. */
export function composeDashboard(
  concepts: readonly Concept[],
  activity: ReadonlyMap<string, ConceptActivity>,
  { days, today, maxSources = 5 }: { days: readonly string[]; today: string; maxSources?: number },
): DashboardRow[] {
  const live = concepts.filter((concept) => concept.status === "live");
  const dataOf = (slug: string) => activity.get(slug) ?? EMPTY;
  const best = probabilityToBeBest(
    live.map((concept) => ({
      visitors: dataOf(concept.slug).total.visitors,
      conversions: dataOf(concept.slug).total.signups,
    })),
  );
  return concepts.map((concept, index) => {
    const data = dataOf(concept.slug);
    const liveIndex = live.indexOf(concept);
    return {
      slug: concept.slug,
      title: concept.title,
      status: concept.status,
      color: PALETTE[index % PALETTE.length] ?? "#1f4e3d",
      colorIndex: index % PALETTE.length,
      total: { ...data.total, rate: conversionRate(data.total) },
      interval: wilsonInterval(data.total.signups, data.total.visitors),
      lastWeek: { ...data.lastWeek, rate: conversionRate(data.lastWeek) },
      probabilityBest: liveIndex >= 0 ? (best[liveIndex] ?? 0) : 0,
      // The verdict, its reading and the criteria read the whole test, never the chosen range.
      verdict: conceptVerdict({
        criteria: concept.successCriteria,
        counts: data.wholeTest,
        visitorsPerDay: data.recentWeek.visitors / 7,
        today,
      }),
      reading: conceptReading(data.wholeTest, concept.successCriteria.minConversionPercent / 100),
      criteria: criteriaProgress(concept.successCriteria, data.wholeTest),
      dailySignups: fillDaily(data.dailySignups, days),
      sources: data.sources.slice(0, maxSources).map((source) => ({ ...source, rate: conversionRate(source) })),
    };
  });
}
