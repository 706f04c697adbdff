/**
 * A returning visitor in a real browser: the same variant on a later day (the server's
 * clock moved by restarting it on the same database), and the one-click objection.
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
// Visitors with distinct browsers: each gets its own daily choice, so some would switch on day 2.
const VISITORS = 16;
const userAgent = (i: number) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${i}.0 Safari/537.36`;

let browser: Browser;

describe.skipIf(!chromiumPath)("a returning visitor in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("sees the same variant on a later day, as a return visit, where the daily choice would have switched", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-sticky-")), "racine.db");
    const contexts: BrowserContext[] = [];
    const firstSeen: string[] = [];
    const seenIn = async (context: BrowserContext, server: TestServer) => {
      const page = await context.newPage();
      const view = page.waitForResponse((res) => res.url().endsWith("/api/view"));
      await page.goto(`${server.url}/c/split/`);
      expect((await view).status()).toBe(204);
      const variant = (await page.locator("main").getAttribute("data-variant")) ?? "";
      await page.close();
      return variant;
    };

    let server = await startServer({ CLOCK_START: DAY_1, DATABASE_PATH: databasePath });
    try {
      // Side by side, each in its own browser context (its own cookies): one after the other
      // took two minutes on a loaded machine.
      for (let i = 0; i < VISITORS; i++) contexts.push(await browser.newContext({ userAgent: userAgent(i) }));
      firstSeen.push(...(await Promise.all(contexts.map((context) => seenIn(context, server)))));
      const [cookie] = (await contexts[0]?.cookies()) ?? [];
      expect(cookie).toMatchObject({
        name: "ab_split",
        value: `${firstSeen[0]}.2026-12-01`,
        httpOnly: true,
        sameSite: "Lax",
      });
    } finally {
      await server.stop();
    }

    server = await startServer({ CLOCK_START: DAY_2, DATABASE_PATH: databasePath });
    try {
      const again = await Promise.all(contexts.map((context) => seenIn(context, server)));
      // What the same browsers would get today without the cookie (its objection flag only).
      const daily = await Promise.all(
        contexts.map(async (_, i) => {
          const res = await fetch(new URL("/c/split/", server.url), {
            headers: { "user-agent": userAgent(i), cookie: "no_ab=1" },
          });
          return /data-variant="([a-z0-9-]+)"/.exec(await res.text())?.[1] ?? "";
        }),
      );
      expect(again).toEqual(firstSeen);
      // A new daily salt re-randomises about half of them: all 16 keeping their variant by chance is 1 in 65,536.
      expect(daily.filter((variant, i) => variant !== firstSeen[i]).length).toBeGreaterThan(0);
      const exposures = server.query<{ day: string; exposure: string; n: number }>(
        "select day, exposure, count(*) as n from views where concept = 'split' group by day, exposure order by day",
      );
      expect(exposures).toEqual([
        { day: "2026-12-01", exposure: "first", n: VISITORS },
        { day: "2026-12-02", exposure: "return", n: VISITORS },
      ]);
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
      await server.stop();
    }
  }, 120_000); // 16 browsers, two server starts: slow on a loaded 2-core machine

  test("one click on the notice's button objects: the cookie is gone, only the flag stays, and nothing is set again", async () => {
    const server = await startServer({ CLOCK_START: DAY_1 });
    const context = await browser.newContext({ userAgent: userAgent(99) });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/c/split/`);
      expect((await context.cookies()).map((c) => c.name)).toEqual(["ab_split"]);
      const notice = page.locator("aside.ab-notice");
      expect(await notice.textContent()).toContain("« ab_split »");
      expect(await page.locator("#ab-off").isVisible()).toBe(false);
      await notice.getByRole("button", { name: "Refuser ce cookie" }).click();
      await page.waitForURL(`${server.url}/c/split/#ab-off`);
      expect(await page.locator("#ab-off").isVisible()).toBe(true);
      expect(await page.locator("#ab-off").textContent()).toContain("aucun cookie de test A/B");
      expect((await context.cookies()).map((c) => `${c.name}=${c.value}`)).toEqual(["no_ab=1"]);
      const responses: (string | null)[] = [];
      page.on("response", (res) => {
        if (res.url().includes("/c/split/")) responses.push(res.headers()["set-cookie"] ?? null);
      });
      await page.reload();
      expect(responses).toEqual([null]);
      expect((await context.cookies()).map((c) => c.name)).toEqual(["no_ab"]);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${server.url}/c/split/#ab-off`);
        if (process.env.SCREENSHOT_DIR)
          await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/ab-notice-${width}.png`, fullPage: true });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
