import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, cspViolations, launchChromium, VISITOR_USER_AGENT } from "../support/browser";
import { ADMIN_PASSWORD, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

const views = () => server.query<{ n: number }>("select count(*) as n from views where concept = 'plain'")[0]?.n ?? 0;

describe.skipIf(!chromiumPath)("the founder's own browser, in Chromium", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("signed in, then switched off on /admin: their visits are not counted; switched back on, they are", async () => {
    const context = await browser.newContext({ userAgent: VISITOR_USER_AGENT });
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${server.url}/admin/login`);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/admin`);
    expect(await page.locator("#exclude-browser [role=status]").textContent()).toContain("while you are signed in");

    // Signed in: the landing page's beacon is answered, and nothing is stored.
    const signedIn = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/plain/`);
    expect((await signedIn).status()).toBe(204);
    expect(views()).toBe(0);

    await page.goto(`${server.url}/admin`);
    await page.getByRole("button", { name: "Exclude this browser" }).click();
    await page.waitForURL(`${server.url}/admin#exclude-browser`);
    expect(await page.locator("#exclude-browser [role=status]").textContent()).toContain("signed in or not");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/admin/login`);

    // Signed out, the switch alone keeps this browser out.
    const signedOut = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/plain/`);
    expect((await signedOut).status()).toBe(204);
    expect(views()).toBe(0);

    await page.goto(`${server.url}/admin/login`);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/admin`);
    await page.getByRole("button", { name: "Count this browser again" }).click();
    await page.waitForURL(`${server.url}/admin#exclude-browser`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/admin/login`);
    const counted = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/plain/`);
    expect((await counted).status()).toBe(204);
    expect(views()).toBe(1);
    expect(violations).toEqual([]);
    await context.close();
  });

  test("an address typed with a fullwidth domain joins as the domain meant", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    await page.clock.install();
    await page.goto(`${server.url}/c/plain/`);
    await page.getByLabel("Votre e-mail").fill("Kim@ｇｍａｉｌ.com");
    await page.clock.fastForward(4000);
    await page.locator("#waitlist button[type=submit]").click();
    await expect.poll(() => page.locator("#waitlist-msg").getAttribute("data-state")).toBe("ok");
    expect(server.query("select email, email_key from signups where concept = 'plain'")).toEqual([
      { email: "Kim@gmail.com", email_key: "kim@gmail.com" },
    ]);
    await page.close();
  });
});
