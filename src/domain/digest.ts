/**
 * The weekly digest: ISO weeks in the founder's time zone, the week's figures judged
 * (`digestData`: verdicts, readings, criteria) and the email composed from them (HTML for
 * Gmail and Outlook — tables, inline CSS, bars made of cells — plus a plain-text part).
 * Pure: gathered figures come in, the email goes out.
 */

import { type Counts, criteriaProgress, formatPercent } from "./analytics";
import { conceptReading, describeConceptReading, READING_PRIOR } from "./bayes";
import { isoWeekRange, utcDay } from "./calendar";
import { type Concept, isPublished } from "./concept";
import {
  type Decision,
  ideaDecision,
  shownConceptVerdict,
  shownVariantVerdict,
  variantDecision,
  verdictWindow,
} from "./decision";
import type { EmailContent } from "./email";
import { emailBar, emailColors, emailFrame, VERDICT_COLOR } from "./email-html";
import { composeExperimentReport, type ExperimentData } from "./experiment-report";
import { escapeHtml } from "./html";
import { type AnswerCounts, composeAnswers, criterionLabel, judgedOn, type LadderCounts, NO_LADDER } from "./ladder";
import { type VariantOutcome, type VerdictStatus, verdictLabel } from "./verdict";

/** What the digest's numbers count, as the pages say it (README: "How it counts"). */
const DIGEST_UNITS =
  "The racine weekly digest. Visitors are people where the A/B cookie keeps them, visitor-days elsewhere; return visits are not visitors. Days in your time zone.";

/** The last UTC day of a week in a time zone: the verdicts read each test from its start up to it (verdictWindow). */
export function digestLastDay(week: string, timeZone: string): string {
  return utcDay(new Date(isoWeekRange(week, timeZone).end - 1));
}

/** Visitors, signups and confirmed signups of one concept, variant and source. */
export interface DigestRow {
  concept: string;
  variant: string;
  source: string;
  visitors: number;
  signups: number;
  confirmed: number;
}

export interface DigestTotal {
  visitors: number;
  signups: number;
  confirmed: number;
}

/** A week's figures as the store gathers them, before any verdict. */
export interface DigestFigures {
  week: string;
  timeZone: string;
  thisWeek: readonly DigestRow[];
  lastWeek: readonly DigestRow[];
  /** Per concept, everything up to the end of the week. */
  totals: ReadonlyMap<string, DigestTotal>;
  /** Per started concept, the day its test started. */
  testStarts: ReadonlyMap<string, string>;
  /** Per concept, its verdict window up to `digestLastDay` (what the verdict reads). */
  tests: ReadonlyMap<string, Counts>;
  /** Per concept with variants, its experiment over that window. */
  experiments: ReadonlyMap<string, ExperimentData>;
  /** The decision log, by concept (the digest shows those reached by the end of the week). */
  decisions: ReadonlyMap<string, readonly Decision[]>;
  /** Per concept, its intent ladder up to the week's last UTC day (the tier split). */
  ladders: ReadonlyMap<string, LadderCounts>;
  /** Per concept with a question, its answers up to the week's last UTC day. */
  answers: ReadonlyMap<string, AnswerCounts>;
}

/** The tiers a concept shows (its own, then those only a variant shows), each with its clicks and share of all tier clicks. */
function tierSplit(concept: Concept, ladder: LadderCounts): DigestConcept["tiers"] {
  const tiers = new Map<string, { name: string }>();
  for (const tier of [concept.tiers ?? [], ...concept.variants.map((v) => v.tiers ?? [])].flat()) {
    if (!tiers.has(tier.id)) tiers.set(tier.id, { name: tier.name });
  }
  const clicks = [...tiers.keys()].reduce((total, id) => total + (ladder.tiers[id] ?? 0), 0);
  return [...tiers].map(([id, { name }]) => {
    const count = ladder.tiers[id] ?? 0;
    return { name, count, share: clicks > 0 ? count / clicks : 0 };
  });
}

/** The three answers picked most so far (a text question: the three latest texts). */
function topAnswers(concept: Concept, counts: AnswerCounts | undefined): DigestConcept["answers"] {
  const summary = counts && composeAnswers(concept, counts, 3);
  if (!summary) return undefined;
  return {
    prompt: summary.prompt,
    answered: summary.answered,
    top:
      summary.kind === "text"
        ? summary.texts.slice(0, 3).map((text) => ({ label: text, count: 1, share: "" }))
        : summary.choices.map((c) => ({ label: c.label, count: c.count, share: c.share })),
  };
}

const sum = (rows: readonly DigestRow[], field: "signups" | "confirmed" | "visitors") =>
  rows.reduce((total, row) => total + row[field], 0);

/** The week's best sources: most signups, then most visitors. */
function topSources(rows: readonly DigestRow[], count: number): DigestConcept["sources"] {
  const bySource = new Map<string, { source: string; signups: number; visitors: number }>();
  for (const row of rows) {
    const entry = bySource.get(row.source) ?? { source: row.source, signups: 0, visitors: 0 };
    entry.signups += row.signups;
    entry.visitors += row.visitors;
    bySource.set(row.source, entry);
  }
  return [...bySource.values()].sort((a, b) => b.signups - a.signups || b.visitors - a.visitors).slice(0, count);
}

/**
 * The digest of the published concepts: the week's figures with each idea's verdict and
 * reading over everything up to the end of the week, its criteria, its best sources, and
 * each variant's week with its verdict against the control, as the admin page gives it.
 */
export function digestData(concepts: readonly Concept[], figures: DigestFigures): DigestData {
  const lastDay = digestLastDay(figures.week, figures.timeZone);
  return {
    week: figures.week,
    timeZone: figures.timeZone,
    concepts: concepts.filter(isPublished).map((concept): DigestConcept => {
      const mine = (rows: readonly DigestRow[]) => rows.filter((row) => row.concept === concept.slug);
      const week = mine(figures.thisWeek);
      const total = figures.totals.get(concept.slug) ?? { visitors: 0, signups: 0, confirmed: 0 };
      const target = concept.successCriteria.minConversionPercent / 100;
      // The same verdicts as the admin page's on that day: the test's own days, the decisions logged by then.
      const testWindow = verdictWindow(figures.testStarts.get(concept.slug), concept.successCriteria, lastDay);
      const test = figures.tests.get(concept.slug) ?? { visitors: 0, signups: 0 };
      const decisions = (figures.decisions.get(concept.slug) ?? []).filter((d) => d.reachedOn <= lastDay);
      const verdict = shownConceptVerdict({
        criteria: concept.successCriteria,
        counts: test,
        visitorsPerDay: sum(week, "visitors") / 7,
        lastDay,
        decision: ideaDecision(decisions),
      });
      const experiment = figures.experiments.get(concept.slug);
      const report = experiment && composeExperimentReport({ concept, data: experiment, testWindow, today: lastDay });
      return {
        slug: concept.slug,
        title: concept.title,
        status: concept.status,
        signups: sum(week, "signups"),
        signupsLastWeek: sum(mine(figures.lastWeek), "signups"),
        confirmed: sum(week, "confirmed"),
        visitors: sum(week, "visitors"),
        total,
        criteria: criteriaProgress(concept.successCriteria, test).map((c) => ({
          label: criterionLabel(c.key, c.label, concept.successCriteria.rung),
          progress: c.progress,
          met: c.met,
        })),
        verdict: {
          status: verdict.status,
          basis: verdict.basis,
          reason: verdict.reason,
          reading: `${describeConceptReading(conceptReading(test, target), target)} (${READING_PRIOR})`,
        },
        judgedOn: judgedOn(concept.successCriteria.rung),
        answers: topAnswers(concept, figures.answers.get(concept.slug)),
        tiers: concept.tiers ? tierSplit(concept, figures.ladders.get(concept.slug) ?? NO_LADDER) : [],
        sources: topSources(week, 3),
        variants: concept.variants.map((variant) => {
          const rows = week.filter((row) => row.variant === variant.id);
          const row = report?.variants.find((candidate) => candidate.id === variant.id);
          const comparison =
            row?.comparison &&
            shownVariantVerdict(row.comparison, variantDecision(decisions, variant.id, row.comparedFrom));
          return {
            id: variant.id,
            signups: sum(rows, "signups"),
            visitors: sum(rows, "visitors"),
            verdict: comparison && {
              status: comparison.status,
              outcome: comparison.outcome,
              reason: comparison.reason,
            },
          };
        }),
      };
    }),
  };
}

export interface DigestConcept {
  slug: string;
  title: string;
  status: string;
  signups: number;
  signupsLastWeek: number;
  confirmed: number;
  visitors: number;
  total: { signups: number; confirmed: number; visitors: number };
  /** Progress on each pre-registered criterion, 0–1, with a label. */
  criteria: { label: string; progress: number; met: boolean }[];
  /** The verdict, and the Bayesian reading shown beside it (a sentence, or absent). */
  verdict: { status: VerdictStatus; reason: string; reading?: string; basis?: "evidence" | "deadline" | undefined };
  sources: { source: string; signups: number; visitors: number }[];
  /** "judged on confirmed signups": the rung the verdict counts. */
  judgedOn: string;
  /** So far: the answers picked most (their label, count and share of those who answered), or the latest texts. */
  answers: { prompt: string; answered: number; top: { label: string; count: number; share: string }[] } | undefined;
  /** So far: the clicks per tier and their share of all tier clicks (0–1); empty without tiers. */
  tiers: { name: string; count: number; share: number }[];
  /** This week's figures per variant; the verdict against the control (none for the control). */
  variants: {
    id: string;
    signups: number;
    visitors: number;
    verdict?: { status: VerdictStatus; outcome: VariantOutcome; reason: string } | undefined;
  }[];
}

export interface DigestData {
  week: string;
  timeZone: string;
  concepts: DigestConcept[];
}

/** A digest carries no headers of its own (no unsubscribe: it goes to the founder). */
export type ComposedDigest = Omit<EmailContent, "headers">;

const change = (now: number, before: number) =>
  before === 0
    ? now === 0
      ? "="
      : "new"
    : `${now >= before ? "+" : "−"}${Math.round((Math.abs(now - before) / before) * 100)} %`;

const answerList = (top: NonNullable<DigestConcept["answers"]>["top"]) =>
  top.map((a) => (a.share ? `${a.label} ${a.share} (${a.count})` : `“${a.label}”`)).join(" · ");
const tierList = (tiers: DigestConcept["tiers"]) =>
  tiers.map((t) => `${t.name} ${formatPercent(t.share)} (${t.count})`).join(" · ");

/** The answers picked most so far, in one muted line. */
function answersHtml(concept: DigestConcept, cell: string): string {
  if (!concept.answers || concept.answers.top.length === 0) return "";
  return `<p style="${cell}font-size:12px;color:${emailColors.muted};margin:4px 0 0;">Top answers so far to “${escapeHtml(concept.answers.prompt)}” (${concept.answers.answered} answered): ${escapeHtml(answerList(concept.answers.top))}</p>`;
}

/** The tier split so far: one bar (a table of cells) per tier. */
function tiersHtml(concept: DigestConcept, cell: string): string {
  if (concept.tiers.length === 0) return "";
  const rows = concept.tiers
    .map(
      (t) =>
        `<tr><td style="${cell}font-size:12px;width:150px;">${escapeHtml(t.name)}</td><td style="${cell}">${emailBar(t.share, "#2e86ab", 140)}</td><td style="${cell}font-size:12px;padding-left:8px;">${formatPercent(t.share)} (${t.count})</td></tr>`,
    )
    .join("");
  return `<p style="${cell}font-size:12px;color:${emailColors.muted};margin:6px 0 0;">Tier split so far (visitors who clicked each tier):</p><table role="presentation" cellpadding="0" cellspacing="0" border="0">${rows}</table>`;
}

export function composeDigest(data: DigestData): ComposedDigest {
  const concepts = [...data.concepts].sort((a, b) => b.signups - a.signups || a.title.localeCompare(b.title));
  const signups = concepts.reduce((sum, c) => sum + c.signups, 0);
  const before = concepts.reduce((sum, c) => sum + c.signupsLastWeek, 0);
  const subject = `racine ${data.week}: ${signups} new signup${signups === 1 ? "" : "s"} (${change(signups, before)} vs the week before)`;
  const max = Math.max(1, ...concepts.map((c) => c.signups));
  const c = emailColors;
  const cell = `font-family:Arial,Helvetica,sans-serif;font-size:14px;color:${c.ink};padding:4px 0;`;

  const rows = concepts.map((concept) => {
    const rate = concept.visitors > 0 ? concept.signups / concept.visitors : 0;
    const criteria = concept.criteria
      .map(
        (criterion) =>
          `<tr><td style="${cell}font-size:12px;width:150px;">${escapeHtml(criterion.label)}${criterion.met ? " ✓" : ""}</td><td style="${cell}">${emailBar(criterion.progress, criterion.met ? c.accent : "#e07a2f", 180)}</td></tr>`,
      )
      .join("");
    const sources = concept.sources.map((s) => `${escapeHtml(s.source)} ${s.signups}/${s.visitors}`).join(" · ");
    const variants =
      concept.variants.length > 1
        ? `<p style="${cell}font-size:12px;color:${c.muted};margin:4px 0 0;">Variants this week: ${concept.variants
            .map(
              (v) =>
                `${escapeHtml(v.id)} ${v.signups}/${v.visitors} (${formatPercent(v.visitors ? v.signups / v.visitors : 0)})`,
            )
            .join(" · ")}</p>${concept.variants
            .flatMap((v) =>
              v.verdict
                ? [
                    `<p style="${cell}font-size:13px;margin:4px 0 0;">${escapeHtml(v.id)} vs control: <strong style="color:${VERDICT_COLOR[v.verdict.status]};">${escapeHtml(verdictLabel(v.verdict))}</strong> — ${escapeHtml(v.verdict.reason)}</p>`,
                  ]
                : [],
            )
            .join("")}`
        : "";
    return `<tr><td style="padding:14px 0;border-top:1px solid ${c.line};">
<p style="${cell}font-size:16px;font-weight:bold;margin:0;">${escapeHtml(concept.title)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%"><tr>
<td style="${cell}width:250px;">${emailBar(concept.signups / max, c.accent, 230)}</td>
<td style="${cell}font-weight:bold;">${concept.signups} signups <span style="font-weight:normal;color:${c.muted};">(${change(concept.signups, concept.signupsLastWeek)}, ${concept.confirmed} confirmed)</span></td>
</tr></table>
<p style="${cell}margin:0;">${concept.visitors} visitors this week · conversion ${formatPercent(rate)} · total ${concept.total.signups} signups (${concept.total.confirmed} confirmed) from ${concept.total.visitors} visitors</p>
<p style="${cell}margin:6px 0;"><strong style="color:${VERDICT_COLOR[concept.verdict.status]};">${escapeHtml(verdictLabel(concept.verdict))}</strong> <span style="color:${c.muted};">(${escapeHtml(concept.judgedOn)})</span> — ${escapeHtml(concept.verdict.reason)}</p>
${concept.verdict.reading ? `<p style="${cell}font-size:12px;color:${c.muted};margin:0 0 6px;">Bayesian reading, not the verdict: ${escapeHtml(concept.verdict.reading)}.</p>` : ""}
<table role="presentation" cellpadding="0" cellspacing="0" border="0">${criteria}</table>
${sources ? `<p style="${cell}font-size:12px;color:${c.muted};margin:4px 0 0;">Best sources (signups/visitors): ${sources}</p>` : ""}
${answersHtml(concept, cell)}${tiersHtml(concept, cell)}
${variants}
</td></tr>`;
  });

  const body = `<p style="margin:0;font-size:13px;color:${c.muted};">Week ${escapeHtml(data.week)} (${escapeHtml(data.timeZone)})</p>
<h1 style="margin:4px 0 16px;font-size:24px;font-family:Arial,Helvetica,sans-serif;">${signups} new signups <span style="font-size:16px;color:${c.muted};">${change(signups, before)} vs the week before</span></h1>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">${rows.join("")}</table>`;

  const text = [
    subject,
    "",
    DIGEST_UNITS,
    "",
    ...concepts.flatMap((concept) => [
      `${concept.title}: ${concept.signups} signups (${change(concept.signups, concept.signupsLastWeek)}), ${concept.confirmed} confirmed, ${concept.visitors} visitors, conversion ${formatPercent(concept.visitors ? concept.signups / concept.visitors : 0)}`,
      `  total: ${concept.total.signups} signups (${concept.total.confirmed} confirmed) from ${concept.total.visitors} visitors`,
      `  the verdict is ${concept.judgedOn}`,
      `  ${verdictLabel(concept.verdict)}: ${concept.verdict.reason}`,
      ...(concept.verdict.reading ? [`  Bayesian reading, not the verdict: ${concept.verdict.reading}.`] : []),
      ...concept.criteria.map(
        (criterion) => `  ${criterion.label}: ${Math.round(criterion.progress * 100)} %${criterion.met ? " ✓" : ""}`,
      ),
      ...(concept.sources.length > 0
        ? [`  best sources: ${concept.sources.map((s) => `${s.source} ${s.signups}/${s.visitors}`).join(", ")}`]
        : []),
      ...(concept.answers && concept.answers.top.length > 0
        ? [`  top answers so far to "${concept.answers.prompt}": ${answerList(concept.answers.top)}`]
        : []),
      ...(concept.tiers.length > 0 ? [`  tier split so far: ${tierList(concept.tiers)}`] : []),
      ...(concept.variants.length > 1
        ? [`  variants this week: ${concept.variants.map((v) => `${v.id} ${v.signups}/${v.visitors}`).join(", ")}`]
        : []),
      ...concept.variants.flatMap((v) =>
        v.verdict ? [`  ${v.id} vs control: ${verdictLabel(v.verdict)} — ${v.verdict.reason}`] : [],
      ),
      "",
    ]),
  ].join("\n");

  return {
    subject,
    html: emailFrame("en", subject, body, DIGEST_UNITS),
    text,
  };
}
