/**
 * The randomised entry point /try/ (a link for a post or an ad): each new visitor is sent to
 * one live concept, drawn by the concepts' `tryWeight` (uniform by default), and kept there
 * by the `try` cookie as a variant is by its A/B cookie. Ideas reached this way share one
 * audience, one source and the same days: the overview compares them on that traffic.
 */
import type { Counts } from "./analytics";
import type { Concept } from "./concept";
import { AB_COOKIE_MAX_AGE_S, assignVariant, cookieAttributes, TRY_COOKIE } from "./experiments";

/** What the cookie holds: the concept drawn and the day of the first entry (UTC). No identifier. */
export interface TryEntry {
  concept: string;
  since: string;
}

/** The concepts /try/ can send a visitor to: the live ones (a paused or ended page takes no signup). */
export function tryCandidates<C extends Pick<Concept, "status">>(concepts: readonly C[]): C[] {
  return concepts.filter((concept) => concept.status === "live");
}

/** The candidate whose share of the `tryWeight`s covers `bucket` in [0, 1); undefined without candidates. */
export function assignConcept<C extends Pick<Concept, "slug" | "tryWeight">>(
  candidates: readonly C[],
  bucket: number,
): C | undefined {
  if (candidates.length === 0) return undefined;
  const drawn = assignVariant(
    candidates.map((concept) => ({ id: concept.slug, weight: concept.tryWeight })),
    bucket,
  );
  return candidates.find((concept) => concept.slug === drawn.id);
}

/**
 * Reads the `try` cookie from a Cookie header. A concept that is no longer a candidate
 * (paused, ended, removed) or a day after `today` (forged) is no entry: the visitor is
 * drawn again. Built once: /try/ reads it on every request.
 */
export function tryEntryReader(
  slugs: readonly string[],
): (cookieHeader: string | undefined, today: string) => TryEntry | undefined {
  const pattern = new RegExp(`(?:^|;\\s*)${TRY_COOKIE}=([a-z0-9-]+)\\.(\\d{4}-\\d{2}-\\d{2})(?:;|\\s|$)`);
  const known = new Set(slugs);
  return (cookieHeader, today) => {
    const [, concept, since] = (cookieHeader ? pattern.exec(cookieHeader) : null) ?? [];
    if (!concept || !since || !known.has(concept) || since > today) return undefined;
    return { concept, since };
  };
}

/** Set with the page, never refreshed: it ends at most 390 days (under 13 months) after the first entry. */
export function tryEntryCookie(entry: TryEntry, secure: boolean): string {
  return `${TRY_COOKIE}=${entry.concept}.${entry.since}${cookieAttributes(AB_COOKIE_MAX_AGE_S, secure)}`;
}

/** Fewer signups than this through /try/ across the live ideas, and P(best) would swing with each one. */
export const MIN_TRY_SIGNUPS = 10;

export interface IdeaTraffic {
  slug: string;
  /** The idea's target, as a rate (0.06 for 6 %). */
  target: number;
  /** All its traffic in the chosen days, and what came through /try/. */
  total: Counts;
  viaTry: Counts;
}

/**
 * Whether /try/ has brought enough traffic to compare the live ideas on it: every one has
 * at least 1/target visitors through it (one signup expected at its own target, the least
 * the Bayesian reading asks of an idea), and together they have MIN_TRY_SIGNUPS signups. The
 * rule counts each idea's visitors, not its signups: an idea nobody wants must not keep the
 * comparison from ever showing.
 */
export function enoughTryTraffic(ideas: readonly IdeaTraffic[]): boolean {
  const signups = ideas.reduce((sum, idea) => sum + idea.viaTry.signups, 0);
  return (
    ideas.length > 0 &&
    ideas.every((idea) => idea.viaTry.visitors >= Math.ceil(1 / idea.target)) &&
    signups >= MIN_TRY_SIGNUPS
  );
}

export interface IdeaComparison {
  /** Which traffic P(best) reads: the randomised /try/ traffic, or all of it. */
  basis: "try" | "all";
  /** Whether the ideas were compared on one audience (the /try/ traffic, or all traffic came through /try/). */
  sameAudience: boolean;
  /** Per live idea, in the order given: the counts P(best) reads. */
  counts: Counts[];
  /** The P(best) column's heading, and the sentence under the table. */
  heading: string;
  note: string;
}

const count = (n: number, unit: string) => `${n.toLocaleString("en")} ${unit}${n === 1 ? "" : "s"}`;

/**
 * What the "Which idea do people want?" table compares the live ideas on: the /try/
 * traffic once there is enough of it (randomised: one audience, one source, the same days),
 * else all traffic, with a plain word that the ideas then had different ads, sources and
 * periods. The verdicts are not this: they judge each idea against its own target on all its
 * traffic.
 */
export function compareIdeas(ideas: readonly IdeaTraffic[]): IdeaComparison {
  const viaTry = ideas.reduce((sum, idea) => sum + idea.viaTry.visitors, 0);
  const allThroughTry = viaTry > 0 && ideas.every((idea) => idea.viaTry.visitors === idea.total.visitors);
  const enough = enoughTryTraffic(ideas);
  // All traffic through /try/ is one audience whatever its size: no other traffic to prefer.
  if (enough || allThroughTry) {
    const signups = ideas.reduce((sum, idea) => sum + idea.viaTry.signups, 0);
    const through = `${count(viaTry, "visitor")} and ${count(signups, "signup")} that came through /try/`;
    return {
      basis: "try",
      sameAudience: true,
      counts: ideas.map((idea) => idea.viaTry),
      heading: "P(best), /try/ traffic",
      note: allThroughTry
        ? `Compared on the same audience: all traffic came through /try/, which sends each new visitor to one live idea at random (${through}).${enough ? "" : " Still little of it: P(best) swings with each signup."}`
        : `Compared on the same audience: P(best) reads only the ${through}, which sent each new visitor to one live idea at random. The other visitors (ads, links to an idea's own page) came from different sources on different days; they count in the other columns and in the verdicts, not in P(best).`,
    };
  }
  const waiting =
    viaTry === 0
      ? `A link to /try/ (in a post or an ad) sends each new visitor to one live idea at random; P(best) reads that traffic once every live idea has 1/target visitors through it and they have ${MIN_TRY_SIGNUPS} signups together.`
      : `/try/ has brought ${count(viaTry, "visitor")} so far; P(best) reads that traffic once every live idea has 1/target visitors through it and they have ${MIN_TRY_SIGNUPS} signups together.`;
  return {
    basis: "all",
    sameAudience: false,
    counts: ideas.map((idea) => idea.total),
    heading: "P(best)",
    note: `Not compared on the same audience: P(best) reads all traffic, and each idea had its own ads, sources and periods, so a difference may be the audience's, not the idea's. ${waiting}`,
  };
}
