/**
 * The A/B cookie, its objection and cookieless mode, and what the admin counts: split and
 * direct traffic apart, signups only after a recorded visit, on the real built server.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { adminCookie, post, startServer, type TestServer } from "../support/server";

const variantOf = (html: string) => /data-variant="([a-z0-9-]+)"/.exec(html)?.[1];
const browser = (i: number) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_${i}) AppleWebKit/605.1.15 Safari/605.1.15`;

async function visit(server: TestServer, userAgent: string, cookie?: string) {
  const res = await fetch(new URL("/c/split/", server.url), {
    headers: { "user-agent": userAgent, ...(cookie ? { cookie } : {}) },
  });
  return { setCookie: res.headers.get("set-cookie"), html: await res.text() };
}

/** A browser whose daily (cookieless) choice is `variant`, so that a cookie for the other one shows. */
async function browserWhoseDailyVariantIs(server: TestServer, variant: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    if (variantOf((await visit(server, browser(i), "no_ab=1")).html) === variant) return browser(i);
  }
  throw new Error(`no browser gets ${variant} in 50 tries`);
}

describe("the A/B cookie", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CLOCK_START: "2026-12-01T10:00:00Z" });
  });
  afterAll(() => server.stop());

  test("a returning visitor's cookie wins over the daily choice, and is not set again", async () => {
    const userAgent = await browserWhoseDailyVariantIs(server, "control");
    const kept = await visit(server, userAgent, "ab_split=cheaper.2026-11-20");
    expect(variantOf(kept.html)).toBe("cheaper");
    expect(kept.setCookie).toBeNull();
  });

  test("a cookie naming no variant of the concept, or a day to come, is replaced by a fresh assignment", async () => {
    const userAgent = await browserWhoseDailyVariantIs(server, "control");
    for (const forged of ["ab_split=gone.2026-11-20", "ab_split=cheaper.2027-01-01"]) {
      const fresh = await visit(server, userAgent, forged);
      expect(variantOf(fresh.html)).toBe("control");
      expect(fresh.setCookie).toMatch(/^ab_split=control\.2026-12-01; /);
    }
  });

  test("the page names the cookie and offers the objection as a plain form", async () => {
    const { html } = await visit(server, browser(1));
    expect(html).toContain('<aside class="ab-notice');
    expect(html).toContain("« ab_split »");
    expect(html).toMatch(/<form method="post" action="\/api\/ab-opt-out">/);
  });

  test("after the objection no A/B cookie is read or written, and the split is the daily one again", async () => {
    const userAgent = await browserWhoseDailyVariantIs(server, "control");
    const objection = await post(server, "/api/ab-opt-out", "concept=split", {
      "user-agent": userAgent,
      cookie: "ab_split=cheaper.2026-11-20; theme=dark",
    });
    expect(objection.status).toBe(303);
    expect(objection.headers.get("location")).toBe("/c/split/#ab-off");
    expect(objection.headers.getSetCookie()).toEqual([
      "ab_split=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly",
      "no_ab=1; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly",
    ]);
    // Even if a stale A/B cookie is still sent, it is not read: the daily choice, and nothing set.
    const after = await visit(server, userAgent, "no_ab=1; ab_split=cheaper.2026-11-20");
    expect(variantOf(after.html)).toBe("control");
    expect(after.setCookie).toBeNull();
    const view = await post(
      server,
      "/api/view",
      { concept: "split", variant: "control", served: "split" },
      { "user-agent": userAgent, cookie: "no_ab=1; ab_split=control.2026-12-01" },
    );
    expect(view.status).toBe(204);
    expect(server.query("select exposure from views where concept = 'split' order by id desc limit 1")).toEqual([
      { exposure: "day" },
    ]);
  });

  test("an objection for no published concept is a 404 page, an unexpected field a 400, never a 500", async () => {
    for (const body of ["concept=nope", "concept=draft", ""]) {
      const res = await post(server, "/api/ab-opt-out", body);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
    }
    expect((await post(server, "/api/ab-opt-out", "concept=split&extra=1")).status).toBe(400);
  });

  test("the first view with the cookie is a first exposure, a later day's a return, a variant's own URL a return", async () => {
    const userAgent = browser(40);
    const beacon = (variant: string, served: "split" | "direct", cookie: string) =>
      post(server, "/api/view", { concept: "split", variant, served }, { "user-agent": userAgent, cookie });
    await beacon("cheaper", "split", "ab_split=cheaper.2026-12-01");
    await beacon("control", "direct", "ab_split=cheaper.2026-12-01");
    const rows = server.query<{ variant: string; served: string; exposure: string }>(
      "select variant, served, exposure from views where concept = 'split' order by id desc limit 2",
    );
    expect(rows).toEqual([
      { variant: "control", served: "direct", exposure: "return" },
      { variant: "cheaper", served: "split", exposure: "first" },
    ]);
    await post(
      server,
      "/api/view",
      { concept: "split", variant: "cheaper", served: "split" },
      { "user-agent": browser(41), cookie: "ab_split=cheaper.2026-11-28" },
    );
    expect(server.query("select exposure from views where concept = 'split' order by id desc limit 1")).toEqual([
      { exposure: "return" },
    ]);
  });

  test("an API signup without a variant is credited to the variant this visitor-day was shown, else to none", async () => {
    const userAgent = browser(42);
    await post(server, "/api/view", { concept: "split", variant: "cheaper" }, { "user-agent": userAgent });
    await post(server, "/api/signup", { concept: "split", email: "seen@example.fr" }, { "user-agent": userAgent });
    await post(server, "/api/signup", { concept: "split", email: "unseen@example.fr" }, { "user-agent": browser(43) });
    const rows = server.query(
      "select email, variant, served, exposure from signups where email like '%seen@%' order by email",
    );
    expect(rows).toEqual([
      { email: "seen@example.fr", variant: "cheaper", served: "split", exposure: "day" },
      { email: "unseen@example.fr", variant: "", served: "split", exposure: "none" },
    ]);
  });

  test("a view beacon with an unknown way of serving is a 400 naming the field", async () => {
    const res = await post(server, "/api/view", { concept: "split", variant: "control", served: "proxy" });
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).errors)).toEqual(["served"]);
  });
});

describe("cookieless mode (AB_COOKIE=off)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ AB_COOKIE: "off" });
  });
  afterAll(() => server.stop());

  test("sets no cookie, reads none, shows no notice, and counts visitor-days", async () => {
    const fresh = await visit(server, browser(1));
    expect(fresh.setCookie).toBeNull();
    expect(fresh.html).not.toContain('<aside class="ab-notice');
    expect(fresh.html).not.toContain("/api/ab-opt-out");
    const daily = variantOf(fresh.html);
    const other = daily === "control" ? "cheaper" : "control";
    const withCookie = await visit(server, browser(1), `ab_split=${other}.2026-01-01`);
    expect(variantOf(withCookie.html)).toBe(daily);
    expect(withCookie.setCookie).toBeNull();
    await post(
      server,
      "/api/view",
      { concept: "split", variant: daily, served: "split" },
      { "user-agent": browser(1), cookie: `ab_split=${daily}.${new Date().toISOString().slice(0, 10)}` },
    );
    expect(server.query("select exposure from views where concept = 'split'")).toEqual([{ exposure: "day" }]);
  });
});

describe("the concept page on a settled history (rollups in place)", () => {
  let server: TestServer;
  let cookie: string;
  const today = "2026-12-10";

  /** 20 days of split traffic at 1:1, an ad campaign on cheaper's own URL, and no-JS signups. */
  function history(databasePath: string) {
    const db = openDatabase(databasePath);
    migrateDatabase(db);
    const view = db.$client.prepare(
      "insert into views (concept, variant, visitor_hash, day, created_at, served, exposure) values ('split', ?, ?, ?, ?, ?, ?)",
    );
    const signup = db.$client.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at, served, exposure) values ('split', ?, ?, ?, 'fr', ?, ?, ?)",
    );
    let n = 0;
    const add = (variant: string, served: string, exposure: string, day: string, signed: boolean) => {
      n += 1;
      const at = Date.parse(`${day}T12:00:00Z`);
      view.run(variant, `h${n}`, day, at, served, exposure);
      if (signed) signup.run(variant, `p${n}@x.fr`, `p${n}@x.fr`, at, served, exposure);
    };
    for (let d = 1; d <= 20; d++) {
      const day = `2026-11-${String(d).padStart(2, "0")}`;
      for (let i = 0; i < 50; i++) {
        add("control", "split", "first", day, i < 2);
        add("cheaper", "split", "first", day, i < 2);
        // Ads on cheaper's own URL: three times the split's traffic, converting at 10 %.
        for (let k = 0; k < 3; k++) add("cheaper", "direct", "day", day, i % 10 === 0);
      }
      // Signups with no recorded visit (no JavaScript): on control, where they would tilt the comparison.
      for (let i = 0; i < 3; i++) {
        n += 1;
        signup.run("control", `nojs${n}@x.fr`, `nojs${n}@x.fr`, Date.parse(`${day}T13:00:00Z`), "split", "none");
      }
    }
    db.$client.close();
  }

  beforeAll(async () => {
    server = await startServer({ CLOCK_START: `${today}T09:00:00Z` }, history);
    cookie = await adminCookie(server);
  });
  afterAll(() => server.stop());

  test("the split is compared on split traffic only: no sample-ratio alarm, ads and unexposed signups beside it", async () => {
    expect(server.query("select rolled_through from rollup_progress")).toEqual([{ rolled_through: "2026-12-08" }]);
    expect(server.query<{ n: number }>("select count(*) as n from rollups")[0]?.n).toBeGreaterThan(0);
    const html = await (await fetch(new URL("/admin/c/split", server.url), { headers: { cookie } })).text();
    expect(html).not.toContain("Sample ratio mismatch");
    const figures = (name: string) =>
      [...html.matchAll(new RegExp(`data-figure="${name}">([\\d,]+)<`, "g"))].map((m) => m[1]);
    // 1,000 people and 40 signups per arm through the split: the 3,000 ad visitors and 60 no-JS signups are not in it.
    expect(figures("visitors")).toEqual(["1,000", "1,000"]);
    expect(figures("signups")).toEqual(["40", "40"]);
    expect(figures("direct-visitors")).toEqual(["0", "3,000"]);
    expect(figures("direct-signups")).toEqual(["0", "300"]);
    expect(html).toMatch(/<strong>60 signups without a recorded visit<\/strong>/);
    // The idea itself counts all its traffic: 5,000 visitors, 440 signups.
    expect(html).toMatch(/data-figure="test-visitors">5,000</);
    expect(html).toContain("2,000 people");
    expect(html).toContain("3,000 visitor-days");
  });

  test("the overview says what going cookieless would cost, from the signups that carry the cookie", async () => {
    const html = await (await fetch(new URL("/admin", server.url), { headers: { cookie } })).text();
    expect(html).toMatch(/0 % of the signups made with the A\/B cookie \(0 of 80\)/);
  });
});
