/**
 * A/B experiments on a concept's landing page: which variant a visitor gets, and over
 * which period two variants can be compared fairly when the split or an offer changed
 * mid-test.
 */
import { createHash } from "node:crypto";
import { applyVariant, type Concept, type Variant } from "./concept";

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
 * (headline, tagline, price, cta, hero), with the concept's own where it does not. A
 * price edit, in the variant or in the concept's shared offer, changes it; the story,
 * benefits or FAQ (the same for every variant) do not.
 */
export function contentOf(concept: Concept): Record<string, string> {
  return Object.fromEntries(
    concept.variants.map((variant) => {
      const { headline, tagline, price, cta, hero } = applyVariant(concept, variant.id);
      const offer = canonical({ headline, tagline, price, cta, hero });
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
