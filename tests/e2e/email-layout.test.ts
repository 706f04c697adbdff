/**
 * Most waitlist emails are opened on phones: the confirmation email must fit a 390 px
 * screen at its own size (a fixed 600 px table made phones shrink it to about 62 %), and
 * still be 600 px wide on a desktop. Outlook on Windows gets its width from a conditional
 * "ghost" table that other clients never see.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { composeConfirmation } from "../../src/domain/confirmation-email";
import { chromiumPath, launchChromium } from "../support/browser";
import { fixture } from "../support/server";

const email = composeConfirmation({
  lang: "fr",
  title: fixture("split").title,
  confirmUrl: "https://ideas.example.com/api/confirm?token=t",
  unsubscribeUrl: "https://ideas.example.com/api/unsubscribe?token=t",
});

describe("the email frame", () => {
  test("has no fixed 600 px width outside Outlook's conditional comments", () => {
    const seenByOtherClients = email.html.replace(/<!--\[if mso\]>[\s\S]*?<!\[endif\]-->/g, "");
    expect(seenByOtherClients).not.toMatch(/width="600"|(?<!max-)width:\s*600px/);
    expect(seenByOtherClients).toContain("max-width:600px");
    expect(email.html).toMatch(/<!--\[if mso\]><table role="presentation" width="600"/);
  });
});

let browser: Browser;
describe.skipIf(!chromiumPath)("the confirmation email in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each([
    [390, 390],
    [1280, 600],
  ])("at %i px the page does not scroll sideways and the card is at most %i px wide", async (width, cardWidth) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.setContent(email.html);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      card: document.querySelector("table table")?.getBoundingClientRect().width ?? 0,
      fontSize: Number.parseFloat(getComputedStyle(document.querySelector("table table td") as Element).fontSize),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(width);
    expect(layout.card).toBeGreaterThan(cardWidth * 0.8);
    expect(layout.card).toBeLessThanOrEqual(cardWidth);
    expect(layout.fontSize).toBe(16);
    await page.close();
  });
});
