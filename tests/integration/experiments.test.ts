import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_EMAIL_DOMAIN } from "../../src/domain/demo-traffic";
import { adminCookie, fixture, seedDemo, startServer, type TestServer } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
/** When late-variant's second variant joined its test (18 days before NOW). */
const JOINED = "2026-11-07";
const split = fixture("split");
const late = fixture("late-variant");
const cheaper = split.variants.find((variant) => variant.id === "cheaper");
let server: TestServer;

/**
 * The seed simulates test concepts with a random rate and no difference between variants;
 * this gives the seeded traffic the two stories checked here. On split, `cheaper` converts
 * better: one view in ten of it that had no signup gets one. On late-variant, the second
 * variant joined the test on JOINED: the control ran alone before (its traffic and split).
 */
function shapeExperiments(databasePath: string): void {
  const joinedAt = Date.parse(`${JOINED}T00:00:00Z`);
  const db = new Sqlite(databasePath);
  db.prepare(
    `insert into signups (concept, variant, email, email_key, lang, visitor_hash, created_at, confirmed_at,
                          utm_source, utm_medium, referrer_host)
     select concept, variant, 'lift.' || id || '@' || :domain, 'lift.' || id || '@' || :domain, :lang, visitor_hash,
            created_at, created_at, utm_source, utm_medium, referrer_host
     from views
     where concept = 'split' and variant = 'cheaper' and id % 10 = 0
       and visitor_hash not in (select visitor_hash from signups where concept = 'split' and visitor_hash is not null)`,
  ).run({ domain: DEMO_EMAIL_DOMAIN, lang: split.lang });
  for (const table of ["views", "signups"])
    db.prepare(
      `update ${table} set variant = 'control' where concept = 'late-variant' and variant = 'new-headline' and created_at < ?`,
    ).run(joinedAt);
  const weights = (variants: typeof late.variants) =>
    JSON.stringify(Object.fromEntries(variants.map((variant) => [variant.id, variant.weight])));
  db.prepare("delete from experiment_epochs where concept = 'late-variant'").run();
  const epoch = db.prepare(
    "insert into experiment_epochs (concept, weights, started_at) values ('late-variant', ?, ?)",
  );
  epoch.run(weights(late.variants.slice(0, 1)), 0);
  epoch.run(weights(late.variants), joinedAt);
  db.close();
}

beforeAll(async () => {
  // The demo traffic of the test concepts, seeded with a fixed seed and clock, then shaped.
  const seed = seedDemo(42, 7, NOW);
  server = await startServer({}, (databasePath) => {
    seed(databasePath);
    shapeExperiments(databasePath);
  });
});
afterAll(() => server.stop());

const variantOf = (html: string) => /data-variant="([a-z0-9-]+)"/.exec(html)?.[1];
const browser = (i: number) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_${i}) AppleWebKit/605.1.15 Safari/605.1.15`;

describe("the split at /c/<slug>/", () => {
  test("the same visitor gets the same variant on every reload; the page sets the A/B cookie once", async () => {
    const seen = new Set<string | undefined>();
    const cookies = new Set<string | null>();
    for (let i = 0; i < 5; i++) {
      const res = await fetch(new URL("/c/split/", server.url), { headers: { "user-agent": browser(1) } });
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      cookies.add(res.headers.get("set-cookie"));
      seen.add(variantOf(await res.text()));
    }
    expect(seen.size).toBe(1);
    const [variant] = seen;
    const [cookie] = cookies;
    expect(cookies.size).toBe(1);
    expect(cookie).toMatch(
      new RegExp(`^ab_split=${variant}\\.\\d{4}-\\d{2}-\\d{2}; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly$`),
    );
    // A browser that sends it back gets the same page and no new cookie.
    const again = await fetch(new URL("/c/split/", server.url), {
      headers: { "user-agent": browser(1), cookie: cookie?.split(";")[0] ?? "" },
    });
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(variantOf(await again.text())).toBe(variant);
  });

  test("different visitors are spread over the variants by their weights", async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const html = await (
        await fetch(new URL("/c/split/", server.url), { headers: { "user-agent": browser(i) } })
      ).text();
      const variant = variantOf(html) ?? "none";
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(split.variants.map((variant) => variant.id).sort());
    // 50/50 weights: 200 visitors land within 70–130 each except once in ~20,000 runs.
    for (const n of counts.values()) expect(n).toBeGreaterThan(70);
  });

  test("each variant is its own prerendered page, served as bytes with no redirect", async () => {
    const cheap = await fetch(new URL("/c/split/v/cheaper/", server.url), { redirect: "manual" });
    expect(cheap.status).toBe(200);
    const html = await cheap.text();
    expect(variantOf(html)).toBe("cheaper");
    expect(html).toContain(`${cheaper?.price?.amount}\u00a0€ / mois`);
    expect(cheaper?.price?.amount).not.toBe(split.price.amount);
    expect(html).toContain('<link rel="canonical" href="http://127.0.0.1:4321/c/split/">');
    expect(html).not.toContain("location.replace");
  });

  test("pages are compressed when the browser accepts it, and HEAD sends no body", async () => {
    const br = await fetch(new URL("/c/split/", server.url), { headers: { "accept-encoding": "br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect((await br.text()).startsWith("<!DOCTYPE html>")).toBe(true);
    const head = await fetch(new URL("/c/plain/", server.url), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  test("the view and the signup carry the variant the visitor was served", async () => {
    const html = await (
      await fetch(new URL("/c/split/", server.url), { headers: { "user-agent": browser(99) } })
    ).text();
    expect(html).toMatch(/name="variant" value="(control|cheaper)"/);
    expect(/name="variant" value="([a-z-]+)"/.exec(html)?.[1]).toBe(variantOf(html));
  });
});

describe("experiment epochs", () => {
  test("the server records no new split when the build matches the last one", () => {
    const rows = server.query<{ concept: string; n: number }>(
      "select concept, count(*) as n from experiment_epochs group by concept order by concept",
    );
    expect(rows).toContainEqual({ concept: "late-variant", n: 2 });
    expect(rows).toContainEqual({ concept: "split", n: 1 });
  });
});

describe("the analytics pages on seeded data", () => {
  test("a variant that converts better is validated against the control", async () => {
    const html = await (
      await fetch(new URL("/admin/c/split", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    expect(html).toContain(`<h1>${split.title}</h1>`);
    // The first crossing, frozen in the decision log with its day and figures, then the rule's sentence of that day.
    expect(html).toMatch(
      /<strong>cheaper<\/strong>: Better than the control on \d{4}-\d{2}-\d{2}, with [\d,]+ visitors and [\d,]+ signups against the control&#39;s [\d,]+ and [\d,]+: Beats the control: lift \+\d+ %/,
    );
    expect(html).toContain('class="verdict verdict-validated"');
    expect(html).not.toContain("Sample ratio mismatch");
  });

  test("a late variant is compared from its start, and the honest answer is keep testing", async () => {
    const html = await (
      await fetch(new URL("/admin/c/late-variant", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    expect(html).toMatch(new RegExp(`<strong>new-headline</strong> joined the test:[\\s\\S]*?from ${JOINED}`));
    expect(html).toMatch(/<strong>new-headline<\/strong>: Lift [+−]\d+ % .* is not settled/);
    expect(html).toContain('class="verdict verdict-keep-testing"');
    expect(html).toContain("p (always valid)");
    expect(html).toMatch(/Bayesian reading, not the verdict: \d+ % chance to beat the control/);
  });

  test("the overview compares the concepts with intervals, P(best) and verdicts", async () => {
    const html = await (
      await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    expect(html).toContain("Which idea do people want?");
    const start = html.indexOf(`>${fixture("plain").title}</a>`);
    const row = html.slice(start, html.indexOf("</tr>", start));
    expect(row).toMatch(
      /^[\s\S]*?<td>[\d,]+<\/td> <td>[\d,]+<\/td> <td data-figure="confirmed">[\s\S]*?<\/td> <td> [\d.]+ % {2}<span class="muted">\s*\([\d.]+ %–[\d.]+ %\)/,
    );
    // P(best), bounded away from 0 and 100 % as "< 1 %" and "> 99 %".
    expect(row).toMatch(/<td>(\d+ %|&lt; 1 %|&gt; 99 %)<\/td>/);
    for (const status of ["validated", "not-validated", "keep-testing"]) expect(html).toContain(`verdict-${status}`);
  });

  test("a date range narrows the figures but never the verdicts, and a bad one is named, not a 500", async () => {
    const cookie = await adminCookie(server);
    const page = async (query: string) =>
      (await fetch(new URL(`/admin/c/split${query}`, server.url), { headers: { cookie } })).text();
    const all = await page("");
    const week = await page("?from=2026-11-19&to=2026-11-25");
    const figure = (html: string, name: string) =>
      Number(new RegExp(`data-figure="${name}">([\\d,]+)<`).exec(html)?.[1]?.replace(/,/g, ""));
    expect(figure(week, "range-visitors")).toBeGreaterThan(0);
    expect(figure(week, "range-visitors")).toBeLessThan(figure(all, "test-visitors") / 3);
    // Verdicts read the whole test: the same idea verdict and variants table with or without dates.
    const verdicts = (html: string) => [
      /Verdict for the idea[\s\S]*?<\/p>/.exec(html)?.[0],
      /<table class="figures variants">[\s\S]*?<\/table>/.exec(html)?.[0],
    ];
    expect(verdicts(all)[0]).toContain("verdict-validated");
    expect(verdicts(week)).toEqual(verdicts(all));
    const bad = await fetch(new URL("/admin/c/split?from=yesterday", server.url), { headers: { cookie } });
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("Date filter ignored — from: use a date such as 2026-11-01.");
  });

  test("an unknown concept is a 404", async () => {
    const res = await fetch(new URL("/admin/c/nope", server.url), { headers: { cookie: await adminCookie(server) } });
    expect(res.status).toBe(404);
  });
});
