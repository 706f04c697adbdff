import { describe, expect, test } from "vitest";
import { applyVariant } from "../../src/domain/concept";
import { robotsTxt, sitemapXml } from "../../src/domain/discovery";
import {
  type CardNode,
  estimateLines,
  SHARE_IMAGE,
  shareCard,
  shareCardLayout,
  shareImage,
} from "../../src/domain/share-card";
import { testConcept } from "../support/concepts";

// The longest copy the schema allows: a 60-character title and a 240-character tagline.
const LONGEST_TITLE = "Une box pour apprendre la broderie japonaise sashiko en ligne".slice(0, 60);
const LONGEST_TAGLINE = `${"Du papier japonais choisi pour chaque modèle, un carnet illustré et une vidéo. ".repeat(4)}`
  .trim()
  .slice(0, 240);

const card = (overrides: Record<string, unknown> = {}) =>
  applyVariant(testConcept("pli", { title: "Pli — la box origami", ...overrides }), "control");

/** Intl writes French prices with no-break spaces. */
const spaces = (text: string) => text.replace(/\s/g, " ");

/** Every text of a card tree, in reading order. */
function texts(node: CardNode): string[] {
  if (node.type === "img") return [];
  const { children } = node.props;
  if (typeof children === "string") return [children];
  return (children ?? []).flatMap(texts);
}

function images(node: CardNode): CardNode[] {
  if (node.type === "img") return [node];
  const { children } = node.props;
  return typeof children === "string" ? [] : (children ?? []).flatMap(images);
}

describe("estimateLines", () => {
  test.each([
    ["one short word", "Pli", 1],
    ["words that fit one line", "aaaa bbbb", 1],
    ["a word that does not fit after another", "aaaa bbbb cccc", 2],
    ["three lines of words", "aaaa bbbb cccc dddd eeee", 3],
    ["a word longer than a line", "aaaaaaaaaaaaaaaaaaaaaaaaa", 3],
    ["extra spaces", "  aaaa   bbbb  ", 1],
  ])("%s", (_name, text, lines) => {
    // 10 characters per line: 100 px at size 10 and 1 em a glyph.
    expect(estimateLines(text, 10, 100, 1)).toBe(lines);
  });
});

describe("shareCardLayout", () => {
  test("a short title is drawn at the largest size, beside the hero when there is one", () => {
    const withHero = shareCardLayout(card(), true);
    const without = shareCardLayout(card(), false);
    expect(withHero.title.size).toBe(76);
    expect(withHero.textWidth).toBeLessThan(without.textWidth);
    expect(withHero.textWidth + 440 + 56 + 2 * 64).toBe(SHARE_IMAGE.width);
  });

  test.each([
    ["a short title", "Pli — la box origami", true, 76],
    ["the longest title beside a hero", LONGEST_TITLE, true, 46],
    ["the longest title alone", LONGEST_TITLE, false, 76],
  ])("%s takes the largest size that keeps it within three lines", (_name, title, hasHero, size) => {
    const layout = shareCardLayout(card({ title }), hasHero);
    expect(layout.title.size).toBe(size);
    expect(layout.title.lines).toBeLessThanOrEqual(3);
  });

  test.each([true, false])(
    "the longest title and tagline fit the card, tagline cut to the room left (hero: %s)",
    (hasHero) => {
      const layout = shareCardLayout(card({ title: LONGEST_TITLE, tagline: LONGEST_TAGLINE }), hasHero);
      expect(layout.tagline.lines).toBeGreaterThanOrEqual(1);
      expect(layout.tagline.lines).toBeLessThanOrEqual(4);
      // Legible as a thumbnail: at 400 px wide (a third of the card), text stays ≥ 10 px.
      expect(Math.min(layout.title.size, layout.tagline.size) / 3).toBeGreaterThanOrEqual(10);
      expect(layout.textHeight).toBeLessThanOrEqual(SHARE_IMAGE.height - 2 * 64);
    },
  );

  test.each([
    ["fr", { amount: 24, currency: "EUR", period: "month" }, "24 € / mois"],
    ["en", { amount: 27, currency: "GBP", period: "month" }, "£27 / month"],
    ["fr", { amount: 9.5, currency: "EUR", period: "once" }, "9,50 €"],
  ])("the price is written as the page writes it (%s, %j)", (lang, price, written) => {
    expect(spaces(shareCardLayout(card({ lang, price }), false).price)).toBe(written);
  });
});

describe("shareCard", () => {
  test("shows the title, the tagline and the price, in that order, and the hero when given", () => {
    const concept = card();
    const tree = shareCard(concept, "data:image/png;base64,AAAA");
    expect(texts(tree).map(spaces)).toEqual(["Pli — la box origami", concept.tagline, "24 € / mois"]);
    expect(images(tree)).toEqual([
      expect.objectContaining({ props: expect.objectContaining({ src: "data:image/png;base64,AAAA" }) }),
    ]);
    expect(tree.props.style).toMatchObject({ width: 1200, height: 630 });
  });

  test("a card without a hero has no image and a wider text column", () => {
    const tree = shareCard(card(), undefined);
    expect(images(tree)).toEqual([]);
    const column = tree.props.children;
    expect(typeof column !== "string" && column?.[0]?.props.style.width).toBe(1200 - 2 * 64);
  });

  test("a variant's card shows the variant's price and tagline", () => {
    const concept = testConcept("pli", {
      variants: [
        { id: "control" },
        { id: "doux", price: { amount: 16, currency: "EUR", period: "month" }, tagline: "Moins cher." },
      ],
    });
    const [, tagline, price] = texts(shareCard(applyVariant(concept, "doux"), undefined)).map(spaces);
    expect([tagline, price]).toEqual(["Moins cher.", "16 € / mois"]);
  });
});

describe("shareImage", () => {
  test("names the variant's card, its size, and says in words what it shows", () => {
    const concept = applyVariant(testConcept("pli", { variants: [{ id: "control" }, { id: "doux" }] }), "doux");
    const image = shareImage(concept);
    expect({ ...image, alt: spaces(image.alt) }).toEqual({
      path: "/c/pli/v/doux/og.png",
      alt: `pli — ${concept.tagline} — 24 € / mois`,
      width: 1200,
      height: 630,
    });
  });
});

describe("sitemap and robots.txt", () => {
  test("the sitemap lists each URL once, escaped", () => {
    expect(sitemapXml(["https://a.example/", "https://a.example/c/x/?a=1&b=2"])).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://a.example/</loc></url>
<url><loc>https://a.example/c/x/?a=1&amp;b=2</loc></url>
</urlset>
`,
    );
  });

  test("robots.txt disallows admin and API paths and names the sitemap", () => {
    expect(robotsTxt("https://a.example/sitemap.xml")).toBe(
      "User-agent: *\nDisallow: /admin\nDisallow: /api/\n\nSitemap: https://a.example/sitemap.xml\n",
    );
  });
});
