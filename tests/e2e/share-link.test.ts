/**
 * A founder shares a report in Chromium: makes a link on /admin/c/split, and whoever opens
 * it in a browser without a session sees the report with its charts drawn, under the
 * on-demand CSP without a violation, with no sideways scroll on a desktop or a phone;
 * revoked from the same page, the link opens nothing.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, launchChromium } from "../support/browser";
import { ADMIN_PASSWORD, seedDemo, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Pixels a canvas has painted (chart.js draws nothing until its script ran under the page's CSP). */
const paintedPixels = (page: Page) =>
  page.$$eval("canvas[data-chart]", (canvases: HTMLCanvasElement[]) =>
    canvases.map((canvas) => {
      const { data } = (canvas as HTMLCanvasElement)
        .getContext("2d")
        ?.getImageData(0, 0, canvas.width, canvas.height) ?? { data: [] };
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return painted;
    }),
  );

describe.skipIf(!chromiumPath)("a shared report in Chromium", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({}, seedDemo(21, 5, "2026-11-25T12:00:00Z")), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("made on the concept page, opens without a session with its charts drawn, at 1280 and 390 px; revoked, opens nothing", async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await admin.goto(`${server.url}/admin/login`);
    await admin.getByLabel("Password").fill(ADMIN_PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.waitForURL(`${server.url}/admin`);
    await admin.goto(`${server.url}/admin/c/split`);
    await admin.getByLabel("Open for").fill("14");
    await admin.getByRole("button", { name: "Create a link" }).click();
    await admin.waitForURL(`${server.url}/admin/c/split#share-links`);
    const link = await admin.locator("#share-links input[type=url]").inputValue();
    expect(link).toMatch(/\/share\/[\w-]+\.[\w-]{43}$/);

    for (const width of [1280, 390]) {
      // A context of its own: the recipient has no admin cookie.
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const violations = cspViolations(page);
      const res = await page.goto(link);
      expect(res?.status()).toBe(200);
      // The funnel per variant, the conversion so far and the signups per day, each painted.
      expect(await page.locator("canvas[data-chart]").count()).toBe(3);
      await expect.poll(async () => Math.min(...(await paintedPixels(page)))).toBeGreaterThan(100);
      expect(await page.locator("h1").textContent()).toBe(await admin.locator("h1").textContent());
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      expect(violations).toEqual([]);
      await context.close();
    }

    await admin.getByRole("button", { name: "Revoke" }).click();
    await admin.waitForURL(`${server.url}/admin/c/split#share-links`);
    expect(await admin.locator("#share-links input[type=url]").count()).toBe(0);
    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.goto(link))?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("No report at this address");
    await context.close();
  });
});
