/**
 * The share card: the 1200×630 picture a link preview shows (Open Graph, X, Slack, …) for
 * one variant of a concept — its title, tagline, price and hero, in the landing page's
 * colours. Composed here as a tree of boxes and text (the element shape satori draws, see
 * scripts/lib/share-images.ts), with font sizes and line limits chosen so that the longest
 * title and tagline the schema allows still fit and stay legible as a thumbnail. Pure: the
 * hero arrives as a data URI, fonts and pixels are the drawer's business.
 */
import type { Concept, Variant } from "./concept";
import { formatPrice } from "./i18n";
import { shareImagePath } from "./paths";

export const SHARE_IMAGE = { width: 1200, height: 630 } as const;

/** The landing page's header colours (Base.astro's --accent, --ink, --muted, --line and .hero's gradient). */
const COLOURS = {
  accent: "#1f4e3d",
  line: "#e7dccb",
  accentInk: "#ffffff",
  ink: "#1c2321",
  muted: "#4d5a54",
  gradient: "linear-gradient(180deg, #f6ecdd 0%, #fffaf3 100%)",
};

/** The font the drawer loads under this name (Inter, from @fontsource/inter). */
export const SHARE_CARD_FONT = "Inter";

const PADDING = 64;
const GAP = 56;
/** The hero keeps the page's 4:3 frame (Landing.astro draws it 400×300). */
export const SHARE_HERO = { width: 440, height: 330 } as const;
const HERO = SHARE_HERO;
const HERO_BORDER = 2;
// Average glyph widths a little over Inter's on French and English copy (bold ≈ 0.5 em,
// regular ≈ 0.47 em, measured on the demo cards): an estimate errs towards a smaller size.
const TITLE = { sizes: [76, 68, 60, 52], smallest: 46, lineHeight: 1.1, maxLines: 3, em: 0.54 };
const TAGLINE = { size: 32, lineHeight: 1.3, maxLines: 4, em: 0.5 };
const PRICE = { size: 40, lineHeight: 1.2, paddingY: 12, paddingX: 28 };
const STACK_GAP = { afterTitle: 24, beforePrice: 36 };

type Style = Record<string, string | number>;
export type CardBox = { type: "div"; props: { style: Style; children?: string | CardNode[] } };
export type CardImage = { type: "img"; props: { src: string; width: number; height: number; style: Style } };
export type CardNode = CardBox | CardImage;

/** What the card says, measured: the layout decisions a test can read without drawing. */
export interface ShareCardLayout {
  title: { text: string; size: number; lines: number };
  tagline: { text: string; size: number; lines: number };
  price: string;
  /** The width of the text column: narrower beside a hero. */
  textWidth: number;
  /** The text column's estimated height, within the card's height less its margins. */
  textHeight: number;
  hasHero: boolean;
}

/**
 * How many lines a greedy word wrap gives `text` in `width` pixels at `size`, from an
 * average glyph width of `em` × size: an estimate, good enough to pick a font size; the
 * line clamp the card sets makes sure an underestimate can never overflow the card.
 */
export function estimateLines(text: string, size: number, width: number, em: number): number {
  const perLine = Math.max(1, Math.floor(width / (size * em)));
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const length = word.length;
    if (used === 0) used = length;
    else if (used + 1 + length <= perLine) used += 1 + length;
    else {
      lines += 1;
      used = length;
    }
    // A word longer than a line breaks over several.
    while (used > perLine) {
      lines += 1;
      used -= perLine;
    }
  }
  return lines;
}

export function shareCardLayout(concept: Concept & { variant: Variant }, hasHero: boolean): ShareCardLayout {
  const textWidth = SHARE_IMAGE.width - 2 * PADDING - (hasHero ? HERO.width + GAP : 0);
  // The largest title size that fits in three lines; the longest titles take the smallest size.
  const titleLines = (size: number) => estimateLines(concept.title, size, textWidth, TITLE.em);
  const titleSize = TITLE.sizes.find((size) => titleLines(size) <= TITLE.maxLines) ?? TITLE.smallest;
  const title = { text: concept.title, size: titleSize, lines: Math.min(titleLines(titleSize), TITLE.maxLines + 1) };
  // The tagline takes the height the title and price leave, four lines at most; the clamp ends it with "…".
  const taglineLine = TAGLINE.size * TAGLINE.lineHeight;
  const fixedHeight =
    title.lines * title.size * TITLE.lineHeight +
    STACK_GAP.afterTitle +
    STACK_GAP.beforePrice +
    PRICE.size * PRICE.lineHeight +
    2 * PRICE.paddingY;
  const taglineRoom = Math.max(1, Math.floor((SHARE_IMAGE.height - 2 * PADDING - fixedHeight) / taglineLine));
  const taglineLines = Math.min(
    estimateLines(concept.tagline, TAGLINE.size, textWidth, TAGLINE.em),
    TAGLINE.maxLines,
    taglineRoom,
  );
  return {
    title,
    tagline: { text: concept.tagline, size: TAGLINE.size, lines: taglineLines },
    price: formatPrice(concept.price, concept.lang),
    textWidth,
    textHeight: Math.round(fixedHeight + taglineLines * taglineLine),
    hasHero,
  };
}

/** The card as satori's element tree; `heroDataUri` is the hero's file as a data: URI, when there is one. */
export function shareCard(concept: Concept & { variant: Variant }, heroDataUri: string | undefined): CardBox {
  const layout = shareCardLayout(concept, heroDataUri !== undefined);
  const clamped = (lines: number): Style => ({ display: "block", lineClamp: lines, overflow: "hidden" });
  // One line more than the estimate for the title: a title is cut only if the estimate is
  // off by two lines; an extra line takes some of the card's padding, never the text.
  const titleClamp = TITLE.maxLines + 1;
  const text: CardBox = {
    type: "div",
    props: {
      style: { display: "flex", flexDirection: "column", width: layout.textWidth },
      children: [
        {
          type: "div",
          props: {
            style: {
              ...clamped(titleClamp),
              fontSize: layout.title.size,
              fontWeight: 700,
              lineHeight: TITLE.lineHeight,
              letterSpacing: "-0.01em",
              color: COLOURS.accent,
            },
            children: layout.title.text,
          },
        },
        {
          type: "div",
          props: {
            style: {
              ...clamped(layout.tagline.lines),
              marginTop: STACK_GAP.afterTitle,
              fontSize: layout.tagline.size,
              lineHeight: TAGLINE.lineHeight,
              color: COLOURS.muted,
            },
            children: layout.tagline.text,
          },
        },
        {
          type: "div",
          props: {
            style: {
              display: "flex",
              alignSelf: "flex-start",
              marginTop: STACK_GAP.beforePrice,
              padding: `${PRICE.paddingY}px ${PRICE.paddingX}px`,
              borderRadius: 999,
              backgroundColor: COLOURS.accent,
              color: COLOURS.accentInk,
              fontSize: PRICE.size,
              fontWeight: 700,
              lineHeight: PRICE.lineHeight,
            },
            children: layout.price,
          },
        },
      ],
    },
  };
  const hero: CardImage[] = heroDataUri
    ? [
        {
          type: "img",
          props: {
            // satori adds an image's border to its size: the frame stays HERO's.
            src: heroDataUri,
            width: HERO.width - 2 * HERO_BORDER,
            height: HERO.height - 2 * HERO_BORDER,
            style: {
              // A border, not the page's soft shadow: resvg blurs slowly (about 0.5 s a card).
              border: `${HERO_BORDER}px solid ${COLOURS.line}`,
              borderRadius: 14,
              objectFit: "cover",
            },
          },
        },
      ]
    : [];
  return {
    type: "div",
    props: {
      style: {
        // Centred rather than padded: satori sizes boxes without their padding (content-box),
        // and the columns' fixed widths leave PADDING on each side.
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        gap: GAP,
        width: SHARE_IMAGE.width,
        height: SHARE_IMAGE.height,
        backgroundImage: COLOURS.gradient,
        fontFamily: SHARE_CARD_FONT,
        color: COLOURS.ink,
      },
      children: [text, ...hero],
    },
  };
}

/** What a landing page says about its variant's card in its Open Graph tags. */
export interface ShareImageMeta {
  path: string;
  /** The card in words, in the page's language. */
  alt: string;
  width: number;
  height: number;
}

export function shareImage(concept: Concept & { variant: Variant }): ShareImageMeta {
  return {
    path: shareImagePath(concept.slug, concept.variant.id),
    alt: `${concept.title} — ${concept.tagline} — ${formatPrice(concept.price, concept.lang)}`,
    ...SHARE_IMAGE,
  };
}
