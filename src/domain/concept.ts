/**
 * The concept file: one product idea, its landing-page copy, and the success criteria the
 * founder commits to before the test starts. Pure: parsing files is the loader's job.
 */
import { z } from "zod";
import { ICON_NAMES } from "./icons";

export const LANGS = ["fr", "en"] as const;
export const Lang = z.enum(LANGS);
export type Lang = z.infer<typeof Lang>;

export const CONCEPT_STATUSES = ["draft", "live", "paused", "ended"] as const;

/** URL-safe identifiers: concept slugs (from the file name) and variant ids. */
export const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case letters, digits and single hyphens");

const Text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const Price = z.strictObject({
  amount: z.number().positive("must be greater than 0"),
  currency: z.string().regex(/^[A-Z]{3}$/, "use an ISO 4217 code such as EUR or USD"),
  period: z.enum(["month", "year", "week", "once"]),
});
export type Price = z.infer<typeof Price>;

/** A benefit's icon, by name: a wrong one lists the names there are (an emoji is refused too). */
const BenefitIcon = z.enum(ICON_NAMES, {
  error: (issue) =>
    `${issue.input === undefined ? "missing icon" : `unknown icon ${JSON.stringify(issue.input)}`}: use one of ${ICON_NAMES.join(", ")}`,
});

export const Hero = z.strictObject({
  src: z.string().regex(/^(\/|https:\/\/)/, "use a path under public/ (starting with /) or an https URL"),
  alt: Text(160),
});

/**
 * The concept's one question, asked on the thank-you step right after signup (never
 * required): a single or multiple choice among 2–8 options, or a short text. Option ids
 * are what is stored, so rewording a label keeps the answers.
 */
const QuestionOption = z.strictObject({ id: Slug, label: Text(80) });
export const Question = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.enum(["single", "multiple"]),
    prompt: Text(160),
    options: z.array(QuestionOption).min(2).max(8),
  }),
  z.strictObject({ kind: z.literal("text"), prompt: Text(160) }),
]);
export type Question = z.infer<typeof Question>;

/** A fake-door price tier: shown on the page, a click records intent; nothing is sold. */
export const Tier = z.strictObject({
  id: Slug,
  name: Text(40),
  price: Price,
  includes: z.array(Text(120)).min(1).max(6),
});
export type Tier = z.infer<typeof Tier>;
const Tiers = z.array(Tier).min(2).max(3);

/** The rungs of the intent ladder a success criterion may judge (src/domain/ladder.ts). */
export const RUNGS = ["signup", "confirmed", "tier", "answered", "interview", "reservation"] as const;
export type Rung = (typeof RUNGS)[number];

/**
 * What the founder writes down before the test: the idea is validated once it has at
 * least `minVisitors` visitors, `minSignups` signups and a conversion of at least
 * `minConversionPercent` %.
 */
export const SuccessCriteria = z.strictObject({
  minVisitors: z.int().positive(),
  minSignups: z.int().positive(),
  minConversionPercent: z.number().gt(0).max(100),
  /** The smallest relative lift between variants worth detecting, in percent (20 = +20 %). */
  minDetectableEffectPercent: z.number().gt(0).max(500).default(20),
  decideBy: z.iso.date().optional(),
  /**
   * Which rung the criteria judge: signups (the default), confirmed signups, tier clicks,
   * answers, interview opt-ins or reservations, each counted per visitor.
   */
  rung: z.enum(RUNGS).default("signup"),
});
export type SuccessCriteria = z.infer<typeof SuccessCriteria>;
/** The thresholds the verdict rules read, whatever rung they count. */
export type Thresholds = Omit<SuccessCriteria, "rung">;

/** An A/B variant: the first one listed is the control; fields override the concept's. */
export const Variant = z.strictObject({
  id: Slug,
  weight: z.number().positive().default(1),
  headline: Text(120).optional(),
  tagline: Text(240).optional(),
  price: Price.optional(),
  cta: Text(40).optional(),
  hero: Hero.optional(),
  tiers: Tiers.optional(),
});
export type Variant = z.infer<typeof Variant>;

/** What a rung needs in the concept file, named for the error message when it is missing. */
const RUNG_NEEDS: Partial<
  Record<
    Rung,
    (concept: { question?: unknown; tiers?: unknown; interview: boolean; reservation: boolean }) => string | undefined
  >
> = {
  tier: (concept) => (concept.tiers ? undefined : "tiers"),
  answered: (concept) => (concept.question ? undefined : "a question"),
  interview: (concept) => (concept.interview ? undefined : "interview: true"),
  reservation: (concept) => (concept.reservation ? undefined : "reservation: true"),
};

export const ConceptSchema = z
  .strictObject({
    title: Text(60),
    lang: Lang,
    status: z.enum(CONCEPT_STATUSES),
    headline: Text(120),
    tagline: Text(240),
    description: Text(200),
    price: Price,
    cta: Text(40).optional(),
    hero: Hero.optional(),
    story: z.array(Text(1200)).min(1).max(4),
    benefits: z
      .array(z.strictObject({ icon: BenefitIcon, title: Text(60), text: Text(300) }))
      .min(2)
      .max(6),
    includes: z.array(Text(120)).max(8).default([]),
    faq: z.array(z.strictObject({ question: Text(160), answer: Text(800) })).default([]),
    /** The intent ladder beyond the email (each optional): see Question, Tier and src/domain/ladder.ts. */
    question: Question.optional(),
    tiers: Tiers.optional(),
    interview: z.boolean().default(false),
    reservation: z.boolean().default(false),
    successCriteria: SuccessCriteria,
    /** Double opt-in: a signup counts as confirmed only after the link in its email is followed. */
    doubleOptIn: z.boolean().default(true),
    /**
     * A/B variants stay put for a returning visitor through a first-party cookie (see
     * src/domain/experiments.ts); false keeps this concept strictly cookieless (a visitor is
     * re-randomised each day, and counted in visitor-days).
     */
    abCookie: z.boolean().default(true),
    /**
     * This concept's share of the visitors the randomised entry point /try/ sends to live
     * concepts (src/domain/try-entry.ts): 1 each by default, a uniform draw.
     */
    tryWeight: z.number().positive().max(100).default(1),
    variants: z
      .array(Variant)
      .min(1)
      .default([{ id: "control", weight: 1 }]),
  })
  .superRefine((concept, ctx) => {
    const seen = new Set<string>();
    concept.variants.forEach((variant, index) => {
      if (seen.has(variant.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["variants", index, "id"],
          message: `duplicate variant id "${variant.id}"`,
        });
      }
      seen.add(variant.id);
    });
    if (concept.variants.some((variant) => variant.tiers) && !concept.tiers) {
      ctx.addIssue({
        code: "custom",
        path: ["tiers"],
        message: "a variant changes the tiers: list the concept's own tiers too",
      });
    }
    const rung = concept.successCriteria.rung;
    const missing = RUNG_NEEDS[rung]?.(concept);
    if (missing)
      ctx.addIssue({ code: "custom", path: ["successCriteria", "rung"], message: `rung "${rung}" needs ${missing}` });
  });
export type ConceptData = z.infer<typeof ConceptSchema>;
export type Concept = ConceptData & { slug: string };

/** Formats zod issues as `field.path: message` lines, so a founder can find the typo. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  ${issue.path.length > 0 ? issue.path.join(".") : "(file)"}: ${issue.message}`)
    .join("\n");
}

export class ConceptFileError extends Error {
  constructor(file: string, details: string) {
    super(`Invalid concept file ${file}:\n${details}`);
    this.name = "ConceptFileError";
  }
}

/** Validates one parsed concept file; the slug comes from the file name. */
export function parseConcept(file: string, slug: string, data: unknown): Concept {
  const slugCheck = Slug.safeParse(slug);
  if (!slugCheck.success) throw new ConceptFileError(file, `  (file name): ${slugCheck.error.issues[0]?.message}`);
  const result = ConceptSchema.safeParse(data);
  if (!result.success) throw new ConceptFileError(file, describeIssues(result.error));
  return { slug, ...result.data };
}

/** The variant a visitor sees: the concept's copy with the variant's overrides applied. */
export function applyVariant(concept: Concept, variantId: string): Concept & { variant: Variant } {
  const variant = concept.variants.find((v) => v.id === variantId) ?? controlVariant(concept);
  return {
    ...concept,
    headline: variant.headline ?? concept.headline,
    tagline: variant.tagline ?? concept.tagline,
    price: variant.price ?? concept.price,
    cta: variant.cta ?? concept.cta,
    hero: variant.hero ?? concept.hero,
    tiers: variant.tiers ?? concept.tiers,
    variant,
  };
}

/** Published: has pages and counts (live, paused or ended); a draft has neither. */
export function isPublished(concept: Pick<Concept, "status">): boolean {
  return concept.status !== "draft";
}

/** The control: the first variant listed (the schema requires at least one). */
export function controlVariant(concept: Concept): Variant {
  const control = concept.variants[0];
  if (!control) throw new Error(`concept ${concept.slug} has no variants`);
  return control;
}
