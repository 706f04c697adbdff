/**
 * Admin pages only read: the daily rollups are refreshed by the server's own timer (at
 * start, then every 10 minutes), never by a GET. Days not rolled up yet are counted from
 * the raw tables, so the figures do not depend on it.
 */
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminCookie, seedDemo, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({}, seedDemo(14, 3, "2026-11-25T12:00:00Z"));
});
afterAll(() => server.stop());

describe("admin pages and the rollups", () => {
  test("the server rolls up at start; a GET of /admin writes nothing, and its figures stay the same", async () => {
    expect(server.query("select count(*) as n from rollup_progress")).toEqual([{ n: 1 }]);
    const cookie = await adminCookie(server);
    const page = async () => (await fetch(new URL("/admin", server.url), { headers: { cookie } })).text();
    const visitors = (html: string) => [...html.matchAll(/data-figure="visitors">([\d,]+)</g)].map((m) => m[1]);
    const rolledUp = visitors(await page());
    expect(rolledUp.length).toBeGreaterThan(0);

    // Drop the rollups behind the server's back: the page must count from the raw tables and leave them alone.
    const writer = new Sqlite(server.databasePath);
    writer.exec("delete from rollups; delete from rollup_progress;");
    writer.close();
    expect(visitors(await page())).toEqual(rolledUp);
    await fetch(new URL("/admin/c/split", server.url), { headers: { cookie } });
    expect(server.query("select count(*) as n from rollup_progress")).toEqual([{ n: 0 }]);
    expect(server.query("select count(*) as n from rollups")).toEqual([{ n: 0 }]);
  });
});
