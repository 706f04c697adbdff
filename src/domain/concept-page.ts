/**
 * One concept's admin page as a view model: the idea's verdict and reading over the whole
 * test (all its traffic), the units its visitors are counted in, the split check and the
 * variants against the control (split traffic only), each variant's direct traffic beside
 * them, the plan, the charts, the
 * traffic sources with their totals, and the latest signups. Pure: the store gathers
 * `ConceptPageData`, this composes, the page prints.
 */

import {
  type ChartSpec,
  type Counts,
  chartDay,
  formatPercent,
  paletteColor,
  type RateFigures,
  rated,
  sumCounts,
} from "./analytics";
import { conceptReading, describeConceptReading, describeVariantReading, formatChance, READING_PRIOR } from "./bayes";
import { DAY_MS, dayRange, EARLIEST_DAY } from "./calendar";
import type { Concept, Thresholds } from "./concept";
import {
  type Decision,
  ideaDecision,
  type ShownConceptVerdict,
  shownConceptVerdict,
  shownVariantVerdict,
  variantDecision,
  verdictWindow,
} from "./decision";
import { composeEmbedPanel, type EmbedPanel, type EmbedSettings } from "./embed";
import {
  type AdminPeriod,
  composeExperimentReport,
  countsIn,
  type DayWindow,
  type ExperimentData,
  type ExposureCounts,
  reportWindows,
  variantSeries,
  visitorsPerDay,
} from "./experiment-report";
import type { ComparisonChange } from "./experiments";
import {
  type AnswerCounts,
  type AnswerSummary,
  composeAnswers,
  composeFunnel,
  composeInterviews,
  type Funnel,
  funnelChart,
  type InterviewLine,
  type InterviewOptIn,
  judgedOn,
  type LadderCounts,
  RUNG_LABELS,
} from "./ladder";
import { type ConceptPlan, composePlan } from "./planner";
import { formatLift, formatLiftInterval, type VariantOutcome, type VerdictStatus } from "./verdict";

export interface LatestSignup {
  email: string;
  name: string | null;
  variant: string;
  source: string;
  createdAt: Date;
  throwaway: boolean;
}

/** Everything the concept page shows, as the store gathers it. */
export interface ConceptPageData extends ExperimentData {
  /** The day the test started (concept_tests); undefined if it never went live. */
  testStart: string | undefined;
  /** The decision log of this concept. */
  decisions: readonly Decision[];
  /** The whole test, all traffic, with its units told apart (people, visitor-days, returns, unexposed signups). */
  exposure: ExposureCounts;
  /** Per variant, the traffic of its own URL (ads) in the chosen days: not randomised, shown beside the comparison. */
  direct: ReadonlyMap<string, Counts>;
  /** Per variant and day, in the chosen days (split traffic: the comparison's). */
  daily: readonly (Counts & { variant: string; day: string })[];
  /** Per variant and traffic source, in the chosen days. */
  sources: readonly (Counts & { variant: string; source: string })[];
  /** Newest first. */
  latest: readonly LatestSignup[];
  /** Per variant, the intent ladder in the chosen days (all traffic; signups without a recorded visit left out). */
  ladder: ReadonlyMap<string, LadderCounts>;
  /** The answers to the concept's question in the chosen days. */
  answers: AnswerCounts;
  /** Interview opt-ins: how many, and the latest, newest first (addresses: the admin page only). */
  interviews: { total: number; latest: readonly InterviewOptIn[] };
}

/** Every window whose counts the page reads: the report's, the verdict's and the chosen days'. */
export function conceptPageWindows(
  concept: Concept,
  data: Pick<ConceptPageData, "epochs" | "testStart">,
  period: AdminPeriod,
): DayWindow[] {
  const test = verdictWindow(data.testStart, concept.successCriteria, period.lastDay);
  return [...reportWindows(concept, data.epochs, test, period.today), test, period.window];
}

export interface VariantLine {
  id: string;
  isControl: boolean;
  weight: number;
  figures: RateFigures;
  /** The 95 % Wilson interval, as printed: "4.1 %–6.0 %". */
  interval: string;
  /** The comparison with the control, as printed; absent for the control. */
  comparison:
    | { lift: string; interval: string; pValue: string; status: VerdictStatus; outcome: VariantOutcome }
    | undefined;
  best: string;
  probabilityBest: number;
}

export interface SourceGroup extends RateFigures {
  source: string;
  /** The same source, variant by variant, most visitors first. */
  variants: (RateFigures & { variant: string })[];
}

/** What the visitors of the whole test are, in which unit, as printed. */
export interface TrafficUnits {
  people: number;
  visitorDays: number;
  returnVisits: number;
  /** Signups that followed no recorded visit: kept, in no conversion (see MEASURES in src/server/store/counts.ts). */
  unexposed: number;
  /** Signups of throwaway addresses: on the list, in no conversion. */
  throwaway: number;
}

export interface ConceptPage {
  slug: string;
  title: string;
  /** The embeddable form's snippet and who may frame it (undefined when the caller has no settings: the report). */
  embed: EmbedPanel | undefined;
  verdict: ShownConceptVerdict;
  /** The days the verdicts read: the test's start to the last whole day, stopped at decideBy. */
  testWindow: DayWindow;
  /** Those days in words: "from 2026-10-15 (the test's start) to 2026-11-24 (the last whole day)". */
  testPeriod: string;
  units: TrafficUnits;
  /** Per variant, its own URL's traffic in the chosen days; empty when there was none. */
  direct: (RateFigures & { id: string })[];
  /** The Bayesian reading of the idea and its prior, as printed. */
  reading: string;
  wholeTest: Counts;
  /** The chosen days' figures; absent without a date range. */
  inRange: Counts | undefined;
  criteria: Thresholds;
  /** Present when the split is too uneven to be chance. */
  srm: { from: string; observed: string; weights: string; pValue: string } | undefined;
  /** Variants compared from later than the test's start: what happened (joined, re-weighted, changed) and since when. */
  lateStarts: {
    id: string;
    what: string;
    comparedFrom: string;
    baselineVisitors: number;
    baselineConversion: string;
  }[];
  hasExperiment: boolean;
  variantsTitle: string;
  variants: VariantLine[];
  /** Each comparison's reason (a logged decision's, with its day, once reached), and its Bayesian reading when there is one. */
  reasons: { id: string; reason: string; reading: string | undefined }[];
  /** The equivalence margin: a ratio of rates within ÷ to × this is "equivalent". */
  equivalenceRatio: number;
  plan: string;
  /** The feasibility planner's answer at the current traffic (planner.ts). */
  feasibility: ConceptPlan;
  prior: string;
  conversionChart: ChartSpec;
  signupsChart: ChartSpec;
  sources: SourceGroup[];
  /** What the verdicts count as a conversion: "judged on confirmed signups", and the rung's noun ("confirmed signups"). */
  judged: { text: string; noun: string; column: string };
  /** The intent ladder of the idea and of each variant, in the chosen days, and as a chart. */
  funnel: Funnel;
  funnelChart: ChartSpec;
  /** The choices picked for the concept's question; undefined when it asks none. */
  answers: Omit<AnswerSummary, "texts"> | undefined;
  latest: { email: string; name: string; variant: string; source: string; when: string; throwaway: boolean }[];
  /** Admin only (the share page drops them): the latest short-text answers, and the interview opt-ins. */
  answerTexts: readonly string[];
  interviews: { total: number; latest: InterviewLine[] };
}

/** How a late start reads on the page: "<variant> … : it is compared with the control's traffic from …". */
const LATE_START: Record<ComparisonChange, string> = {
  joined: "joined the test",
  "re-weighted": "changed weight",
  changed: "changed (its offer or the control's: headline, tagline, price, button or image)",
};

const pValueText = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));

function planText(criteria: Thresholds, plannedPerArm: number | undefined): string {
  if (plannedPerArm !== undefined) return `${plannedPerArm.toLocaleString("en")} visitors per variant`;
  return (criteria.minConversionPercent / 100) * (1 + criteria.minDetectableEffectPercent / 100) > 1
    ? "no lift of that size is possible at this conversion"
    : "more than 100,000 signups, too many to plan for: test a bolder change";
}

/** Sources by their totals, in the order of their best variant row (most visitors first). */
function sourceGroups(rows: ConceptPageData["sources"]): SourceGroup[] {
  const ranked = [...rows].sort((a, b) => b.visitors - a.visitors);
  const groups = new Map<string, (RateFigures & { variant: string })[]>();
  for (const row of ranked) {
    const group = groups.get(row.source) ?? [];
    group.push({ variant: row.variant, ...rated(row) });
    groups.set(row.source, group);
  }
  return [...groups].map(([source, variants]) => ({ source, ...rated(sumCounts(variants)), variants }));
}

/** The charts' days: from the first day with traffic in the window (at least one day) to its end. */
function chartDays(daily: ConceptPageData["daily"], window: DayWindow): string[] {
  const [firstDay = window.to] = daily.map((row) => row.day).sort();
  return dayRange(window.to, Math.max(1, Math.round((Date.parse(window.to) - Date.parse(firstDay)) / DAY_MS) + 1));
}

export function composeConceptPage(
  concept: Concept,
  data: ConceptPageData,
  period: AdminPeriod,
  embed?: EmbedSettings,
): ConceptPage {
  const criteria = concept.successCriteria;
  const testWindow = verdictWindow(data.testStart, criteria, period.lastDay);
  const report = composeExperimentReport({ concept, data, testWindow, today: period.today });
  const wholeTest = sumCounts(countsIn(data.counts, testWindow).values());
  // Each variant's verdict as shown: its logged decision once reached, the live rule before.
  const shown = new Map(
    report.variants.flatMap((row) =>
      row.comparison
        ? [[row.id, shownVariantVerdict(row.comparison, variantDecision(data.decisions, row.id, row.comparedFrom))]]
        : [],
    ),
  );
  const target = criteria.minConversionPercent / 100;
  const hasExperiment = concept.variants.length > 1;
  const plannedPerArm = report.variants.find((row) => row.comparison)?.comparison?.plannedPerArm;

  const ids = concept.variants.map((variant) => variant.id);
  const days = chartDays(data.daily, period.window);
  const series = variantSeries(data.daily, days, ids);
  const chart = (kind: ChartSpec["kind"], format: ChartSpec["format"], values: (id: string) => (number | null)[]) => ({
    kind,
    format,
    labels: days.map(chartDay),
    datasets: ids.map((id, index) => ({ label: id, color: paletteColor(index), data: values(id) })),
  });

  const { people, returnVisits, unexposed, throwaway } = data.exposure;
  const direct = concept.variants.map((variant) => ({
    id: variant.id,
    ...rated(data.direct.get(variant.id) ?? { visitors: 0, signups: 0 }),
  }));

  const rung = criteria.rung;
  const funnel = composeFunnel(concept, data.ladder);
  const { texts: answerTexts = [], ...answers } = composeAnswers(concept, data.answers) ?? {};

  return {
    slug: concept.slug,
    title: concept.title,
    judged: {
      text: judgedOn(rung),
      noun: RUNG_LABELS[rung].judged,
      column: rung === "signup" ? "Signups" : RUNG_LABELS[rung].step,
    },
    funnel,
    funnelChart: funnelChart(funnel),
    answers: concept.question ? (answers as Omit<AnswerSummary, "texts">) : undefined,
    answerTexts,
    interviews: { total: data.interviews.total, latest: composeInterviews(concept, data.interviews.latest) },
    embed: embed && composeEmbedPanel(concept, embed),
    units: { people, visitorDays: data.exposure.visitors - people, returnVisits, unexposed, throwaway },
    direct: direct.some((row) => row.visitors > 0 || row.signups > 0) ? direct : [],
    verdict: shownConceptVerdict({
      criteria,
      counts: wholeTest,
      visitorsPerDay: visitorsPerDay(data.counts, period.today),
      lastDay: period.lastDay,
      decision: ideaDecision(data.decisions),
    }),
    testWindow,
    testPeriod: `${testWindow.from === EARLIEST_DAY ? "from the first data" : `from ${testWindow.from} (the test's start)`} to ${testWindow.to} (${testWindow.to === criteria.decideBy ? "the decision date" : "the last whole day"})`,
    reading: `${describeConceptReading(conceptReading(wholeTest, target), target)} (${READING_PRIOR})`,
    wholeTest,
    inRange: period.filtered ? sumCounts(countsIn(data.counts, period.window).values()) : undefined,
    criteria,
    srm: report.srm.mismatch
      ? {
          from: report.srm.from,
          observed: report.srm.observed.join(" / "),
          weights: report.srm.weights.join(" / "),
          pValue: pValueText(report.srm.pValue),
        }
      : undefined,
    lateStarts: report.variants
      .filter((row) => !row.isControl && row.comparedFrom > testWindow.from)
      .map((row) => ({
        id: row.id,
        what: LATE_START[row.change ?? "joined"],
        comparedFrom: row.comparedFrom,
        baselineVisitors: row.baseline.visitors,
        baselineConversion: formatPercent(row.baseline.rate),
      })),
    hasExperiment,
    variantsTitle: hasExperiment ? "Variants" : "Traffic",
    variants: report.variants.map((row) => ({
      id: row.id,
      isControl: row.isControl,
      weight: row.weight,
      figures: rated(row.counts),
      interval: `${formatPercent(row.interval.low)}–${formatPercent(row.interval.high)}`,
      comparison: row.comparison && {
        lift: formatLift(row.comparison.lift),
        interval: formatLiftInterval(row.comparison.interval).replace(" to ", " … "),
        pValue: pValueText(row.comparison.pValue),
        status: shown.get(row.id)?.status ?? row.comparison.status,
        outcome: shown.get(row.id)?.outcome ?? row.comparison.outcome,
      },
      best: formatChance(row.probabilityBest),
      probabilityBest: row.probabilityBest,
    })),
    reasons: report.variants.flatMap((row) => {
      const verdict = shown.get(row.id);
      return verdict
        ? [{ id: row.id, reason: verdict.reason, reading: row.reading && describeVariantReading(row.reading) }]
        : [];
    }),
    equivalenceRatio: 1 + criteria.minDetectableEffectPercent / 100,
    plan: planText(criteria, plannedPerArm),
    feasibility: composePlan(concept, data, { today: period.today, testWindow }),
    prior: READING_PRIOR,
    conversionChart: chart("line", "percent", (id) => series.get(id)?.cumulativeRate ?? []),
    signupsChart: chart("bar", "count", (id) => series.get(id)?.signups ?? []),
    sources: sourceGroups(data.sources),
    latest: data.latest.map((row) => ({
      email: row.email,
      name: row.name ?? "",
      // "" is a signup that named no variant and followed no recorded visit.
      variant: row.variant || "—",
      source: row.source,
      when: row.createdAt.toISOString().slice(0, 16).replace("T", " "),
      throwaway: row.throwaway,
    })),
  };
}
