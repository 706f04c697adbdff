/**
 * A/B experiments on a concept's landing page: which variant a visitor gets (and keeps,
 * through the A/B cookie), which visit of a person a view is, and over which period two
 * variants can be compared fairly when the split or an offer changed mid-test.
 */
import { createHash } from "node:crypto";
import { DAY_MS } from "./calendar";
import { applyVariant, type Concept, type Variant } from "./concept";
import type { Served } from "./experiment-report";

/** A visitor's fixed point in [0, 1), derived from the daily visitor hash (so sticky for the day). */
export function assignmentBucket(visitorHash: string): number {
  return createHash("sha256").update(`variant:${visitorHash}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** The variant whose share of the weights covers `bucket` (weights need not sum to 1). */
export function assignVariant<V extends Pick<Variant, "id" | "weight">>(variants: readonly V[], bucket: number): V {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let edge = 0;
  for (const variant of variants) {
    edge += variant.weight / total;
    if (bucket < edge) return variant;
  }
  const last = variants.at(-1);
  if (!last) throw new Error("a concept has at least one variant");
  return last;
}

/**
 * The A/B cookie keeps a returning visitor on the variant the split first gave them, across
 * days and addresses. It holds only that variant and the day of that first exposure
 * (`ab_<slug>=<variant>.<YYYY-MM-DD>`): no identifier. It is set with the page, never
 * refreshed (so it ends at most 13 months after the first visit: 390 days is under the
 * shortest 13 months), and only on concepts with more than one variant.
 */
export const AB_COOKIE_PREFIX = "ab_";
/** The record of a visitor's objection: with it, no A/B cookie is read or written. */
export const AB_OPT_OUT_COOKIE = "no_ab";
/**
 * The randomised entry point's cookie (`try=<slug>.<YYYY-MM-DD>`, src/domain/try-entry.ts):
 * the concept /try/ drew and the day of that first entry, with the A/B cookie's attributes.
 */
export const TRY_COOKIE = "try";
export const AB_COOKIE_MAX_AGE_S = (390 * DAY_MS) / 1000;

/** Whether a concept's variants stay put through the cookie: a site setting and a concept setting, both on. */
export function usesAbCookie(concept: Pick<Concept, "variants" | "abCookie">, siteAllows: boolean): boolean {
  return siteAllows && concept.abCookie && concept.variants.length > 1;
}

export interface Assignment {
  variant: string;
  /** The day of the first exposure (YYYY-MM-DD, UTC). */
  since: string;
}

/**
 * Reads one concept's A/B cookie from a Cookie header. A value that names no variant of
 * the concept (removed since) or a day after `today` (forged) is no assignment at all;
 * nor is one made before `splitSince`, the first whole day of the current split: after a
 * weight, variant or offer change the comparison restarts, and a person assigned under the
 * old split would carry its weights (and their later signups) into the new one — they are
 * randomised again. Built once per concept: the view path calls it on every page view.
 */
export function assignmentReader(
  slug: string,
  variants: readonly Pick<Variant, "id">[],
  splitSince: string,
): (cookieHeader: string | undefined, today: string) => Assignment | undefined {
  const pattern = new RegExp(`(?:^|;\\s*)${AB_COOKIE_PREFIX}${slug}=([a-z0-9-]+)\\.(\\d{4}-\\d{2}-\\d{2})(?:;|\\s|$)`);
  const ids = new Set(variants.map((variant) => variant.id));
  return (cookieHeader, today) => {
    const match = cookieHeader ? pattern.exec(cookieHeader) : null;
    const [, variant, since] = match ?? [];
    if (!variant || !since || !ids.has(variant) || since > today || since < splitSince) return undefined;
    return { variant, since };
  };
}

const OPT_OUT = new RegExp(`(?:^|;\\s*)${AB_OPT_OUT_COOKIE}=1(?:;|\\s|$)`);
// The /try/ entry's cookie goes with the A/B cookies: it is one of them, told in the same notice.
const AB_COOKIE_NAMES = new RegExp(`(?<=^|;\\s*)(?:${AB_COOKIE_PREFIX}[a-z0-9-]+|${TRY_COOKIE})(?==)`, "g");

/** Whether the visitor objected to the A/B cookie (its flag is the only cookie then read). */
export function optedOutOfAbCookie(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && OPT_OUT.test(cookieHeader);
}

export const cookieAttributes = (maxAge: number, secure: boolean) =>
  `; Max-Age=${maxAge}; Path=/; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;

export function assignmentCookie(slug: string, assignment: Assignment, secure: boolean): string {
  return `${AB_COOKIE_PREFIX}${slug}=${assignment.variant}.${assignment.since}${cookieAttributes(AB_COOKIE_MAX_AGE_S, secure)}`;
}

/**
 * The Set-Cookie headers of an objection: every A/B cookie (and the /try/ one) the request carries cleared, and
 * the flag that records the objection (the CNIL accepts a cookie that only stores a refusal).
 */
export function optOutCookies(cookieHeader: string | undefined, secure: boolean): string[] {
  const names = new Set((cookieHeader ?? "").match(AB_COOKIE_NAMES) ?? []);
  return [
    ...[...names].map((name) => `${name.trim()}=${cookieAttributes(0, secure)}`),
    `${AB_OPT_OUT_COOKIE}=1${cookieAttributes(AB_COOKIE_MAX_AGE_S, secure)}`,
  ];
}

/** Which visit of a person a view is (the `exposure` of views and signups). */
export type ViewExposure = "first" | "return" | "day";

/**
 * With an assignment, the view of its variant through the split on the day it was made is
 * the person's first exposure; any other view (a later day, another variant's own URL) is a
 * return visit. Without one (cookieless, objected, cookies blocked, an ad's direct URL
 * before any split visit), a view is a visitor-day.
 */
export function exposureOf(
  assignment: Assignment | undefined,
  view: { variant: string; served: Served; day: string },
): ViewExposure {
  if (!assignment) return "day";
  // Through /try/ the concept's own split picked the variant too: that is a first exposure as well.
  const first = view.served !== "direct" && view.variant === assignment.variant && view.day === assignment.since;
  return first ? "first" : "return";
}

export interface Attribution {
  /** "" when nothing tells which variant the person saw: never the control by default. */
  variant: string;
  served: Served;
  exposure: ViewExposure | "none";
}

/**
 * Which variant a signup counts for, and after which exposure: the variant the form (or
 * the API call) names, else the concept's only one, else the cookie's, else the only one
 * this visitor-day was shown. It
 * counts for that variant only after a recorded visit of it today (the view's hash) or the
 * cookie's record of it; otherwise it is kept but `none`, out of the A/B comparison.
 */
export function attributeSignup({
  requested,
  only,
  assignment,
  visits,
  today,
}: {
  requested: string | undefined;
  /** The concept's variant when it has a single one: nothing to guess, nothing compared. */
  only?: string | undefined;
  assignment: Assignment | undefined;
  visits: readonly { variant: string; served: Served; exposure: ViewExposure }[];
  today: string;
}): Attribution {
  const variant = requested ?? only ?? assignment?.variant ?? (visits.length === 1 ? visits[0]?.variant : undefined);
  if (variant === undefined) return { variant: "", served: "split", exposure: "none" };
  // A randomised visit (split or /try/) first: a person who also came by an ad today is the comparison's.
  const visit =
    visits.find((candidate) => candidate.variant === variant && candidate.served !== "direct") ??
    visits.find((candidate) => candidate.variant === variant);
  if (visit) return { variant, served: visit.served, exposure: visit.exposure };
  // The cookie without a recorded visit today: an earlier day's first exposure was counted
  // (a return); today's was not (no JavaScript, a blocked beacon), so nothing counts it.
  if (assignment?.variant === variant && assignment.since < today) {
    return { variant, served: "split", exposure: "return" };
  }
  return { variant, served: "split", exposure: "none" };
}

/**
 * The lift a cookieless test reads when a share `later` of signups comes on a later visit
 * than the first exposure: those visitors are re-randomised, so their signups split
 * between the arms in proportion to the arms' traffic (evenly, for two equal arms) instead
 * of following the variant that convinced them. With 30 % later, a true +30 % reads ≈ +20 %.
 */
export function dilutedLift(trueLift: number, later: number): number {
  const treatment = (1 - later) * (1 + trueLift) + (later * (2 + trueLift)) / 2;
  const control = 1 - later + (later * (2 + trueLift)) / 2;
  return treatment / control - 1;
}

/** FIELD-NOTES' example: the cost of going cookieless is read at this lift. */
const EXAMPLE_LIFT = 0.3;
/** Below this many signups with the cookie, the share is not measured but assumed (FIELD-NOTES: 30 %). */
const MIN_MEASURED_SIGNUPS = 20;
const ASSUMED_LATER_SHARE = 0.3;

const percent = (x: number) => `${Math.round(x * 100)} %`;

/**
 * What a cookieless test costs, as the overview prints it: the share of signups that came on
 * a later day than the person's first visit (measured where the A/B cookie exists, else
 * assumed) and what it does to a +30 % lift and to the traffic needed to see it.
 */
export function describeCookieCost(signups: { first: number; later: number }, siteCookie: boolean): string {
  const withCookie = signups.first + signups.later;
  const measured = withCookie >= MIN_MEASURED_SIGNUPS;
  const share = measured ? signups.later / withCookie : ASSUMED_LATER_SHARE;
  const reads = dilutedLift(EXAMPLE_LIFT, share);
  const traffic = reads > 0 ? (EXAMPLE_LIFT / reads) ** 2 : Number.POSITIVE_INFINITY;
  const basis = measured
    ? `${percent(share)} of the signups made with the A/B cookie (${signups.later.toLocaleString("en")} of ${withCookie.toLocaleString("en")}) came on a later day than the person's first visit.`
    : `${siteCookie ? "Too few signups carry the A/B cookie yet" : "The site is cookieless (AB_COOKIE=off)"} to measure how many come on a later visit; say ${percent(share)}.`;
  return `${basis} Cookieless, those visitors are re-randomised every day and their signups are shared between the variants: a true +${percent(EXAMPLE_LIFT)} lift would read about +${percent(reads)} and need about ${traffic.toFixed(1)}× the traffic to be seen.`;
}

/**
 * The split and the offers in force from `startedAt` (ms) on: variant id → weight, and
 * variant id → fingerprint of what its visitors were offered. Epochs recorded before
 * offers were fingerprinted have no `content`: for them only the weights are known.
 */
export interface ExperimentEpoch {
  startedAt: number;
  weights: Record<string, number>;
  content?: Record<string, string>;
}

export function weightsOf(variants: readonly Pick<Variant, "id" | "weight">[]): Record<string, number> {
  return Object.fromEntries(variants.map((variant) => [variant.id, variant.weight]));
}

/** JSON with sorted keys: the same offer gives the same text whatever order its file lists the fields in. */
const canonical = (value: unknown): string =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? `{${Object.keys(value)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
        .join(",")}}`
    : JSON.stringify(value ?? null);

/**
 * Variant id → a short hash of what its page offers: every field a variant can override
 * (headline, tagline, price, cta, hero, tiers), with the concept's own where it does not. A
 * price edit, in the variant or in the concept's shared offer, changes it; the story,
 * benefits or FAQ (the same for every variant) do not.
 */
export function contentOf(concept: Concept): Record<string, string> {
  return Object.fromEntries(
    concept.variants.map((variant) => {
      const { headline, tagline, price, cta, hero, tiers } = applyVariant(concept, variant.id);
      // Tiers only when there are some: a concept without them keeps the fingerprint it had before tiers existed.
      const offer = canonical({ headline, tagline, price, cta, hero, ...(tiers ? { tiers } : {}) });
      return [variant.id, createHash("sha256").update(offer).digest("hex").slice(0, 16)];
    }),
  );
}

/** The same keys with the same values, in any order: for weights and for content fingerprints. */
export function sameEntries<T>(a: Record<string, T>, b: Record<string, T>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Why a comparison starts later than the test: the variant (or the control) joined, was re-weighted, or changed its offer. */
export type ComparisonChange = "joined" | "re-weighted" | "changed";

export interface ComparisonStart {
  /** ms; 0 means "from the beginning". */
  since: number;
  /** What ended the epoch before `since`; absent when the comparison runs from the beginning. */
  change?: ComparisonChange;
}

/**
 * Since when `variant` and `control` have been split in the same ratio with the same
 * offers: comparing them over a longer period would mix days when one of them got a
 * different share of traffic (added or re-weighted mid-test) or showed another page (a
 * price edit), and with it a different audience or a different question. Epochs are
 * sorted oldest first; content unknown in an old epoch is taken as unchanged.
 */
export function comparisonStart(epochs: readonly ExperimentEpoch[], variant: string, control: string): ComparisonStart {
  const ratio = (epoch: ExperimentEpoch) => {
    const v = epoch.weights[variant];
    const c = epoch.weights[control];
    return v === undefined || c === undefined ? undefined : v / c;
  };
  const sameOffer = (a: ExperimentEpoch, b: ExperimentEpoch, id: string) =>
    a.content?.[id] === undefined || b.content?.[id] === undefined || a.content[id] === b.content[id];
  const current = epochs.at(-1);
  if (!current) return { since: 0 };
  const now = ratio(current);
  let since = current.startedAt;
  for (let i = epochs.length - 2; i >= 0; i--) {
    const epoch = epochs[i];
    if (!epoch) break;
    const then = ratio(epoch);
    if (now === undefined || then === undefined) return { since, change: "joined" };
    if (then !== now) return { since, change: "re-weighted" };
    if (!sameOffer(epoch, current, variant) || !sameOffer(epoch, current, control)) return { since, change: "changed" };
    since = epoch.startedAt;
  }
  return { since };
}
