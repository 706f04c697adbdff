/**
 * The build's image step: draws every published concept variant's share card
 * (src/domain/share-card.ts) to a 1200×630 PNG at /c/<slug>/v/<variant>/og.png in the built
 * site, which the server then serves like any other built file. No browser and no network:
 * satori lays the card out and turns its text into paths with Inter (shipped in
 * @fontsource/inter), resvg rasterises it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import { applyVariant, type Concept, isPublished } from "../../src/domain/concept";
import { shareImagePath } from "../../src/domain/paths";
import { SHARE_CARD_FONT, SHARE_HERO, SHARE_IMAGE, shareCard } from "../../src/domain/share-card";

const require = createRequire(import.meta.url);

type Hero = NonNullable<Concept["hero"]>;

// satori reads TTF, OTF and WOFF (not WOFF2). Latin-ext covers the accents latin lacks.
const FONT_FILES = [
  { weight: 400, file: "inter-latin-400-normal.woff" },
  { weight: 400, file: "inter-latin-ext-400-normal.woff" },
  { weight: 700, file: "inter-latin-700-normal.woff" },
  { weight: 700, file: "inter-latin-ext-700-normal.woff" },
] as const;

function loadFonts() {
  return FONT_FILES.map(({ weight, file }) => ({
    name: SHARE_CARD_FONT,
    weight,
    style: "normal" as const,
    data: readFileSync(require.resolve(`@fontsource/inter/files/${file}`)),
  }));
}

const BITMAP_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg" };

/**
 * The hero as a data: URI, read from the built site (where public/ was copied). An SVG hero
 * is rasterised first, at the size the card draws it, because resvg draws no text in an SVG
 * nested in another; its text takes the build machine's fonts, as a browser takes the
 * visitor's (resvg 2.6 maps every generic family, monospace too, to its default sans-serif).
 * A hero on another site (https://) cannot be fetched at build time, nor can satori read
 * WebP or GIF: such a card goes without its hero.
 */
function heroDataUri(hero: Hero, clientDir: string): string | undefined {
  if (!hero.src.startsWith("/")) return undefined;
  const extension = extname(hero.src).toLowerCase();
  const body = readFileSync(join(clientDir, hero.src));
  if (extension === ".svg") {
    const fitTo = { mode: "width", value: SHARE_HERO.width } as const;
    const png = new Resvg(body, { fitTo, font: { loadSystemFonts: true } }).render().asPng();
    return `data:image/png;base64,${png.toString("base64")}`;
  }
  const type = BITMAP_TYPES[extension];
  return type && `data:${type};base64,${body.toString("base64")}`;
}

export interface WrittenImage {
  path: string;
  bytes: number;
  hasHero: boolean;
}

export async function writeShareImages(concepts: readonly Concept[], clientDir: string): Promise<WrittenImage[]> {
  const fonts = loadFonts();
  // Variants mostly share their concept's hero: each file is read and rasterised once.
  const heroes = new Map<string, string | undefined>();
  const heroOf = (hero: Hero | undefined) => {
    if (!hero) return undefined;
    if (!heroes.has(hero.src)) heroes.set(hero.src, heroDataUri(hero, clientDir));
    return heroes.get(hero.src);
  };
  const written: WrittenImage[] = [];
  for (const concept of concepts.filter(isPublished)) {
    for (const { id } of concept.variants) {
      const variant = applyVariant(concept, id);
      const hero = heroOf(variant.hero);
      // satori takes React elements; the card is one in all but its TypeScript type.
      const svg = await satori(shareCard(variant, hero) as unknown as Parameters<typeof satori>[0], {
        ...SHARE_IMAGE,
        fonts,
      });
      // satori drew the text as paths: the card itself needs no font.
      const png = new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
      const path = shareImagePath(concept.slug, id);
      const file = join(clientDir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, png);
      written.push({ path, bytes: png.length, hasHero: hero !== undefined });
    }
  }
  return written;
}
