/**
 * A visitor entering through /try/ in a real browser: the beacon tells the view came through
 * /try/ (with the link's UTM), and on a later day (the server's clock moved by restarting it
 * on the same database) the same browser is brought back to the same concept.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, launchChromium } from "../support/browser";
import { startServer, type TestServer } from "../support/server";

const DAY_1 = "2026-12-01T10:00:00Z";
const DAY_2 = "2026-12-02T10:00:00Z";
// Distinct browsers: each has its own daily draw, so that some would be sent elsewhere on day 2.
const VISITORS = 12;
const userAgent = (i: number) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.${i}.0 Safari/537.36`;

let browser: Browser;

describe.skipIf(!chromiumPath)("entering through /try/ in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("brings a returning browser back to the same concept on a later day, and counts its views as /try/'s", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-try-e2e-")), "racine.db");
    const contexts: BrowserContext[] = [];
    const firstSeen: string[] = [];
    const enter = async (context: BrowserContext, server: TestServer) => {
      const page = await context.newPage();
      const view = page.waitForResponse((res) => res.url().endsWith("/api/view"));
      await page.goto(`${server.url}/try/?utm_source=linkedin&utm_campaign=ideas`);
      expect((await view).status()).toBe(204);
      expect(new URL(page.url()).pathname).toBe("/try/");
      const concept = (await page.locator("main").getAttribute("data-concept")) ?? "";
      await page.close();
      return concept;
    };

    let server = await startServer({ CLOCK_START: DAY_1, DATABASE_PATH: databasePath });
    try {
      // Side by side, each in its own browser context (its own cookies): one after the other is slow on a loaded machine.
      for (let i = 0; i < VISITORS; i++) contexts.push(await browser.newContext({ userAgent: userAgent(i) }));
      firstSeen.push(...(await Promise.all(contexts.map((context) => enter(context, server)))));
      const cookies = (await contexts[0]?.cookies()) ?? [];
      expect(cookies.find((cookie) => cookie.name === "try")).toMatchObject({
        value: `${firstSeen[0]}.2026-12-01`,
        httpOnly: true,
        sameSite: "Lax",
      });
    } finally {
      await server.stop();
    }

    server = await startServer({ CLOCK_START: DAY_2, DATABASE_PATH: databasePath });
    try {
      const again = await Promise.all(contexts.map((context) => enter(context, server)));
      const daily = await Promise.all(
        contexts.map(async (_, i) => {
          const res = await fetch(new URL("/try/", server.url), {
            headers: { "user-agent": userAgent(i), cookie: "no_ab=1" },
          });
          return /data-concept="([a-z0-9-]+)"/.exec(await res.text())?.[1] ?? "";
        }),
      );
      expect(again).toEqual(firstSeen);
      // A new daily salt draws most of them elsewhere among 5 live concepts: none moving is 1 in 5^12.
      expect(daily.filter((concept, i) => concept !== firstSeen[i]).length).toBeGreaterThan(0);
      const views = server.query<{ served: string; utm: string; n: number }>(
        "select served, utm_source || '/' || utm_campaign as utm, count(*) as n from views group by served, utm",
      );
      expect(views).toEqual([{ served: "try", utm: "linkedin/ideas", n: VISITORS * 2 }]);
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      await server.stop();
    }
  }, 120_000); // 12 browsers, two server starts: slow on a loaded 2-core machine
});
