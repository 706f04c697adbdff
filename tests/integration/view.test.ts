import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { post, startServer, type TestServer } from "../support/server";

let server: TestServer;
// Noon on a pinned day: a run near UTC midnight cannot count two days.
const DAY = "2026-06-15";
beforeAll(async () => {
  server = await startServer({ CLOCK_START: `${DAY}T12:00:00Z` });
});
afterAll(() => server.stop());

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const views = (concept: string) =>
  server.query<{ n: number }>("select count(*) as n from views where concept = ?", concept)[0]?.n ?? 0;

describe("POST /api/view", () => {
  test("counts a visitor once per day and concept, without setting a cookie", async () => {
    const first = await post(
      server,
      "/api/view",
      { concept: "plain", utm_source: "instagram" },
      { "user-agent": FIREFOX },
    );
    expect(first.status).toBe(204);
    expect(first.headers.get("set-cookie")).toBeNull();
    await post(server, "/api/view", { concept: "plain" }, { "user-agent": FIREFOX });
    expect(views("plain")).toBe(1);
    await post(server, "/api/view", { concept: "plain" }, { "user-agent": SAFARI });
    expect(views("plain")).toBe(2);
    const [row] = server.query("select * from views where concept = 'plain' order by id limit 1");
    expect(row).toMatchObject({
      variant: "control",
      utm_source: "instagram",
      day: DAY,
    });
  });

  test("the visitor hash differs per concept, so concepts are counted apart", async () => {
    await post(server, "/api/view", { concept: "split" }, { "user-agent": FIREFOX });
    await post(server, "/api/view", { concept: "late-variant" }, { "user-agent": FIREFOX });
    const hashes = server.query<{ visitor_hash: string }>(
      "select visitor_hash from views where concept in ('split', 'late-variant')",
    );
    expect(new Set(hashes.map((row) => row.visitor_hash)).size).toBe(2);
  });

  test("a beacon sent as text/plain is accepted, with the referrer's host only", async () => {
    const res = await fetch(new URL("/api/view", server.url), {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": SAFARI },
      body: JSON.stringify({ concept: "no-opt-in", referrer: "https://news.ycombinator.com/item?id=1" }),
    });
    expect(res.status).toBe(204);
    expect(server.query("select referrer_host from views where concept = 'no-opt-in'")).toEqual([
      { referrer_host: "news.ycombinator.com" },
    ]);
  });

  test.each([
    ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    [
      "headless Chrome",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36",
    ],
    ["curl", "curl/8.5.0"],
    ["no User-Agent", ""],
  ])("%s gets a 204 and is not counted", async (_name, userAgent) => {
    const res = await post(server, "/api/view", { concept: "english" }, { "user-agent": userAgent });
    expect(res.status).toBe(204);
    expect(views("english")).toBe(0);
  });

  test("a paused concept's page gets the same 204 and stores nothing: nobody can sign up there", async () => {
    const res = await post(server, "/api/view", { concept: "paused" }, { "user-agent": FIREFOX });
    expect(res.status).toBe(204);
    expect(views("paused")).toBe(0);
  });

  test.each([
    ["an unknown concept", { concept: "nope" }, 404],
    ["no concept", {}, 404],
    ["a draft concept", { concept: "draft" }, 404],
    ["an unknown variant", { concept: "split", variant: "zzz" }, 400],
    ["an unknown field", { concept: "split", extra: 1 }, 400],
  ])("%s → %s", async (_name, body, status) => {
    const res = await post(server, "/api/view", body, { "user-agent": SAFARI });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
  });
});
