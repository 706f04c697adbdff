/**
 * The randomised entry point /try/ on the real built server: which concept it sends a new
 * visitor to and keeps them on (the `try` cookie), its notice and objection, cookieless
 * mode, how its traffic is counted and rolled up, and what the overview then compares.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminCookie, fixture, post, startServer, type TestServer } from "../support/server";

const LIVE = ["english", "ladder", "ladder-en", "late-variant", "no-opt-in", "plain", "split"];
const conceptOf = (html: string) => /data-concept="([a-z0-9-]+)"/.exec(html)?.[1];
const browser = (i: number) => `Mozilla/5.0 (X11; Linux x86_64; rv:${100 + i}.0) Gecko/20100101 Firefox/${100 + i}.0`;

async function enter(server: TestServer, userAgent: string, cookie?: string, path = "/try/") {
  const res = await fetch(new URL(path, server.url), {
    headers: { "user-agent": userAgent, ...(cookie ? { cookie } : {}) },
  });
  return { status: res.status, setCookies: res.headers.getSetCookie(), html: await res.text() };
}

/** A browser whose daily (cookieless) draw at /try/ is not `slug`, so that a cookie naming `slug` shows. */
async function browserNotDrawnTo(server: TestServer, slug: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    if (conceptOf((await enter(server, browser(i), "no_ab=1")).html) !== slug) return browser(i);
  }
  throw new Error(`every browser is drawn to ${slug}`);
}

describe("/try/", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CLOCK_START: "2026-12-01T10:00:00Z" });
  });
  afterAll(() => server.stop());

  test("sends new visitors to live concepts only, each with a try cookie of the concept and the day", async () => {
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const { status, setCookies, html } = await enter(server, browser(i));
      const slug = conceptOf(html) ?? "";
      expect(status).toBe(200);
      expect(LIVE).toContain(slug);
      expect(setCookies).toContain(`try=${slug}.2026-12-01; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly`);
      reached.add(slug);
    }
    // 60 uniform draws among 5: each is reached (a miss has a chance of 5 × 0.8^60 ≈ 7e-6).
    expect([...reached].sort()).toEqual(LIVE);
  });

  test("keeps a returning visitor on the concept their cookie names, and sets nothing again", async () => {
    const userAgent = await browserNotDrawnTo(server, "plain");
    const back = await enter(server, userAgent, "try=plain.2026-11-20");
    expect(conceptOf(back.html)).toBe("plain");
    expect(back.setCookies).toEqual([]);
  });

  test("a cookie naming a paused, draft or unknown concept, or a day to come, is drawn again", async () => {
    for (const stale of [
      "try=paused.2026-11-20",
      "try=draft.2026-11-20",
      "try=gone.2026-11-20",
      "try=plain.2027-01-01",
    ]) {
      const { html, setCookies } = await enter(server, browser(7), stale);
      const slug = conceptOf(html) ?? "";
      expect(LIVE).toContain(slug);
      expect(setCookies[0]).toMatch(new RegExp(`^try=${slug}\\.2026-12-01; `));
    }
  });

  test("the concept's own A/B split applies inside it, with its own cookie", async () => {
    const { html, setCookies } = await enter(server, browser(3), "try=split.2026-11-30");
    expect(conceptOf(html)).toBe("split");
    const variant = /data-variant="([a-z0-9-]+)"/.exec(html)?.[1];
    expect(setCookies).toEqual([`ab_split=${variant}.2026-12-01; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly`]);
  });

  test("serves the concept's bytes at /try/: no redirect, its canonical URL, and a notice naming the try cookie", async () => {
    const res = await fetch(new URL("/try/?utm_source=linkedin", server.url), {
      redirect: "manual",
      headers: { cookie: "try=plain.2026-11-30" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    const html = await res.text();
    expect(html).toContain('<link rel="canonical" href="http://127.0.0.1:4321/c/plain/"');
    expect(html).toContain("« try »");
    expect(html).toContain('name="entry" value="try"');
    // The concept's own page sets no cookie (no variants): it has no notice at all.
    const own = await enter(server, browser(1), undefined, "/c/plain/");
    expect(own.html).not.toContain('<aside class="ab-notice');
    // An A/B page keeps its own notice, without the try sentence.
    const split = await enter(server, browser(1), undefined, "/c/split/");
    expect(split.html).toContain("« ab_split »");
    expect(split.html).not.toContain("« try »");
  });

  test("after the objection no try cookie is read or written: the daily draw, and back to /try/", async () => {
    const userAgent = await browserNotDrawnTo(server, "plain");
    const objection = await post(server, "/api/ab-opt-out", "concept=plain&entry=try", {
      "user-agent": userAgent,
      cookie: "try=plain.2026-11-20; ab_split=control.2026-11-20",
    });
    expect(objection.status).toBe(303);
    expect(objection.headers.get("location")).toBe("/try/#ab-off");
    expect(objection.headers.getSetCookie()).toEqual([
      "try=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly",
      "ab_split=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly",
      "no_ab=1; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly",
    ]);
    const daily = conceptOf((await enter(server, userAgent, "no_ab=1")).html);
    const after = await enter(server, userAgent, "no_ab=1; try=plain.2026-11-20");
    expect(conceptOf(after.html)).toBe(daily);
    expect(conceptOf(after.html)).not.toBe("plain");
    expect(after.setCookies).toEqual([]);
  });

  test("a bad objection is a 400 or 404, never a 500", async () => {
    expect((await post(server, "/api/ab-opt-out", "concept=plain&entry=ad")).status).toBe(400);
    expect((await post(server, "/api/ab-opt-out", "concept=nope&entry=try")).status).toBe(404);
    expect((await post(server, "/api/view", { concept: "plain", served: "elsewhere" })).status).toBe(400);
  });
});

describe("/try/ on a cookieless site (AB_COOKIE=off)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CLOCK_START: "2026-12-01T10:00:00Z", AB_COOKIE: "off" });
  });
  afterAll(() => server.stop());

  test("the daily visitor id draws the concept: the same one all day, no cookie read or written, no notice", async () => {
    for (let i = 0; i < 5; i++) {
      const first = await enter(server, browser(i));
      const again = await enter(server, browser(i), "try=plain.2026-11-20");
      expect(LIVE).toContain(conceptOf(first.html));
      expect(conceptOf(again.html)).toBe(conceptOf(first.html));
      expect([...first.setCookies, ...again.setCookies]).toEqual([]);
      expect(first.html).not.toContain('<aside class="ab-notice');
    }
  });
});

describe("counting /try/ traffic and comparing ideas on it", () => {
  let server: TestServer;
  const view = (concept: string, i: number, served: "try" | "split") =>
    post(server, "/api/view", { concept, served, utm_source: "linkedin" }, { "user-agent": browser(1000 + i) });
  const overviewNote = async () => {
    const html = await (
      await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    return /<p class="note" data-figure="idea-comparison" data-basis="(\w+)">\s*([^<]*)<\/p>/.exec(html)?.slice(1);
  };
  afterAll(() => server?.stop());

  test("views and signups through /try/ are served=try, in the raw tables and, once settled, in the rollups", async () => {
    // A file of the test's own, so that a restart reuses it.
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-try-")), "racine.db");
    server = await startServer({ CLOCK_START: "2026-12-01T10:00:00Z", DATABASE_PATH: databasePath });
    expect((await view("plain", 0, "try")).status).toBe(204);
    // Another idea's traffic came from its own page (an ad): the audiences differ.
    expect((await view("english", 0, "split")).status).toBe(204);
    await post(server, "/api/signup", { concept: "plain", email: "try@example.fr" }, { "user-agent": browser(1000) });
    expect(server.query("select concept, served, exposure from views order by concept desc")).toEqual([
      { concept: "plain", served: "try", exposure: "day" },
      { concept: "english", served: "split", exposure: "day" },
    ]);
    expect(server.query("select served, exposure from signups")).toEqual([{ served: "try", exposure: "day" }]);
    // Before enough /try/ traffic, P(best) reads all of it, and the page says the audiences differ.
    const [basis, note] = (await overviewNote()) ?? [];
    expect(basis).toBe("all");
    expect(note).toContain("Not compared on the same audience");
    expect(note).toContain("/try/ has brought 1 visitor so far");

    // Two days later the day is settled: a restart on the same file rolls it up.
    await server.stop();
    server = await startServer({ CLOCK_START: "2026-12-03T10:00:00Z", DATABASE_PATH: databasePath });
    expect(
      server.query(
        `select concept, served, sum(visitors) as visitors, sum(signups) as signups from rollups
          where day = '2026-12-01' group by concept, served order by concept`,
      ),
    ).toEqual([
      { concept: "english", served: "split", visitors: 1, signups: 0 },
      { concept: "plain", served: "try", visitors: 1, signups: 1 },
    ]);
  });

  test("with every live idea at 1/target visitors through /try/ and 10 signups, P(best) reads the /try/ traffic", async () => {
    let i = 1;
    const sent = new Map<string, number[]>();
    for (const slug of LIVE) {
      const target = fixture(slug).successCriteria.minConversionPercent / 100;
      for (let n = 0; n < Math.ceil(1 / target); n++) {
        expect((await view(slug, i, "try")).status).toBe(204);
        sent.set(slug, [...(sent.get(slug) ?? []), i++]);
      }
    }
    // Traffic of an idea's own page (an ad, another day) stays out of P(best).
    for (let n = 0; n < 5; n++) await view("english", i++, "split");
    // 9 more signups (10 with the first test's), each after a visit /try/ sent: they count as its.
    for (let n = 0; n < 9; n++) {
      const slug = LIVE[n % LIVE.length] ?? "plain";
      const visitor = sent.get(slug)?.[Math.floor(n / LIVE.length)] ?? 0;
      const signup = await post(
        server,
        "/api/signup",
        { concept: slug, email: `p${n}@example.fr` },
        { "user-agent": browser(1000 + visitor) },
      );
      expect(signup.status).toBe(201);
    }
    expect(server.query("select count(*) as n from signups where served = 'try'")).toEqual([{ n: 10 }]);
    const [basis, note] = (await overviewNote()) ?? [];
    expect(basis).toBe("try");
    expect(note).toMatch(
      /^Compared on the same audience: P\(best\) reads only the \d+ visitors and \d+ signups that came through \/try\//,
    );
  });
});
