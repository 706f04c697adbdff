/**
 * The visitor's side of the intent ladder: what a tier click, an answer to the concept's
 * question, an interview opt-in and a reservation may contain, and the rule that lets an
 * answer be changed once. Error messages are message keys, localised by the edge.
 */
import { z } from "zod";
import { applyVariant, type Concept, type Question, Slug, type Tier } from "./concept";
import type { Served } from "./experiment-report";
import type { MessageKey } from "./i18n";
import { TrackingInput } from "./signup";

/** Short text answers and the preferred interview time are kept short: a line, not a letter. */
export const ANSWER_MAX_LENGTH = 280;
export const INTERVIEW_WHEN_MAX_LENGTH = 120;
/** One change after the first answer; a third attempt stores nothing. */
export const ANSWER_CHANGES_ALLOWED = 1;

// C0/C1 control characters, apart from the line breaks and tabs a textarea may hold.
const isPlainText = (text: string) => !/\p{Cc}/u.test(text.replace(/[\n\r\t]/g, "")) && text.isWellFormed();

const SERVED = ["split", "try", "direct"] as const satisfies readonly Served[];

/**
 * A fake-door tier click: the page's concept, variant and how it was served (the beacon
 * tells; a form falls back to Referer). The beacon also sends the view's tracking fields,
 * which a click does not keep.
 */
export const TierClickInput = z.strictObject({
  concept: Slug,
  variant: z.preprocess((value) => (value === "" ? undefined : value), Slug.optional()),
  tier: z.string("tier.unknown").max(80, "tier.unknown"),
  served: z.enum(SERVED).optional(),
  ...TrackingInput.shape,
});
export type TierClickInput = z.infer<typeof TierClickInput>;

/** The tiers a visitor saw: their variant's, or without a variant any variant's (an API client, an old page). */
export function tiersShown(concept: Concept, variant: string | undefined): Tier[] {
  if (variant !== undefined) return applyVariant(concept, variant).tiers ?? [];
  const seen = new Map<string, Tier>();
  for (const { id } of concept.variants)
    for (const tier of applyVariant(concept, id).tiers ?? []) seen.set(tier.id, tier);
  return [...seen.values()];
}

/** The thank-you step's forms all carry the step token (src/domain/step-token.ts). */
export const StepToken = z.string("step.invalid").min(1, "step.invalid").max(400, "step.invalid");

export type Answer = string[] | string;

/** The field name of one checkbox of a multiple-choice question (a form sends each field once). */
export const choiceField = (optionId: string) => `answer.${optionId}`;

/**
 * The answer to `question`, from a form or JSON: a choice's id (`answer`, or an array of
 * them in JSON) and, for a multiple choice, one `answer.<id>` field per ticked box. Choices
 * are stored as ids in the question's order, so the same choice twice compares equal.
 */
export function answerSchema(question: Question) {
  const base = z.object({ step: StepToken });
  if (question.kind === "text") {
    return base.extend({
      answer: z
        .string("answer.empty")
        .trim()
        .min(1, "answer.empty")
        .max(ANSWER_MAX_LENGTH, "answer.too_long")
        .refine(isPlainText, "answer.invalid"),
    });
  }
  const ids = question.options.map((option) => option.id);
  const choices = z
    .array(z.string(), "answer.choose")
    .refine((picked) => picked.every((id) => ids.includes(id)), "answer.invalid")
    .transform((picked) => ids.filter((id) => picked.includes(id)))
    .refine((picked) => picked.length > 0, "answer.choose")
    .refine((picked) => question.kind === "multiple" || picked.length === 1, "answer.one");
  return z.preprocess(
    (raw) => {
      if (typeof raw !== "object" || raw === null) return raw;
      const fields = raw as Record<string, unknown>;
      const given = fields.answer;
      const ticked = Object.keys(fields)
        .filter((key) => key.startsWith("answer.") && fields[key])
        .map((key) => key.slice("answer.".length));
      const listed = given === undefined || given === "" ? [] : Array.isArray(given) ? given : [given];
      return { step: fields.step, answer: [...listed, ...ticked] };
    },
    base.extend({ answer: choices }),
  );
}

export const InterviewInput = z.object({
  step: StepToken,
  /** When the person would rather be called or written to, as they typed it. */
  when: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .string("when.invalid")
      .trim()
      .max(INTERVIEW_WHEN_MAX_LENGTH, "when.too_long")
      .refine(isPlainText, "when.invalid")
      .optional(),
  ),
});

export const ReservationInput = z.object({ step: StepToken });

export type AnswerOutcome = "saved" | "changed" | "unchanged" | "locked";

const sameAnswer = (a: Answer, b: Answer) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a new answer does to a signup's: the first is saved; the same answer again changes
 * nothing; a different one is a change while one is left, and refused after.
 */
export function answerOutcome(current: { answer: Answer | null; changes: number }, next: Answer): AnswerOutcome {
  if (current.answer === null) return "saved";
  if (sameAnswer(current.answer, next)) return "unchanged";
  return current.changes < ANSWER_CHANGES_ALLOWED ? "changed" : "locked";
}

/** What the visitor reads after each outcome; `locked` is a refusal (nothing stored). */
export const ANSWER_MESSAGES: Record<AnswerOutcome, MessageKey> = {
  saved: "question.saved",
  changed: "question.changed",
  unchanged: "question.unchanged",
  locked: "error.answer.locked",
};

export type StepName = "question" | "interview" | "reserve";

/**
 * The messages a step's form may come back with without JavaScript (a redirect names one
 * in `said`), each shown in its step; anything else in the URL is ignored.
 */
const STEP_NOTICES: Partial<Record<MessageKey, StepName>> = {
  "question.saved": "question",
  "question.changed": "question",
  "question.unchanged": "question",
  "error.answer.locked": "question",
  "error.answer.choose": "question",
  "error.answer.one": "question",
  "error.answer.invalid": "question",
  "error.answer.empty": "question",
  "error.answer.too_long": "question",
  "interview.done": "interview",
  "error.when.too_long": "interview",
  "error.when.invalid": "interview",
  "reserve.done": "reserve",
};

export interface StepNotice {
  step: StepName;
  key: MessageKey;
  error: boolean;
}

export function stepNotice(said: string | null): StepNotice | undefined {
  const step = said === null ? undefined : STEP_NOTICES[said as MessageKey];
  return step && { step, key: said as MessageKey, error: said?.startsWith("error.") ?? false };
}

/** Where a signup stands on the thank-you step's rungs, for the page that shows them again. */
export interface StepsState {
  answer: Answer | null;
  /** True once the answer may not change any more. */
  answerLocked: boolean;
  interview: boolean;
  reserved: boolean;
}

export const FRESH_STEPS: StepsState = { answer: null, answerLocked: false, interview: false, reserved: false };

/** Whether the concept asks anything after signup (else the thank-you step is the plain thanks). */
export function hasSteps(concept: Pick<Concept, "question" | "interview" | "reservation">): boolean {
  return concept.question !== undefined || concept.interview || concept.reservation;
}
