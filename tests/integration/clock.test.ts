/**
 * The server's clock is the composition root's, and a test can pin it (CLOCK_START): views,
 * signups, emails and their links, the admin pages, the export and the rollup timer all
 * read that one clock, never the wall clock.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { adminCookie, FIXTURE_BUILD, post, startServer, type TestServer } from "../support/server";

// Far from the real date, so nothing here can pass by reading the wall clock.
const PINNED = Date.parse("2031-07-14T12:00:00Z");
const PINNED_DAY = "2031-07-14";
const concept = loadConceptFiles(FIXTURE_BUILD.conceptsDir).find((c) => c.status === "live" && c.doubleOptIn);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ CLOCK_START: new Date(PINNED).toISOString() });
});
afterAll(() => server.stop());

/** Within the minute after the pinned instant: the pinned clock runs on at the system's pace. */
const nearPinned = (ms: number) => expect(ms - PINNED).toSatisfy((delta: number) => delta >= 0 && delta < 60_000);

describe("a pinned server clock (CLOCK_START)", () => {
  test("the test has a live double opt-in concept to work with", () => {
    expect(concept).toBeDefined();
  });

  test("a view is counted on the pinned day", async () => {
    const res = await post(
      server,
      "/api/view",
      { concept: concept?.slug },
      { "user-agent": "Mozilla/5.0 Firefox/133.0" },
    );
    expect(res.status).toBe(204);
    const [row] = server.query<{ day: string; created_at: number }>("select day, created_at from views");
    expect(row?.day).toBe(PINNED_DAY);
    nearPinned(row?.created_at ?? 0);
  });

  test("a signup, its confirmation email and the confirmation itself carry the pinned time", async () => {
    const res = await post(server, "/api/signup", { concept: concept?.slug, email: "clock@example.org" });
    expect(res.status).toBe(201);
    await expect
      .poll(() => readdirSync(server.outboxDir).filter((name) => name.endsWith(".json")).length, { timeout: 10_000 })
      .toBe(1);
    const [signup] = server.query<{ id: number; created_at: number }>("select id, created_at from signups");
    nearPinned(signup?.created_at ?? 0);
    const [email] = server.query<{ created_at: number; sent_at: number }>("select created_at, sent_at from outbox");
    nearPinned(email?.created_at ?? 0);
    nearPinned(email?.sent_at ?? 0);
    // The file mailer stamps its files with the same clock.
    const files = readdirSync(server.outboxDir);
    expect(files.every((name) => name.startsWith(`${PINNED_DAY}T12-`))).toBe(true);
    // The link's token expires 7 days after the pinned instant: on the wall clock of 2031 it is valid.
    const text = readFileSync(join(server.outboxDir, files.find((name) => name.endsWith(".txt")) ?? ""), "utf8");
    const link = /http:\/\/127\.0\.0\.1:\d+(\/api\/confirm\?token=[\w.-]+)/.exec(text)?.[1];
    expect(link).toBeDefined();
    expect((await post(server, link ?? "", "")).status).toBe(200);
    const [confirmed] = server.query<{ confirmed_at: number }>("select confirmed_at from signups");
    nearPinned(confirmed?.confirmed_at ?? 0);
  });

  test("the admin pages and the export read the pinned day as today", async () => {
    const cookie = await adminCookie(server);
    const future = await fetch(new URL("/admin?to=2099-01-01", server.url), { headers: { cookie } });
    expect(await future.text()).toContain(`shown up to today (${PINNED_DAY})`);
    const csv = await fetch(new URL("/admin/export.csv", server.url), { headers: { cookie } });
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="racine-signups-${PINNED_DAY}.csv"`);
  });

  test("the rollup timer ran at start on the pinned day: settled days end the day before yesterday", () => {
    const [state] = server.query<{ rolled_through: string }>("select rolled_through from rollup_progress");
    expect(state?.rolled_through).toBe("2031-07-12");
  });
});
