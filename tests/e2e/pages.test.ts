import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEmailToken } from "../../src/domain/email-token";
import { chromiumPath, cspViolations, launchChromium, VISITOR_USER_AGENT } from "../support/browser";
import { ADMIN_PASSWORD, fixture, post, seedDemo, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

describe.skipIf(!chromiumPath)("pages in Chromium, under their Content-Security-Policy", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({}, seedDemo(14, 3, "2026-11-25T12:00:00Z")), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a landing page runs its inline script with nothing blocked", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    const violations = cspViolations(page);
    const view = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/plain/`);
    expect((await view).status()).toBe(204);
    expect(violations).toEqual([]);
    await page.close();
  });

  test.each([390, 1280])("at %i px, a landing page draws one icon per benefit, nothing blocked", async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, userAgent: VISITOR_USER_AGENT });
    const violations = cspViolations(page);
    const { benefits } = fixture("split");
    await page.goto(`${server.url}/c/split/`);
    const icons = page.locator("section.benefits svg");
    expect(await icons.count()).toBe(benefits.length);
    const drawn = await icons.evaluateAll((svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { square: box.width > 0 && box.width === box.height, stroke: getComputedStyle(svg).stroke };
      }),
    );
    // Drawn by their stroke, in the accent colour (--accent: #1f4e3d) through currentColor.
    expect(drawn).toEqual(Array(benefits.length).fill({ square: true, stroke: "rgb(31, 78, 61)" }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/landing-${width}.png` });
    expect(violations).toEqual([]);
    await page.close();
  });

  test("the admin pages draw their charts with nothing blocked", async () => {
    const page = await browser.newPage();
    const violations = cspViolations(page);
    await page.goto(`${server.url}/admin/login`);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/admin`);
    // The overview: conversion and signups; a concept with variants adds its funnel's chart.
    for (const [path, charts] of [
      ["/admin", 2],
      ["/admin/c/split", 3],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      // chart.js sizes each canvas to its box (an inline box-sizing) once it has drawn.
      await expect
        .poll(() =>
          page.$$eval("canvas[data-chart]", (canvases) => canvases.every((c) => c.style.boxSizing === "border-box")),
        )
        .toBe(true);
      expect(await page.locator("canvas[data-chart]").count()).toBe(charts);
    }
    expect(violations).toEqual([]);
    await page.close();
  });

  test.each([390, 1280])(
    "the confirm link shows a button that fits a %i px screen, and one click on it confirms",
    async (width) => {
      const email = `confirm-${width}@exemple.fr`;
      await post(server, "/api/signup", { concept: "split", email });
      const id = server.query<{ id: number }>("select id from signups where email = ?", email)[0]?.id ?? 0;
      const key = server.query<{ value: string }>("select value from app_secrets where name = 'email-links'")[0]?.value;
      const token = createEmailToken(key ?? "", { purpose: "confirm", signupId: id, expiresAt: Date.now() + 60_000 });
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const violations = cspViolations(page);
      await page.goto(`${server.url}/api/confirm?token=${token}`);
      const button = page.getByRole("button", { name: "Je confirme mon inscription" });
      expect(await button.isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (process.env.SCREENSHOT_DIR)
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/confirm-${width}.png` });
      expect(server.query("select confirmed_at from signups where id = ?", id)).toEqual([{ confirmed_at: null }]);
      await button.click();
      await page.getByRole("heading", { name: "Inscription confirmée !" }).waitFor();
      const confirmedAt = server.query<{ confirmed_at: number }>(
        "select confirmed_at from signups where id = ?",
        id,
      )[0];
      expect(confirmedAt?.confirmed_at).toBeGreaterThan(0);
      expect(violations).toEqual([]);
      await page.close();
    },
  );
});
