/**
 * Read-only share links through the real server: the admin makes one on /admin/c/<slug>,
 * anyone holding it opens that concept's report without a session and without a single
 * address; revoking closes it at once, expiry closes it for good (410), and whatever else
 * a client sends reads as an unknown link (404). Time passes by restarting the server on
 * the same database with a later pinned clock.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminCookie, fixture, post, seedDemo, startServer, type TestServer } from "../support/server";

const START = "2026-11-25T12:00:00Z";
const DAY = 24 * 60 * 60 * 1000;
const databasePath = join(mkdtempSync(join(tmpdir(), "racine-share-")), "racine.db");

let server: TestServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer({ CLOCK_START: START, DATABASE_PATH: databasePath }, seedDemo(14, 3, START));
  cookie = await adminCookie(server);
});
afterAll(() => server.stop());

const adminPage = async (slug: string) =>
  (await fetch(new URL(`/admin/c/${slug}`, server.url), { headers: { cookie } })).text();
/** The share URLs the admin page lists, newest first. */
const listedLinks = async (slug: string) =>
  [...(await adminPage(slug)).matchAll(/<input type="url" readonly value="([^"]+)"/g)].map((m) => m[1] ?? "");
const linkIds = () => server.query<{ id: number }>("select id from share_links order by id").map((row) => row.id);
async function createLink(slug: string, days?: number): Promise<string> {
  const res = await post(server, "/admin/share-links", `concept=${slug}${days ? `&days=${days}` : ""}`, { cookie });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe(`/admin/c/${slug}#share-links`);
  const [newest] = await listedLinks(slug);
  return new URL(newest ?? "").pathname;
}
const open = (path: string) => fetch(new URL(path, server.url), { redirect: "manual" });
/** The page without its inline CSS (`@media` is no address). */
const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
const withoutStyles = (html: string) => html.replace(/<style[^>]*>[\s\S]*?<\/style>/g, "");

describe("a share link", () => {
  test("opens the concept's verdict, figures and charts without a session, with no address, and writes nothing", async () => {
    const path = await createLink("split");
    expect(path).toMatch(/^\/share\/[\w-]+\.[\w-]{43}$/);
    const before = server.query("select * from share_links");
    const res = await open(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    // The on-demand policy: no inline script may run.
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self';/);
    const html = await res.text();
    expect(html).toContain(`<h1>${fixture("split").title}</h1>`);
    expect(html).toContain("Verdict for the idea");
    expect(html).toMatch(/data-figure="test-visitors">[1-9][\d,]*</);
    expect(html).toMatch(/data-figure="visitors">[1-9][\d,]*</);
    // The funnel per variant, the conversion so far and the signups per day.
    expect(html.match(/<canvas data-chart=/g)).toHaveLength(3);
    expect(html).toContain("How long until a verdict?");
    // The admin page of the same concept lists addresses; the shared one has none, no admin control, no way into /admin.
    expect(withoutStyles(await adminPage("split"))).toMatch(/<th scope="row">[^<]+@[^<]+<\/th>/);
    expect(withoutStyles(html)).not.toContain("@");
    expect(html).not.toContain("Latest signups");
    expect(html).not.toMatch(/href="\/admin|action="\/admin/);
    expect(html).not.toContain("<form");
    expect(server.query("select * from share_links")).toEqual(before);
  });

  test("of one concept opens that concept only", async () => {
    const split = await createLink("split");
    const plain = await createLink("plain");
    const [splitHtml, plainHtml] = await Promise.all([(await open(split)).text(), (await open(plain)).text()]);
    expect(splitHtml).toContain(`<h1>${fixture("split").title}</h1>`);
    expect(splitHtml).not.toContain(fixture("plain").title);
    expect(plainHtml).toContain(`<h1>${fixture("plain").title}</h1>`);
    expect(plainHtml).not.toContain(fixture("split").title);
    // The split link's signature over the plain link's payload: another concept's link, forged.
    const [, splitSignature] = split.split(".");
    const [plainPayload] = plain.split(".");
    expect((await open(`${plainPayload}.${splitSignature}`)).status).toBe(404);
  });

  test("revoked, stops opening at once, with the page an unknown link gets", async () => {
    const path = await createLink("split", 30);
    expect((await open(path)).status).toBe(200);
    const id = linkIds().at(-1);
    const revoked = await post(server, "/admin/share-links/revoke", `id=${id}`, { cookie });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe("/admin/c/split#share-links");
    const res = await open(path);
    expect(res.status).toBe(404);
    // The same page but for its own address (canonical, og:url).
    const unknown = await open("/share/nothing.here");
    expect(unknown.status).toBe(404);
    expect(mainOf(await res.text())).toBe(mainOf(await unknown.text()));
    expect(mainOf(await (await open(path)).text())).toContain("No report at this address");
    expect(await listedLinks("split")).not.toContain(new URL(path, server.url).href);
  });

  test.each([
    ["a changed signature", (path: string) => `${path.slice(0, -1)}${path.endsWith("A") ? "B" : "A"}`],
    ["a truncated token", (path: string) => path.slice(0, -10)],
    ["the payload alone", (path: string) => path.split(".")[0] ?? ""],
    ["bad base64", () => "/share/%%%.***"],
    ["not UTF-8", () => "/share/%C3%28.%FF"],
    ["a huge token", () => `/share/${"A".repeat(8_000)}.${"B".repeat(43)}`],
  ])("%s reads as an unknown link: 404 in plain English, no stack trace", async (_name, change) => {
    const res = await open(change(await createLink("split")));
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("This link does not open a report");
    expect(html).not.toMatch(/Error|\bat .+:\d+:\d+/);
  });

  test("a URL past Node's header limit is refused by the server before any page (431), not a 500", async () => {
    expect((await open(`/share/${"A".repeat(20_000)}`)).status).toBe(431);
  });
});

describe("making and revoking links", () => {
  test("without a session, both are sent to the login page and nothing is written", async () => {
    const ids = linkIds();
    for (const [path, body] of [
      ["/admin/share-links", "concept=split&days=7"],
      ["/admin/share-links/revoke", `id=${ids[0]}`],
    ] as const) {
      const res = await post(server, path, body);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
    }
    expect(linkIds()).toEqual(ids);
    expect(server.query("select revoked_at from share_links where id = ?", ids[0])).toEqual([{ revoked_at: null }]);
  });

  test.each(["0", "91", "2.5", "a week"])("a lifetime of %s days is refused with 400", async (days) => {
    const ids = linkIds();
    const res = await post(server, "/admin/share-links", `concept=split&days=${encodeURIComponent(days)}`, { cookie });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, errors: { days: expect.any(String) } });
    expect(linkIds()).toEqual(ids);
  });

  test("a link lasts 7 days unless chosen, and an unknown concept or link is a 404", async () => {
    await createLink("split");
    const [row] = server.query<{ created: number; expires: number }>(
      "select created_at as created, expires_at as expires from share_links order by id desc limit 1",
    );
    expect((row?.expires ?? 0) - (row?.created ?? 0)).toBe(7 * DAY);
    expect((await post(server, "/admin/share-links", "concept=nope&days=7", { cookie })).status).toBe(404);
    expect((await post(server, "/admin/share-links/revoke", "id=999999", { cookie })).status).toBe(404);
  });
});

describe("expiry", () => {
  test("past its expiry a link says so (410); a revoked one still reads as unknown; a longer one still opens", async () => {
    const oneDay = await createLink("split", 1);
    const week = await createLink("split", 7);
    const revoked = await createLink("split", 1);
    await post(server, "/admin/share-links/revoke", `id=${linkIds().at(-1)}`, { cookie });
    await server.stop();

    server = await startServer({
      CLOCK_START: new Date(Date.parse(START) + DAY + 60_000).toISOString(),
      DATABASE_PATH: databasePath,
    });
    const expired = await open(oneDay);
    expect(expired.status).toBe(410);
    expect(expired.headers.get("cache-control")).toBe("no-store");
    const html = await expired.text();
    expect(html).toContain("This link has expired");
    expect(html).not.toContain(fixture("split").title);
    expect((await open(revoked)).status).toBe(404);
    expect((await open(week)).status).toBe(200);
  });
});
