/**
 * The intent ladder: how far a concept's visitors climb past the email. Per variant (and
 * for the idea), each rung's count, its rate among visitors with the 95 % Wilson interval
 * every conversion of racine is printed with, and its rate among the rung it follows; the
 * tier clicks split by tier (each variant its own tiers); the answers to the concept's
 * question; the one compact line of the overview; and the names of the rungs a verdict
 * may judge. Pure: the store counts (src/server/store/ladder.ts), this composes.
 *
 * The rungs are not one chain. A tier click happens on the landing page, before (or
 * without) the form, so it is a share of visitors; the answer, the interview opt-in and
 * the reservation are each offered after joining and each may be skipped, so each is a
 * share of signups; a confirmation follows a signup. "Of the previous step" is therefore
 * the share of the rung each one follows (`base`), printed with its name.
 */

import { type ChartSpec, type Counts, formatPercent, paletteColor } from "./analytics";
import { applyVariant, type Concept, type Question, type Rung } from "./concept";
import type { Served } from "./experiment-report";
import { wilsonInterval } from "./stats";

/** A click on a fake-door tier, as the tier_clicks table keeps it (whether it counts, the database decides). */
export interface TierClick {
  concept: string;
  variant: string;
  tier: string;
  visitorHash: string;
  day: string;
  served: Served;
  createdAt: Date;
}

/** What the store counts per variant (or for the idea): each rung's people, and the tier clicks per tier. */
export interface LadderCounts {
  visitors: number;
  signups: number;
  confirmed: number;
  answered: number;
  /** Visitors who clicked at least one tier (one person clicking two tiers counts once here). */
  tier: number;
  interview: number;
  reservation: number;
  /** Tier id → visitors who clicked it. */
  tiers: Readonly<Record<string, number>>;
}

export const NO_LADDER: LadderCounts = Object.freeze({
  visitors: 0,
  signups: 0,
  confirmed: 0,
  answered: 0,
  tier: 0,
  interview: 0,
  reservation: 0,
  tiers: Object.freeze({}),
});

export type StepKey = "visitors" | Rung;

/** How each rung is named: in the funnel (a noun), and in "judged on …" (its numerator). */
export const RUNG_LABELS: Readonly<Record<StepKey, { step: string; judged: string; short: string }>> = {
  visitors: { step: "Visitors", judged: "visitors", short: "visitors" },
  signup: { step: "Signups", judged: "signups", short: "signups" },
  confirmed: { step: "Confirmed", judged: "confirmed signups", short: "confirmed" },
  answered: { step: "Answered the question", judged: "answers to the question", short: "answered" },
  tier: { step: "Clicked a tier", judged: "tier clicks", short: "tier clicks" },
  interview: { step: "Interview opt-in", judged: "interview opt-ins", short: "interview" },
  reservation: { step: "Reserved", judged: "reservations", short: "reserved" },
};

/** The rung each rung is a share of (see the module's comment). */
const BASE: Readonly<Record<Rung, StepKey>> = {
  signup: "visitors",
  confirmed: "signup",
  answered: "signup",
  tier: "visitors",
  interview: "signup",
  reservation: "signup",
};

/** "judged on confirmed signups": what pages, digest and report say of a concept's verdict. */
export function judgedOn(rung: Rung): string {
  return `judged on ${RUNG_LABELS[rung].judged}`;
}

/**
 * A success criterion's label for a concept judged on `rung`: the signups criterion names
 * the rung ("Confirmed"), the conversion says what it divides ("Conversion (tier clicks)").
 */
export function criterionLabel(key: "visitors" | "signups" | "conversion", label: string, rung: Rung): string {
  if (rung === "signup" || key === "visitors") return label;
  return key === "signups" ? RUNG_LABELS[rung].step : `${label} (${RUNG_LABELS[rung].short})`;
}

/** The rung's numerator among ladder counts. */
export function rungCount(counts: LadderCounts, rung: Rung): number {
  return rung === "signup" ? counts.signups : counts[rung];
}

/** The visitors and a rung's count: what a verdict on that rung reads. */
export function rungCounts(counts: LadderCounts, rung: Rung): Counts {
  return { visitors: counts.visitors, signups: rungCount(counts, rung) };
}

/** The rungs a concept has, in the order of the issue: a rung the concept does not offer is not shown. */
export function rungsOf(concept: Concept): Rung[] {
  const has: Record<Rung, boolean> = {
    signup: true,
    confirmed: concept.doubleOptIn || concept.successCriteria.rung === "confirmed",
    answered: concept.question !== undefined,
    tier: concept.tiers !== undefined,
    interview: concept.interview,
    reservation: concept.reservation,
  };
  return (["signup", "confirmed", "answered", "tier", "interview", "reservation"] as const).filter((r) => has[r]);
}

export interface LadderStep {
  key: StepKey;
  label: string;
  count: number;
  /** Among visitors, as a fraction, as printed, and its 95 % Wilson interval as printed. */
  rate: number;
  ofVisitors: string;
  interval: string;
  /** The interval's ends, as fractions (the chart's whiskers). */
  low: number;
  high: number;
  /** Among the rung it follows ("of signups"); absent for the visitors and the rungs of visitors. */
  ofBase: { label: string; share: string } | undefined;
  /** The bar's length, in whole percents of the visitors (at least 1 for a non-zero count, so it shows). */
  bar: number;
  /** Whether the verdict judges this rung. */
  judged: boolean;
}

export interface TierStep {
  id: string;
  name: string;
  price: string;
  count: number;
  ofVisitors: string;
  /** Share of the visitors who clicked a tier. */
  ofClicks: string;
  bar: number;
}

export interface Ladder {
  /** A variant id, or undefined for the idea (all variants). */
  variant: string | undefined;
  steps: LadderStep[];
  /** The tiers this variant showed, in its order (empty without tiers). */
  tiers: TierStep[];
}

const share = (part: number, whole: number) => (whole > 0 ? formatPercent(part / whole) : "—");
const barOf = (part: number, whole: number) =>
  part > 0 && whole > 0 ? Math.max(1, Math.round((100 * part) / whole)) : 0;

/** "€15 / month", "$22 / month", "€49 once": a tier's price as the funnel prints it. */
export function formatPrice(price: Concept["price"]): string {
  const symbol: Record<string, string> = { EUR: "€", USD: "$", GBP: "£" };
  const amount = Number.isInteger(price.amount) ? String(price.amount) : price.amount.toFixed(2);
  const money = symbol[price.currency] ? `${symbol[price.currency]}${amount}` : `${amount} ${price.currency}`;
  return price.period === "once" ? `${money} once` : `${money} / ${price.period}`;
}

/** One ladder: the steps `concept` offers, and the tiers `variant` showed (the concept's own for the idea). */
export function composeLadder(concept: Concept, counts: LadderCounts, variant?: string): Ladder {
  const judged = concept.successCriteria.rung;
  const visitors = counts.visitors;
  const step = (key: StepKey, count: number): LadderStep => {
    const interval = wilsonInterval(count, visitors);
    const base = key === "visitors" ? undefined : BASE[key];
    const baseCount = base === undefined ? 0 : base === "visitors" ? visitors : rungCount(counts, base);
    return {
      key,
      label: RUNG_LABELS[key].step,
      count,
      rate: visitors > 0 ? count / visitors : 0,
      ofVisitors: key === "visitors" ? "100 %" : share(count, visitors),
      interval: key === "visitors" ? "" : `${formatPercent(interval.low)}–${formatPercent(interval.high)}`,
      low: interval.low,
      high: interval.high,
      ofBase:
        base === undefined || base === "visitors"
          ? undefined
          : { label: `of ${RUNG_LABELS[base].short}`, share: share(count, baseCount) },
      bar: key === "visitors" ? (visitors > 0 ? 100 : 0) : barOf(count, visitors),
      judged: key === judged,
    };
  };
  const shown = variant === undefined ? concept : applyVariant(concept, variant);
  return {
    variant,
    steps: [step("visitors", visitors), ...rungsOf(concept).map((rung) => step(rung, rungCount(counts, rung)))],
    tiers: (shown.tiers ?? []).map((tier) => {
      const count = counts.tiers[tier.id] ?? 0;
      return {
        id: tier.id,
        name: tier.name,
        price: formatPrice(tier.price),
        count,
        ofVisitors: share(count, visitors),
        ofClicks: share(count, counts.tier),
        bar: barOf(count, visitors),
      };
    }),
  };
}

/** The sum of some ladders' counts (the idea from its variants). */
export function sumLadders(all: Iterable<LadderCounts>): LadderCounts {
  const total = { ...NO_LADDER, tiers: {} as Record<string, number> };
  for (const c of all) {
    total.visitors += c.visitors;
    total.signups += c.signups;
    total.confirmed += c.confirmed;
    total.answered += c.answered;
    total.tier += c.tier;
    total.interview += c.interview;
    total.reservation += c.reservation;
    for (const [id, n] of Object.entries(c.tiers)) total.tiers[id] = (total.tiers[id] ?? 0) + n;
  }
  return total;
}

export interface Funnel {
  /** "judged on confirmed signups". */
  judgedOn: string;
  rung: Rung;
  /** The idea, all variants together. */
  idea: Ladder;
  /** One per variant, the control first; empty for a concept with one variant (the idea says it all). */
  variants: Ladder[];
}

/** The concept page's funnel: the idea's ladder and each variant's, from per-variant counts. */
export function composeFunnel(concept: Concept, byVariant: ReadonlyMap<string, LadderCounts>): Funnel {
  const rung = concept.successCriteria.rung;
  return {
    judgedOn: judgedOn(rung),
    rung,
    idea: composeLadder(concept, sumLadders(byVariant.values())),
    variants:
      concept.variants.length > 1
        ? concept.variants.map((v) => composeLadder(concept, byVariant.get(v.id) ?? NO_LADDER, v.id))
        : [],
  };
}

/**
 * The funnel as a bar chart: each rung past the visitors, its share of visitors per variant
 * (the idea alone without variants), with the 95 % interval as whiskers.
 */
export function funnelChart(funnel: Funnel): ChartSpec {
  const ladders = funnel.variants.length > 0 ? funnel.variants : [funnel.idea];
  const steps = (ladders[0]?.steps ?? []).filter((step) => step.key !== "visitors");
  const of = (ladder: Ladder) => steps.map((step) => ladder.steps.find((s) => s.key === step.key));
  return {
    kind: "bar",
    format: "percent",
    labels: steps.map((step) => step.label),
    datasets: ladders.map((ladder, index) => ({
      label: ladder.variant ?? "all visitors",
      color: paletteColor(index),
      data: of(ladder).map((step) => step?.rate ?? 0),
      low: of(ladder).map((step) => step?.low ?? 0),
      high: of(ladder).map((step) => step?.high ?? 0),
    })),
  };
}

/**
 * The overview's compact line: "1,204 visitors → 52 signups 4.3 % → 41 confirmed 79 % → …",
 * each rung with its share of the rung it follows (of visitors for the signups and the tier clicks).
 */
export function ladderLine(concept: Concept, counts: LadderCounts): string {
  const { steps } = composeLadder(concept, counts);
  return steps
    .map((s) =>
      s.key === "visitors"
        ? `${s.count.toLocaleString("en")} visitors`
        : `${s.count.toLocaleString("en")} ${RUNG_LABELS[s.key].short} ${s.ofBase?.share ?? s.ofVisitors}`,
    )
    .join(" → ");
}

/** Per choice (an option id) the signups that picked it; for a text question, the latest texts. */
export interface AnswerCounts {
  choices: Readonly<Record<string, number>>;
  /** Signups that answered (a multiple choice may count in several options). */
  answered: number;
  /** Newest first, for a text question only. */
  texts: readonly string[];
}

export interface AnswerSummary {
  prompt: string;
  kind: Question["kind"];
  answered: number;
  /** Choices, most picked first (ties in the concept's order); a text question has none. */
  choices: { id: string; label: string; count: number; share: string; bar: number }[];
  texts: readonly string[];
}

/** The answers to the concept's question, most picked first; undefined when it asks none. */
export function composeAnswers(
  concept: Concept,
  counts: AnswerCounts,
  top = Number.POSITIVE_INFINITY,
): AnswerSummary | undefined {
  const question = concept.question;
  if (!question) return undefined;
  const options = question.kind === "text" ? [] : question.options;
  const choices = options
    .map((option, index) => ({ option, index, count: counts.choices[option.id] ?? 0 }))
    .sort((a, b) => b.count - a.count || a.index - b.index)
    .slice(0, top)
    .map(({ option, count }) => ({
      id: option.id,
      label: option.label,
      count,
      share: share(count, counts.answered),
      bar: barOf(count, counts.answered),
    }));
  return { prompt: question.prompt, kind: question.kind, answered: counts.answered, choices, texts: counts.texts };
}

/** An answer as stored (option ids, or a text) in words: the options' labels joined, or the text. */
export function answerText(concept: Pick<Concept, "question">, answer: readonly string[] | string | null): string {
  if (answer === null) return "";
  if (typeof answer === "string") return answer;
  const question = concept.question;
  const labels = new Map(question && question.kind !== "text" ? question.options.map((o) => [o.id, o.label]) : []);
  return answer.map((id) => labels.get(id) ?? id).join("; ");
}

/** A signup who said yes to an interview, as the store reads it (admin only: it has the address). */
export interface InterviewOptIn {
  email: string;
  name: string | null;
  variant: string;
  /** The preferred contact time as typed, if any. */
  when: string | null;
  answer: string[] | string | null;
  tier: string | null;
  optedInAt: Date;
}

/** The interview list as the concept page prints it, with a ready mailto link. */
export interface InterviewLine {
  email: string;
  mailto: string;
  name: string;
  variant: string;
  when: string;
  answer: string;
  tier: string;
  optedIn: string;
}

/** The subject of the founder's first email to an interviewee, in the concept's language. */
const INTERVIEW_SUBJECT: Record<Concept["lang"], (title: string) => string> = {
  fr: (title) => `${title} : 15 minutes pour en parler ?`,
  en: (title) => `${title}: 15 minutes to talk?`,
};

export function composeInterviews(concept: Concept, rows: readonly InterviewOptIn[]): InterviewLine[] {
  const subject = encodeURIComponent(INTERVIEW_SUBJECT[concept.lang](concept.title));
  const tierNames = new Map(
    [concept.tiers ?? [], ...concept.variants.map((v) => v.tiers ?? [])].flat().map((t) => [t.id, t.name]),
  );
  return rows.map((row) => ({
    email: row.email,
    mailto: `mailto:${encodeURIComponent(row.email).replace("%40", "@")}?subject=${subject}`,
    name: row.name ?? "",
    variant: row.variant || "—",
    when: row.when ?? "",
    answer: answerText(concept, row.answer),
    tier: row.tier ? (tierNames.get(row.tier) ?? row.tier) : "",
    optedIn: row.optedInAt.toISOString().slice(0, 16).replace("T", " "),
  }));
}
