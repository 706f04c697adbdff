/**
 * A founder announces a launch in Chromium: writes it on /admin/c/split, sees the count and
 * the preview, sends it, and watches the progress page (it reloads itself) reach "20 of 20
 * sent" while the fake Resend receives one email per address; the overview lists it with
 * its counts. The email as received renders at a phone's width. No CSP violation, no
 * sideways scroll.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, cspViolations, launchChromium } from "../support/browser";
import { startFakeResend } from "../support/fake-resend";
import { ADMIN_PASSWORD, startServer, type TestServer } from "../support/server";
import { ELIGIBLE, seedWaitlist } from "../support/waitlist";

let server: TestServer;
let browser: Browser;
let resend: Awaited<ReturnType<typeof startFakeResend>>;
/** An element's text without the template's surrounding white space. */
const trimmed = (text: string | null) => text?.trim();
const shot = (name: string) => (process.env.SCREENSHOT_DIR ? `${process.env.SCREENSHOT_DIR}/${name}.png` : undefined);

describe.skipIf(!chromiumPath)("announcing a launch in Chromium", () => {
  beforeAll(async () => {
    resend = await startFakeResend();
    [server, browser] = await Promise.all([
      startServer(
        {
          RESEND_API_KEY: "re_test_key",
          RESEND_BASE_URL: resend.url,
          SITE_URL: "https://ideas.example.com",
          CLOCK_START: "2026-11-25T12:00:00Z",
          EMAIL_BATCH_SIZE: "3",
          // Slow enough to see the progress page at work: 7 batches, 2 a second.
          EMAIL_RATE_PER_SECOND: "2",
        },
        seedWaitlist,
      ),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await resend?.stop();
  });

  test("written, counted, confirmed, sent once to each of the 20, with its progress and its counts", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const violations = cspViolations(page);
    await page.goto(`${server.url}/admin/login`);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/admin`);
    await page.goto(`${server.url}/admin/c/split#announce`);

    // Nothing written: the form comes back with its messages, nothing is sent.
    await page.getByRole("button", { name: "Preview and count" }).click();
    await expect
      .poll(() => page.locator(".form-error").allInnerTexts())
      .toEqual(["write a subject", "write the email's text"]);

    await page.getByLabel("Subject").fill("Pli ouvre ses portes");
    await page
      .locator("textarea[name=body]")
      .fill("# C’est parti !\n\nPli ouvre **aujourd’hui** : [réservez](https://pli.example.com/launch).");
    await page.getByRole("button", { name: "Preview and count" }).click();
    await page.waitForURL(`${server.url}/admin/announcements`);
    expect(await page.locator("h2[data-figure=audience]").textContent().then(trimmed)).toBe(
      "Send to all 20 confirmed signups?",
    );
    expect(await page.locator("[data-figure=by-lang]").textContent().then(trimmed)).toBe("fr 14, en 6");
    expect(await page.locator(".email-preview strong").textContent().then(trimmed)).toBe("aujourd’hui");
    const previewShot = shot("announce-preview");
    if (previewShot) await page.screenshot({ path: previewShot, fullPage: true });
    expect(resend.log).toEqual([]);

    await page.getByRole("button", { name: "Send to 20 people" }).click();
    await page.waitForURL(`${server.url}/admin/announcements/1`);
    const midway = shot("announce-sending");
    if (midway) await page.screenshot({ path: midway });
    // The page reloads itself every 2 s until every email is settled.
    await expect
      .poll(() => page.locator("[data-figure=progress]").textContent().then(trimmed), { timeout: 20_000 })
      .toBe("20 of 20 sent");
    expect(await page.locator("progress.announce-progress").getAttribute("value")).toBe("100");
    const done = shot("announce-sent");
    if (done) await page.screenshot({ path: done });
    expect([...resend.recipients()].sort()).toEqual(ELIGIBLE.map((person) => person.email).sort());

    await page.goto(`${server.url}/admin#announcements`);
    const row = page.locator("#announcements tr[data-announcement='1']");
    expect(await row.locator("[data-figure=queued]").textContent().then(trimmed)).toBe("20");
    expect(await row.locator("[data-figure=sent]").textContent().then(trimmed)).toBe("20");
    expect(await row.locator("[data-figure=failed]").textContent().then(trimmed)).toBe("0");

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ["/admin/c/split", "/admin/announcements/1"]) {
        await page.goto(`${server.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      }
    }
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  test("the email as received fits a phone and shows the founder's words", async () => {
    const email = resend.received.find((received) => received.body.to.includes("person3@exemple.fr"));
    if (!email) throw new Error("no email to person3");
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.setContent(email.body.html);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    expect(await page.locator("h2").textContent().then(trimmed)).toBe("C’est parti !");
    expect(await page.getByRole("link", { name: "Unsubscribe" }).getAttribute("href")).toMatch(
      /^https:\/\/ideas\.example\.com\/api\/unsubscribe\?token=/,
    );
    const emailShot = shot("announce-email-390");
    if (emailShot) await page.screenshot({ path: emailShot, fullPage: true });
    await page.close();
  });
});
