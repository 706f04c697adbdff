/**
 * The report of every published concept, for `npm run report` and `/admin/report.json`:
 * status, verdict, test window, counts, variants with their outcome and P(best), and the
 * planner's figures. Composed from the admin pages' own view models (composeOverview,
 * composeConceptPage) on the same gathered data, so that the pages and the report cannot
 * disagree. Descriptive counts follow the chosen days; verdicts, variants and the plan
 * read the whole test, whatever the days. Pure: the store gathers `ReportData`.
 */
import type { Counts } from "./analytics";
import type { Concept, Rung } from "./concept";
import { type ConceptPageData, composeConceptPage } from "./concept-page";
import type { AdminPeriod, DayWindow } from "./experiment-report";
import { type Ladder, RUNG_LABELS, type StepKey } from "./ladder";
import { composeOverview, type OverviewData } from "./overview";
import type { VariantOutcome, VerdictStatus } from "./verdict";

/** Everything the report reads, as the store gathers it: the overview's data and each published concept's page data. */
export interface ReportData {
  overview: OverviewData;
  pages: ReadonlyMap<string, ConceptPageData>;
}

export interface ReportVerdict {
  status: VerdictStatus;
  reason: string;
  /** "evidence" or "deadline" once decided; absent while "keep testing". */
  basis?: "evidence" | "deadline";
  /**
   * The day the verdict was first reached (YYYY-MM-DD), once a decision log records it;
   * absent until then, and while the verdict is "keep testing".
   */
  reachedOn?: string;
}

export interface ReportVariant {
  id: string;
  isControl: boolean;
  weight: number;
  /** Against the control; absent for the control itself. */
  outcome?: VariantOutcome;
  status?: VerdictStatus;
  /** The visitors and signups the comparison read: from `comparedFrom` to the end of the test window. */
  visitors: number;
  signups: number;
  comparedFrom: string;
  /** Chance of converting best among the variants, over the current split (0–1). */
  probabilityBest: number;
}

export interface ReportPlan {
  visitorsPerDay: number;
  traffic: "observed" | "assumed";
  deadline: string;
  daysLeft: number;
  /** Days until the idea and every variant are planned to be decided; null when out of reach or without traffic. */
  daysNeeded: number | null;
  inTime: boolean;
  /** When not in time: visitors a day that would conclude by the deadline; null otherwise. */
  visitorsPerDayNeeded: number | null;
  idea: { daysToMinimums: number | null; visitorsToValidate: number | null; daysToValidate: number | null };
  /** Absent without variants. */
  variants?: {
    visitorsNeeded: number | null;
    daysNeeded: number | null;
    smallestDetectableLift: number | null;
  };
  summary: string;
  changes: string[];
}

/** One rung of the ladder in the chosen days: its count and share of visitors (0–1). */
export interface ReportStep {
  step: StepKey;
  count: number;
  rate: number;
}

/** A ladder in the chosen days: its rungs and the clicks per tier. */
export interface ReportLadder {
  steps: ReportStep[];
  tiers: { id: string; name: string; count: number }[];
}

export interface ConceptReport {
  slug: string;
  title: string;
  status: Concept["status"];
  /** The rung the verdict counts (signup, confirmed, tier, answered, interview, reservation), and in words. */
  rung: Rung;
  judgedOn: string;
  verdict: ReportVerdict;
  /** The days the verdict reads: the whole test. */
  window: DayWindow;
  /** In the chosen days (descriptive; visitor-days). */
  visitors: number;
  signups: number;
  /** Double opt-in, all time. */
  joined: number;
  confirmed: number;
  /** The whole test, what the verdict reads (`signups`: the judged rung's count). */
  wholeTest: Counts;
  variants: ReportVariant[];
  /** The intent ladder in the chosen days: the idea's, and each variant's when there are several. */
  ladder: ReportLadder & { variants: (ReportLadder & { id: string })[] };
  /** The answers to the question in the chosen days, per option (most picked first); absent without a question. */
  answers?: { prompt: string; answered: number; choices: { id: string; label: string; count: number }[] };
  plan: ReportPlan;
}

export interface Report {
  today: string;
  /** The chosen days of the descriptive counts. */
  range: DayWindow & { filtered: boolean };
  /** What a visitor is: one person on one day, per concept. */
  unit: "visitor-days";
  concepts: ConceptReport[];
}

const orNull = (n: number | undefined) => (n === undefined ? null : n);

const reportLadder = (ladder: Ladder): ReportLadder => ({
  steps: ladder.steps.map((step) => ({ step: step.key, count: step.count, rate: step.rate })),
  tiers: ladder.tiers.map((tier) => ({ id: tier.id, name: tier.name, count: tier.count })),
});

export function composeReport(concepts: readonly Concept[], data: ReportData, period: AdminPeriod): Report {
  const overview = composeOverview(concepts, data.overview, period);
  return {
    today: period.today,
    range: { ...period.window, filtered: period.filtered },
    unit: "visitor-days",
    concepts: overview.concepts.map((row): ConceptReport => {
      const concept = concepts.find((candidate) => candidate.slug === row.slug);
      const pageData = data.pages.get(row.slug);
      if (!concept || !pageData) throw new Error(`no page data was gathered for ${row.slug}`);
      const page = composeConceptPage(concept, pageData, period);
      const { verdict } = page;
      const plan = page.feasibility.figures;
      return {
        slug: row.slug,
        title: row.title,
        status: row.status,
        rung: page.funnel.rung,
        judgedOn: page.judged.text,
        verdict: {
          status: verdict.status,
          reason: verdict.reason,
          ...(verdict.basis ? { basis: verdict.basis } : {}),
          ...(verdict.reachedOn ? { reachedOn: verdict.reachedOn } : {}),
        },
        window: page.testWindow,
        visitors: row.total.visitors,
        signups: row.total.signups,
        joined: row.joined,
        confirmed: row.confirmed,
        wholeTest: page.wholeTest,
        variants: page.variants.map((line) => ({
          id: line.id,
          isControl: line.isControl,
          weight: line.weight,
          ...(line.comparison ? { outcome: line.comparison.outcome, status: line.comparison.status } : {}),
          visitors: line.figures.visitors,
          signups: line.figures.signups,
          comparedFrom: page.lateStarts.find((late) => late.id === line.id)?.comparedFrom ?? page.testWindow.from,
          probabilityBest: line.probabilityBest,
        })),
        ladder: {
          ...reportLadder(page.funnel.idea),
          variants: page.funnel.variants.map((ladder) => ({ id: ladder.variant ?? "", ...reportLadder(ladder) })),
        },
        ...(page.answers
          ? {
              answers: {
                prompt: page.answers.prompt,
                answered: page.answers.answered,
                choices: page.answers.choices.map(({ id, label, count }) => ({ id, label, count })),
              },
            }
          : {}),
        plan: {
          visitorsPerDay: plan.visitorsPerDay,
          traffic: plan.traffic,
          deadline: plan.deadline.day,
          daysLeft: plan.deadline.daysLeft,
          daysNeeded: orNull(plan.daysNeeded),
          inTime: plan.inTime,
          visitorsPerDayNeeded: orNull(plan.visitorsPerDayNeeded),
          idea: {
            daysToMinimums: orNull(plan.idea.daysToMinimums),
            visitorsToValidate: orNull(plan.idea.visitors),
            daysToValidate: orNull(plan.idea.days),
          },
          ...(plan.variants
            ? {
                variants: {
                  visitorsNeeded: orNull(plan.variants.visitors),
                  daysNeeded: orNull(plan.variants.days),
                  smallestDetectableLift: orNull(plan.variants.smallestLift),
                },
              }
            : {}),
          summary: page.feasibility.summary,
          changes: page.feasibility.changes,
        },
      };
    }),
  };
}

/** The text form of `npm run report`: a compact table per concept. */
export function formatReport(report: Report): string {
  const blocks = report.concepts.map((concept) => {
    const rows: [string, string][] = [
      ["verdict", `${concept.verdict.status}${concept.verdict.basis === "deadline" ? " (deadline)" : ""}`],
      ["why", `${concept.judgedOn}: ${concept.verdict.reason}`],
      [
        "ladder",
        concept.ladder.steps
          .map((step) => `${step.count.toLocaleString("en")} ${RUNG_LABELS[step.step].short}`)
          .join(" → ") +
          (concept.ladder.tiers.length > 0
            ? ` (tiers: ${concept.ladder.tiers.map((tier) => `${tier.name} ${tier.count}`).join(", ")})`
            : ""),
      ],
      [
        report.range.filtered ? "chosen days" : "whole test",
        `${concept.visitors.toLocaleString("en")} visitors, ${concept.signups.toLocaleString("en")} signups`,
      ],
      ...concept.variants
        .filter((variant) => !variant.isControl)
        .map((variant): [string, string] => [
          `  ${variant.id}`,
          `${variant.outcome ?? "—"}, ${variant.visitors.toLocaleString("en")} visitors, ${variant.signups.toLocaleString("en")} signups, P(best) ${(variant.probabilityBest * 100).toFixed(0)} %`,
        ]),
      ["plan", concept.plan.summary],
      ...concept.plan.changes.map((change): [string, string] => ["  change", change]),
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    return [
      `${concept.title} — ${concept.slug} (${concept.status})`,
      ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    ].join("\n");
  });
  const range = report.range.filtered ? `, counts from ${report.range.from} to ${report.range.to}` : "";
  return `racine report, ${report.today} (visitors are visitor-days${range})\n\n${blocks.join("\n\n")}\n`;
}
