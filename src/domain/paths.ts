/** Public URLs of a concept's pages, shared by the pages, the server and the tests. */
import type { Lang } from "./concept";

export function landingPath(slug: string): string {
  return `/c/${slug}/`;
}

export const THANKS_SEGMENT: Record<Lang, string> = { fr: "merci", en: "thanks" };

export function thanksPath(slug: string, lang: Lang): string {
  return `/c/${slug}/${THANKS_SEGMENT[lang]}/`;
}

/** A variant's own page, for ad campaigns and for the split at /c/<slug>/. */
export function variantPath(slug: string, variant: string): string {
  return `/c/${slug}/v/${variant}/`;
}

/**
 * The join form with a fake-door tier remembered, for a browser without JavaScript (a tier
 * click posts, is counted, and lands here). Tier ids are slugs: no clash with og.png.
 */
export function tierPath(slug: string, variant: string, tier: string): string {
  return `${variantPath(slug, variant)}${tier}/`;
}

/** The thank-you page with the thank-you step's forms (`step` token), and the message of the last one sent. */
export function stepsPath(slug: string, lang: Lang, token: string, said?: string): string {
  const query = new URLSearchParams({ step: token, ...(said ? { said } : {}) });
  return `${thanksPath(slug, lang)}?${query}#steps`;
}

/** A variant's share image (Open Graph), drawn at build time by scripts/lib/share-images.ts. */
export function shareImagePath(slug: string, variant: string): string {
  return `${variantPath(slug, variant)}og.png`;
}

/** Where a visitor objects to the A/B cookie (a form post: it works without JavaScript). */
export const AB_OPT_OUT_PATH = "/api/ab-opt-out";

/** The randomised entry point: serves one live concept's page, drawn per new visitor (src/domain/try-entry.ts). */
export const TRY_PATH = "/try/";

/**
 * Where the objection lands: the page it was made on (the concept's, or /try/, which alone
 * carries the notice on a concept without variants), scrolled to the line that confirms it.
 */
export function optedOutPath(slug: string, entry: "page" | "try" = "page"): string {
  return `${entry === "try" ? TRY_PATH : landingPath(slug)}#ab-off`;
}

/** A concept's embeddable form, framed by the founder's other sites (EMBED_ORIGINS). */
export function embedPath(slug: string): string {
  return `/embed/${slug}/`;
}
