/**
 * A founder checks results on a phone: from 360 px up the admin pages never scroll
 * sideways (a wide table scrolls inside its card), and on a desktop no table is cut by
 * its card.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, launchChromium } from "../support/browser";
import { ADMIN_PASSWORD, seedDemo, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;
const PAGES = ["/admin", "/admin/c/split", "/admin/c/late-variant"];

async function signedIn(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.goto(`${server.url}/admin/login`);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.url}/admin`);
  return page;
}

describe.skipIf(!chromiumPath)("the admin pages' layout in Chromium", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({}, seedDemo(21, 5, "2026-11-25T12:00:00Z")), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test.each([360, 390, 768])("at %i px no admin page scrolls sideways", async (width) => {
    const page = await signedIn(width);
    for (const path of PAGES) {
      await page.goto(`${server.url}${path}`);
      expect(await page.locator("table.figures").count()).toBeGreaterThan(0);
      expect({ path, scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({
        path,
        scrollWidth: width,
      });
    }
    await page.close();
  });

  test("at 1280 px every table fits its card", async () => {
    const page = await signedIn(1280);
    for (const path of PAGES) {
      await page.goto(`${server.url}${path}`);
      const cut = await page.$$eval(".panel", (panels) =>
        panels.filter((panel) => panel.scrollWidth > panel.clientWidth + 1).map((panel) => panel.className),
      );
      expect({ path, cut }).toEqual({ path, cut: [] });
    }
    await page.close();
  });
});
