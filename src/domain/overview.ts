/**
 * The overview page's view model: the totals of every concept, the emails that could not
 * be sent, and one row per published concept with its figures, its conversion interval,
 * its chance of being the best live concept, its verdict with its Bayesian reading, its
 * progress on each criterion and its top sources; and the two charts. Pure: the store
 * gathers `OverviewData`, this composes, the page prints.
 */

import {
  type ChartSpec,
  type Counts,
  type CriterionKey,
  chartDay,
  criteriaProgress,
  fillDaily,
  formatPercent,
  PALETTE,
  paletteColor,
  type RateFigures,
  rated,
  type SourceCounts,
  sumCounts,
} from "./analytics";
import { type ConceptReading, conceptReading, formatChance } from "./bayes";
import { addDays, dayRange } from "./calendar";
import { type Concept, isPublished } from "./concept";
import { type Decision, ideaDecision, type ShownConceptVerdict, shownConceptVerdict } from "./decision";
import { type AdminPeriod, type DayWindow, startingAt } from "./experiment-report";
import { describeCookieCost } from "./experiments";
import { criterionLabel, judgedOn, type LadderCounts, ladderLine, NO_LADDER } from "./ladder";
import { type Interval, probabilityToBeBest, wilsonInterval } from "./stats";
import { compareIdeas, type IdeaComparison } from "./try-entry";
import { composeWebhookLog, type WebhookDeliveryRow, type WebhookLog } from "./webhooks";

/** The daily series shows at most this many days: a chart of years of days reads as noise. */
export const SERIES_DAYS = 42;

/** The days of the overview's daily series: the last SERIES_DAYS of the window. */
export function seriesDays(window: DayWindow): string[] {
  return dayRange(window.to, SERIES_DAYS).filter((day) => day >= window.from);
}

/** The 7 days up to the end of the window: the overview's "last 7 days" row. */
export function lastWeekOf(window: DayWindow): DayWindow {
  return startingAt(window, addDays(window.to, -6));
}

/** What the store knows of one concept; visitors are people where the A/B cookie keeps them, else visitor-days. */
export interface ConceptActivity {
  /** In the chosen date range: descriptive figures. */
  total: Counts;
  /** Signups of throwaway addresses in the chosen date range: in none of the figures. */
  throwaway: number;
  lastWeek: Counts;
  /** The test from its start (verdictWindow), and the last 7 days up to today: what the verdict reads, whatever the range. */
  wholeTest: Counts;
  recentWeek: Counts;
  dailySignups: { day: string; count: number }[];
  /** In the order the store found them; the overview ranks them. */
  sources: SourceCounts[];
}

export interface FailedEmail {
  kind: string;
  recipients: string[];
  error: string;
}

/** Everything the overview shows, as the store gathers it. */
export interface OverviewData {
  activity: ReadonlyMap<string, ConceptActivity>;
  /** The decision log, by concept. */
  decisions: ReadonlyMap<string, readonly Decision[]>;
  /** Double opt-in progress per concept, all time. */
  confirmations: ReadonlyMap<string, { joined: number; confirmed: number }>;
  /** Newest first. */
  failedEmails: readonly FailedEmail[];
  /** Signups made with the A/B cookie, on the day of the person's first visit or on a later one. */
  signupsByVisit: { first: number; later: number };
  /** The latest webhook deliveries, newest first. */
  webhookDeliveries: readonly WebhookDeliveryRow[];
  /** Per concept, the traffic that came through /try/ in the chosen days. */
  tryEntries: ReadonlyMap<string, Counts>;
  /** Per concept, its intent ladder in the chosen days. */
  ladders: ReadonlyMap<string, LadderCounts>;
}

export interface OverviewCriterion {
  key: CriterionKey;
  label: string;
  /** Where the concept stands and where it must get, as printed (a count, or a percentage). */
  current: string;
  target: string;
  met: boolean;
  /** Progress, in whole percents (0–100). */
  percent: number;
}

export interface OverviewRow {
  slug: string;
  title: string;
  status: Concept["status"];
  /** Index in PALETTE, for CSS classes (no inline styles under the CSP). */
  colorIndex: number;
  total: RateFigures;
  interval: Interval;
  /** The interval as printed: "4.1 %–6.0 %". */
  intervalText: string;
  lastWeek: RateFigures;
  /** Signups of throwaway addresses in the chosen days, shown apart. */
  throwaway: number;
  joined: number;
  confirmed: number;
  /** Chance of having the highest true conversion among live concepts (0 for others), on Overview.ideaComparison's traffic. */
  probabilityBest: number;
  /** That chance as printed, or the status of a concept that is not live. */
  bestText: string;
  verdict: ShownConceptVerdict;
  /** P(conversion > target): a Bayesian reading beside the verdict. */
  reading: ConceptReading;
  /** That reading as printed ("—" while it is withheld). */
  aboveTarget: string;
  criteria: OverviewCriterion[];
  sources: (SourceCounts & RateFigures)[];
  /** The intent ladder in one line ("1,204 visitors → 52 signups 4.3 % → …"), in the chosen days. */
  ladder: string;
  /** "judged on confirmed signups". */
  judgedOn: string;
}

export interface Overview {
  /** All concepts together, in the chosen days. */
  totals: RateFigures;
  /** The throwaway addresses of the chosen days, as printed; absent when there were none. */
  throwaway: string | undefined;
  failedEmails: { heading: string; emails: { kind: string; to: string; error: string }[] } | undefined;
  /** The delivery log, while there are webhook deliveries. */
  webhooks: WebhookLog | undefined;
  /** The label of the chosen days in each concept's table. */
  periodLabel: string;
  /** The published concepts, in the order given. */
  concepts: OverviewRow[];
  conversionChart: ChartSpec;
  signupsChart: { caption: string; spec: ChartSpec };
  /** What going cookieless costs the A/B comparisons (describeCookieCost). */
  cookieCost: string;
  /** Which traffic P(best) compares the ideas on, and what the page says about it (compareIdeas). */
  ideaComparison: Pick<IdeaComparison, "basis" | "sameAudience" | "heading" | "note">;
}

/** A concept's activity before any traffic (a fresh object: gathering fills it in place). */
export function noActivity(): ConceptActivity {
  return {
    total: { visitors: 0, signups: 0 },
    throwaway: 0,
    lastWeek: { visitors: 0, signups: 0 },
    wholeTest: { visitors: 0, signups: 0 },
    recentWeek: { visitors: 0, signups: 0 },
    dailySignups: [],
    sources: [],
  };
}

const printed = (key: CriterionKey, value: number) =>
  key === "conversion" ? formatPercent(value) : value.toLocaleString("en");

function failedEmailsOf(emails: readonly FailedEmail[]): Overview["failedEmails"] {
  if (emails.length === 0) return undefined;
  return {
    heading: emails.length === 1 ? "An email could not be sent" : `${emails.length} emails could not be sent`,
    emails: emails.map((email) => ({ kind: email.kind, to: email.recipients.join(", "), error: email.error })),
  };
}

/** "3 signups with a throwaway address (Origami box: 2, Plant club: 1) …", or nothing without any. */
function throwawayText(rows: readonly Pick<OverviewRow, "title" | "throwaway">[]): string | undefined {
  const flagged = rows.filter((row) => row.throwaway > 0);
  const total = flagged.reduce((sum, row) => sum + row.throwaway, 0);
  if (total === 0) return undefined;
  const each = flagged.map((row) => `${row.title}: ${row.throwaway.toLocaleString("en")}`).join(", ");
  return `${total.toLocaleString("en")} signup${total === 1 ? "" : "s"} with a throwaway address (${each})`;
}

/** The overview of `concepts` (in the order given, drafts counted in the totals only). */
export function composeOverview(
  concepts: readonly Concept[],
  data: OverviewData,
  period: AdminPeriod,
  // The site's default: A/B cookies on (AB_COOKIE).
  { siteCookie = true, maxSources = 5 }: { siteCookie?: boolean; maxSources?: number } = {},
): Overview {
  const days = seriesDays(period.window);
  const live = concepts.filter((concept) => concept.status === "live");
  const dataOf = (slug: string) => data.activity.get(slug) ?? noActivity();
  const comparison = compareIdeas(
    live.map((concept) => ({
      slug: concept.slug,
      target: concept.successCriteria.minConversionPercent / 100,
      total: dataOf(concept.slug).total,
      viaTry: data.tryEntries.get(concept.slug) ?? { visitors: 0, signups: 0 },
    })),
  );
  const best = probabilityToBeBest(
    comparison.counts.map((counts) => ({ visitors: counts.visitors, conversions: counts.signups })),
  );
  const rows = concepts.map((concept, index) => {
    const activity = dataOf(concept.slug);
    const liveIndex = live.indexOf(concept);
    const probabilityBest = liveIndex >= 0 ? (best[liveIndex] ?? 0) : 0;
    const interval = wilsonInterval(activity.total.signups, activity.total.visitors);
    const confirmations = data.confirmations.get(concept.slug);
    // The verdict, its reading and the criteria read the test from its start, never the chosen range.
    const reading = conceptReading(activity.wholeTest, concept.successCriteria.minConversionPercent / 100);
    const row: OverviewRow = {
      slug: concept.slug,
      title: concept.title,
      status: concept.status,
      colorIndex: index % PALETTE.length,
      total: rated(activity.total),
      interval,
      intervalText: `${formatPercent(interval.low)}–${formatPercent(interval.high)}`,
      lastWeek: rated(activity.lastWeek),
      throwaway: activity.throwaway,
      joined: confirmations?.joined ?? 0,
      confirmed: confirmations?.confirmed ?? 0,
      probabilityBest,
      bestText: concept.status === "live" ? formatChance(probabilityBest) : concept.status,
      verdict: shownConceptVerdict({
        criteria: concept.successCriteria,
        counts: activity.wholeTest,
        visitorsPerDay: activity.recentWeek.visitors / 7,
        lastDay: period.lastDay,
        decision: ideaDecision(data.decisions.get(concept.slug) ?? []),
      }),
      reading,
      aboveTarget: reading.withheld ? "—" : formatChance(reading.probabilityAboveTarget),
      criteria: criteriaProgress(concept.successCriteria, activity.wholeTest).map((criterion) => ({
        key: criterion.key,
        label: criterionLabel(criterion.key, criterion.label, concept.successCriteria.rung),
        current: printed(criterion.key, criterion.current),
        target: printed(criterion.key, criterion.target),
        met: criterion.met,
        percent: Math.round(criterion.progress * 100),
      })),
      sources: [...activity.sources]
        .sort((a, b) => b.visitors - a.visitors || b.signups - a.signups)
        .slice(0, maxSources)
        .map((source) => ({ ...source, ...rated(source) })),
      ladder: ladderLine(concept, {
        ...(data.ladders.get(concept.slug) ?? NO_LADDER),
        visitors: activity.total.visitors,
      }),
      judgedOn: judgedOn(concept.successCriteria.rung),
    };
    return { row, color: paletteColor(index), dailySignups: fillDaily(activity.dailySignups, days) };
  });
  const published = rows.filter(({ row }) => isPublished(row));
  const liveRows = rows.filter(({ row }) => row.status === "live").map(({ row }) => row);
  return {
    totals: rated(sumCounts(rows.map(({ row }) => row.total))),
    throwaway: throwawayText(rows.map(({ row }) => row)),
    failedEmails: failedEmailsOf(data.failedEmails),
    webhooks: composeWebhookLog(data.webhookDeliveries),
    periodLabel: period.filtered ? "Period" : "All time",
    concepts: published.map(({ row }) => row),
    conversionChart: {
      kind: "bar",
      format: "percent",
      labels: liveRows.map((row) => row.title),
      datasets: [
        {
          label: "Conversion",
          color: "#7fb39b",
          data: liveRows.map((row) => row.total.rate),
          low: liveRows.map((row) => row.interval.low),
          high: liveRows.map((row) => row.interval.high),
        },
      ],
    },
    signupsChart: {
      caption: `Signups per day, last ${days.length} days`,
      spec: {
        kind: "line",
        format: "count",
        labels: days.map(chartDay),
        datasets: published.map(({ row, color, dailySignups }) => ({ label: row.title, color, data: dailySignups })),
      },
    },
    cookieCost: describeCookieCost(data.signupsByVisit, siteCookie),
    ideaComparison: {
      basis: comparison.basis,
      sameAudience: comparison.sameAudience,
      heading: comparison.heading,
      note: comparison.note,
    },
  };
}
