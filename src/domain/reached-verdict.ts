/**
 * A verdict the moment it is first reached, as the decision log records it: what the
 * `verdict.reached` webhook carries and the founder's notification tells.
 */
import type { Decision } from "./decision";
import type { VariantOutcome, VerdictStatus } from "./verdict";

export interface ReachedVerdict {
  concept: string;
  /** An idea against its target, or a variant against the control. */
  kind: "idea" | "variant";
  /** The variant judged, for kind "variant". */
  variant?: string | undefined;
  status: VerdictStatus;
  /** A variant's outcome against the control (better, worse, equivalent). */
  outcome?: VariantOutcome | undefined;
  /** The UTC day (YYYY-MM-DD) the verdict was first reached. */
  reachedOn: string;
  figures: VerdictFigures;
}

/** What makes a verdict one event: its concept, the idea or the variant, the call and the day. */
export function verdictKey({ concept, kind, variant, status, outcome, reachedOn }: ReachedVerdict): string {
  return [concept, kind === "variant" ? (variant ?? "") : "idea", outcome ?? status, reachedOn].join("/");
}

/** What the verdict read: the idea's (or the variant's) whole test, and a variant's lift over the control. */
export interface VerdictFigures {
  visitors: number;
  signups: number;
  /** Treatment ÷ control − 1, for a variant whose control has signups. */
  lift?: number | undefined;
}

/** A decision of the log as the news of it: the webhook's and the founder's email's shape. */
export function reachedVerdictOf(concept: string, decision: Decision): ReachedVerdict {
  const lift = decision.figures.lift;
  return {
    concept,
    kind: decision.variant === null ? "idea" : "variant",
    variant: decision.variant ?? undefined,
    status: decision.status,
    outcome: decision.outcome ?? undefined,
    reachedOn: decision.reachedOn,
    figures: { visitors: decision.visitors, signups: decision.signups, lift: lift ?? undefined },
  };
}
