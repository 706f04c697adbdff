import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isPublished } from "../../src/domain/concept";
import { ICONS } from "../../src/domain/icons";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { FIXTURE_BUILD, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const concepts = loadConceptFiles(FIXTURE_BUILD.conceptsDir);
const live = concepts.filter((concept) => concept.status === "live");
const get = (path: string) => fetch(new URL(path, server.url), { redirect: "manual" });

describe("landing pages", () => {
  test.each(live.map((concept) => [concept.slug, concept] as const))(
    "/c/%s/ is a static page in its language with the waitlist form",
    async (slug, concept) => {
      const res = await get(`/c/${slug}/`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<html lang="${concept.lang}"`);
      expect(html).toContain(`<form id="waitlist"`);
      expect(html).toContain(`name="concept" value="${slug}"`);
      expect(html).toContain('<meta property="og:title"');
      expect(html).toMatch(/<label class="field field-email">\s*<span>/);
      // No framework JavaScript: only the inline form script.
      expect(html).not.toMatch(/<script[^>]+src=/);
    },
  );

  test.each(concepts.filter(isPublished).map((concept) => [concept.slug, concept] as const))(
    "/c/%s/ draws each benefit's icon as inline SVG, hidden from screen readers, with no emoji",
    async (slug, concept) => {
      const html = await (await get(`/c/${slug}/`)).text();
      const benefits = /<section class="wrap benefits"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
      const icons = [...benefits.matchAll(/<svg ([^>]*)><path d="([^"]*)"><\/path><\/svg>/g)];
      expect(benefits.split("<svg").length - 1).toBe(concept.benefits.length);
      expect(icons.map((icon) => icon[2])).toEqual(concept.benefits.map((benefit) => ICONS[benefit.icon]));
      for (const [, attributes] of icons) {
        expect(attributes).toContain('aria-hidden="true" focusable="false"');
        // The page's CSP allows hashed <style> blocks only, not style attributes.
        expect(attributes).not.toContain("style=");
      }
      expect(benefits).not.toMatch(/\p{Extended_Pictographic}/u);
    },
  );

  test("the paused concept's page says so instead of showing the form", async () => {
    const html = await (await get("/c/paused/")).text();
    expect(html).not.toContain('<form id="waitlist"');
    expect(html).toContain("La liste d’attente est en pause pour le moment.");
  });

  test("the home page lists the live concepts only", async () => {
    const html = await (await get("/")).text();
    for (const concept of live) expect(html).toContain(`href="/c/${concept.slug}/"`);
    expect(html).not.toContain('href="/c/paused/"');
    expect(html).not.toContain('href="/c/draft/"');
  });

  test("a draft has no page", async () => {
    expect((await get("/c/draft/")).status).toBe(404);
  });

  test("thank-you pages exist in each concept's language", async () => {
    expect((await get("/c/split/merci/")).status).toBe(200);
    const thanks = await (await get("/c/english/thanks/")).text();
    expect(thanks).toContain("One more step!");
    expect(thanks).toContain('<form class="resend" method="post" action="/api/resend-confirmation">');
    // Without double opt-in there is nothing to confirm, and no link to resend.
    const done = await (await get("/c/no-opt-in/merci/")).text();
    expect(done).toContain("Merci, c’est noté !");
    expect(done).not.toContain('<form class="resend"');
  });

  test("an unknown page is a 404 page", async () => {
    const res = await get("/c/nope/");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page introuvable");
  });

  test("the health check answers", async () => {
    expect(await (await get("/healthz")).json()).toEqual({ ok: true });
  });
});
