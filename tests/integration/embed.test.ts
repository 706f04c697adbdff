import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminCookie, post, startServer, type TestServer } from "../support/server";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const ORIGINS = "https://shop.example.com http://localhost:8080";
const directive = (csp: string | null, name: string) =>
  (csp ?? "")
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

let embedding: TestServer;
let closed: TestServer;
beforeAll(async () => {
  [embedding, closed] = await Promise.all([
    startServer({ EMBED_ORIGINS: ORIGINS, CLOCK_START: "2026-06-15T12:00:00Z" }),
    startServer(),
  ]);
});
afterAll(() => Promise.all([embedding.stop(), closed.stop()]));

describe("GET /embed/<slug>/", () => {
  test("with EMBED_ORIGINS: the configured origins, and only they, may frame it", async () => {
    const res = await fetch(`${embedding.url}/embed/plain/`);
    expect(res.status).toBe(200);
    expect(directive(res.headers.get("content-security-policy"), "frame-ancestors")).toBe(
      "frame-ancestors https://shop.example.com http://localhost:8080",
    );
    expect(res.headers.get("x-frame-options")).toBeNull();
    const html = await res.text();
    expect(html).toContain('data-source="embed"');
    expect(html).toContain('<form id="waitlist"');
    expect(html).toContain('<meta name="robots" content="noindex">');
    // No header, story or footer: the offer's line and the form.
    expect(html).not.toMatch(/<footer|class="hero"|class="story"/);
  });

  test("with EMBED_ORIGINS, every other page still refuses any frame", async () => {
    for (const path of ["/c/plain/", "/c/plain/v/control/", "/", "/nowhere"]) {
      const res = await fetch(`${embedding.url}${path}`);
      expect(directive(res.headers.get("content-security-policy"), "frame-ancestors"), path).toBe(
        "frame-ancestors 'none'",
      );
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  test("without EMBED_ORIGINS: frame-ancestors 'none', as everywhere", async () => {
    const res = await fetch(`${closed.url}/embed/plain/`);
    expect(res.status).toBe(200);
    expect(directive(res.headers.get("content-security-policy"), "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  test.each(["draft", "unknown-concept"])("%s: 404", async (slug) => {
    const res = await fetch(`${embedding.url}/embed/${slug}/`);
    expect(res.status).toBe(404);
    expect(directive(res.headers.get("content-security-policy"), "frame-ancestors")).toBe("frame-ancestors 'none'");
  });

  test("an A/B concept's embed shows the control and sets no A/B cookie", async () => {
    const res = await fetch(`${embedding.url}/embed/split/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain('data-variant="control"');
  });
});

describe("what the embed counts", () => {
  test("its view and signup count for the concept with source embed, served direct, the host page as referrer", async () => {
    const headers = { "user-agent": FIREFOX, origin: embedding.url };
    // What the embed's script sends from inside the frame (tests/e2e/embed.test.ts runs the real one).
    const tracking = { utm_source: "embed", referrer: "https://shop.example.com/" };
    const view = await post(
      embedding,
      "/api/view",
      { concept: "split", variant: "control", served: "direct", ...tracking },
      headers,
    );
    expect(view.status).toBe(204);
    const signup = await post(
      embedding,
      "/api/signup",
      { concept: "split", variant: "control", email: "embed@example.com", fill_ms: "4000", ...tracking },
      { ...headers, accept: "application/json" },
    );
    expect(signup.status).toBe(201);
    expect(embedding.query("select variant, served, exposure, utm_source, referrer_host from views")).toEqual([
      { variant: "control", served: "direct", exposure: "day", utm_source: "embed", referrer_host: "shop.example.com" },
    ]);
    expect(
      embedding.query(
        "select variant, served, exposure, utm_source, referrer_host from signups where email = 'embed@example.com'",
      ),
    ).toEqual([
      { variant: "control", served: "direct", exposure: "day", utm_source: "embed", referrer_host: "shop.example.com" },
    ]);

    const cookie = await adminCookie(embedding);
    const admin = await (await fetch(`${embedding.url}/admin/c/split`, { headers: { cookie } })).text();
    expect(admin).toMatch(/<th[^>]*>embed<\/th>/);
    const csv = await (await fetch(`${embedding.url}/admin/export.csv`, { headers: { cookie } })).text();
    expect(csv).toMatch(/"embed@example\.com".*"embed"/);
  });
});

describe("the admin panel", () => {
  test("shows the snippet, escaped in a code block, and the allowed origins", async () => {
    const cookie = await adminCookie(embedding);
    const html = await (await fetch(`${embedding.url}/admin/c/plain`, { headers: { cookie } })).text();
    expect(html).toContain(
      `<pre class="snippet" tabindex="0"><code>&lt;iframe id=&quot;racine-plain&quot; src=&quot;${embedding.url}/embed/plain/&quot;`,
    );
    expect(html).toContain("https://shop.example.com, http://localhost:8080");
    expect(html).not.toContain('data-figure="embed-note"');
  });

  test("says when no origin is configured", async () => {
    const cookie = await adminCookie(closed);
    const html = await (await fetch(`${closed.url}/admin/c/plain`, { headers: { cookie } })).text();
    expect(html).toMatch(/data-figure="embed-note"><strong>No site may frame this form yet: set EMBED_ORIGINS/);
  });
});
