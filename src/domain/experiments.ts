/**
 * A/B experiments on a concept's landing page: which variant a visitor gets, and over
 * which period two variants can be compared fairly when the split changed mid-test.
 */
import { createHash } from "node:crypto";
import type { Variant } from "./concept";

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

/** The traffic split in force from `startedAt` (ms) on: variant id → weight. */
export interface ExperimentEpoch {
  startedAt: number;
  weights: Record<string, number>;
}

export function weightsOf(variants: readonly Pick<Variant, "id" | "weight">[]): Record<string, number> {
  return Object.fromEntries(variants.map((variant) => [variant.id, variant.weight]));
}

export function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Since when `variant` and `control` have been split in the same ratio: comparing them
 * over a longer period would mix days when one of them got a different share of traffic
 * (a variant added or re-weighted mid-test), and with it any change in the audience.
 * Epochs are sorted oldest first; 0 means "from the beginning".
 */
export function comparableSince(epochs: readonly ExperimentEpoch[], variant: string, control: string): number {
  const ratio = (epoch: ExperimentEpoch) => {
    const v = epoch.weights[variant];
    const c = epoch.weights[control];
    return v === undefined || c === undefined ? undefined : v / c;
  };
  const current = epochs.at(-1);
  if (!current) return 0;
  const now = ratio(current);
  let since = current.startedAt;
  for (let i = epochs.length - 2; i >= 0; i--) {
    const epoch = epochs[i];
    if (!epoch || now === undefined || ratio(epoch) !== now) break;
    since = epoch.startedAt;
  }
  return since;
}
