/**
 * What other sites read from the built test site, over HTTP from the real server: each
 * variant's share card (a real 1200×630 PNG, within its budget, that its page's Open Graph
 * tags point at with an absolute URL), the sitemap and robots.txt.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeShareImages } from "../../scripts/lib/share-images";
import { applyVariant, isPublished } from "../../src/domain/concept";
import { landingPath, shareImagePath, variantPath } from "../../src/domain/paths";
import { SHARE_IMAGE, shareImage } from "../../src/domain/share-card";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { testConcept } from "../support/concepts";
import { FIXTURE_BUILD, startServer, type TestServer } from "../support/server";

/** A card stays well under what link previews accept (Facebook: 8 MB) and quick to fetch. */
const SHARE_IMAGE_BUDGET = 300 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const concepts = loadConceptFiles(FIXTURE_BUILD.conceptsDir);
const published = concepts.filter(isPublished);
const variants = published.flatMap((concept) =>
  concept.variants.map((variant) => [`${concept.slug}/${variant.id}`, applyVariant(concept, variant.id)] as const),
);
const get = (path: string) => fetch(new URL(path, server.url), { redirect: "manual" });

/** The content of a <meta property|name="key"> of a built page, its entities decoded. */
function meta(html: string, key: string): string | undefined {
  const value = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html)?.[1];
  return value
    ?.replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** Width and height from a PNG's IHDR chunk, which the format requires first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("share cards", () => {
  test("the fixtures have variants, one hero and one long title, so every kind of card is drawn", () => {
    expect(variants.length).toBeGreaterThan(published.length);
    expect(published.some((concept) => concept.hero)).toBe(true);
    expect(Math.max(...published.map((concept) => concept.title.length))).toBeGreaterThanOrEqual(45);
  });

  test.each(variants)(
    "%s: its page's Open Graph tags point at its card, which the server serves as a PNG",
    async (_name, variant) => {
      const page = await get(variantPath(variant.slug, variant.variant.id));
      expect(page.status).toBe(200);
      const html = await page.text();
      const canonical = /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1] ?? "";
      const expected = shareImage(variant);

      const imageUrl = new URL(meta(html, "og:image") ?? "relative");
      expect(imageUrl.origin).toBe(new URL(canonical).origin);
      expect(imageUrl.pathname).toBe(shareImagePath(variant.slug, variant.variant.id));
      expect(meta(html, "og:image:width")).toBe(String(SHARE_IMAGE.width));
      expect(meta(html, "og:image:height")).toBe(String(SHARE_IMAGE.height));
      expect(meta(html, "og:image:alt")).toBe(expected.alt);
      expect(meta(html, "og:title")).toBe(variant.title);
      expect(meta(html, "og:description")).toBe(variant.description);
      expect(meta(html, "og:url")).toBe(canonical);
      expect(meta(html, "twitter:card")).toBe("summary_large_image");

      // The build's absolute URL names the build's site; the test server answers the same path.
      const res = await get(imageUrl.pathname);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.equals(readFileSync(join(FIXTURE_BUILD.outDir, "client", imageUrl.pathname)))).toBe(true);
      expect(pngSize(png)).toEqual({ width: SHARE_IMAGE.width, height: SHARE_IMAGE.height });
      expect(png.length).toBeLessThan(SHARE_IMAGE_BUDGET);
    },
  );

  test("a variant that changes the price gets a card of its own", async () => {
    const split = published.find((concept) => concept.variants.some((variant) => variant.price));
    expect(split).toBeDefined();
    const cards = await Promise.all(
      (split?.variants ?? []).map(async (variant) =>
        Buffer.from(await (await get(shareImagePath(split?.slug ?? "", variant.id))).arrayBuffer()),
      ),
    );
    expect(new Set(cards.map((card) => card.toString("base64"))).size).toBe(cards.length);
  });

  test("drafts get no card", async () => {
    const draft = concepts.find((concept) => !isPublished(concept));
    expect(draft).toBeDefined();
    expect((await get(shareImagePath(draft?.slug ?? "", "control"))).status).toBe(404);
  });
});

describe("the build's image step", () => {
  test("draws a card per published variant, with a hero from the site, without one from elsewhere", async () => {
    const site = mkdtempSync(join(tmpdir(), "racine-share-"));
    try {
      cpSync("public/img", join(site, "img"), { recursive: true });
      const written = await writeShareImages(
        [
          testConcept("local", {
            hero: { src: "/img/origami.svg", alt: "Une grue" },
            variants: [{ id: "a" }, { id: "b" }],
          }),
          testConcept("remote", { hero: { src: "https://images.example/hero.png", alt: "Ailleurs" } }),
          testConcept("bare"),
          testConcept("brouillon", { status: "draft" }),
        ],
        site,
      );
      expect(written.map(({ path, hasHero }) => [path, hasHero])).toEqual([
        ["/c/local/v/a/og.png", true],
        ["/c/local/v/b/og.png", true],
        ["/c/remote/v/control/og.png", false],
        ["/c/bare/v/control/og.png", false],
      ]);
      for (const { path, bytes } of written) {
        const png = readFileSync(join(site, path));
        expect(png.length).toBe(bytes);
        expect(pngSize(png)).toEqual({ width: SHARE_IMAGE.width, height: SHARE_IMAGE.height });
      }
      expect(existsSync(join(site, "c/brouillon"))).toBe(false);
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});

describe("variant pages", () => {
  test.each(variants)("%s is canonical to its concept's landing page", async (_name, variant) => {
    const html = await (await get(variantPath(variant.slug, variant.variant.id))).text();
    const canonical = /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(new URL(canonical).pathname).toBe(landingPath(variant.slug));
  });
});

describe("discovery", () => {
  test("sitemap.xml lists the home page and exactly the published concepts' pages, as well-formed XML", async () => {
    const res = await get("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml");
    const xml = await res.text();
    // The sitemap protocol's whole shape: one <url><loc> per page, text with no markup or stray "&".
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">\n(<url><loc>(?:[^<>&]|&(?:amp|lt|gt|quot|#39);)+<\/loc><\/url>\n)+<\/urlset>\n$/,
    );
    const locations = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => new URL(match[1] ?? ""));
    expect(locations.map((url) => url.pathname).sort()).toEqual(
      ["/", ...published.map((concept) => landingPath(concept.slug))].sort(),
    );
    expect(new Set(locations.map((url) => url.origin)).size).toBe(1);
    // Nothing else: no draft, no variant page, no thank-you page.
    expect(xml).not.toMatch(/\/v\/|\/merci\/|\/thanks\//);
    expect(xml).not.toContain(concepts.find((concept) => !isPublished(concept))?.slug ?? "no draft");
  });

  test("robots.txt keeps crawlers out of admin and API paths and points at the sitemap", async () => {
    const res = await get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const robots = await res.text();
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toMatch(/^Disallow: \/admin$/m);
    expect(robots).toMatch(/^Disallow: \/api\/$/m);
    const sitemap = new URL(/^Sitemap: (\S+)$/m.exec(robots)?.[1] ?? "relative");
    expect(sitemap.pathname).toBe("/sitemap.xml");
    const home = await (await get("/")).text();
    expect(sitemap.origin).toBe(new URL(/<link rel="canonical" href="([^"]*)"/.exec(home)?.[1] ?? "").origin);
  });
});
