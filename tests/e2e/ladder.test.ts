/**
 * A visitor climbs the intent ladder in Chromium, in French and in English, with
 * JavaScript on (everything in place, no reload) and off (plain forms and redirects):
 * landing page → tier click → signup → answer → interview opt-in (→ reservation in French),
 * then the signup's row in the SQLite file holds each rung.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, cspViolations, launchChromium, VISITOR_USER_AGENT } from "../support/browser";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

interface Row {
  tier: string | null;
  answer: string | null;
  answer_changes: number;
  interview_at: number | null;
  interview_when: string | null;
  reserved_at: number | null;
}
const rowOf = (email: string) =>
  server.query<Row>(
    "select tier, answer, answer_changes, interview_at, interview_when, reserved_at from signups where email = ?",
    email,
  );
const clicksOf = (concept: string, tier: string) =>
  server.query("select served from tier_clicks where concept = ? and tier = ?", concept, tier);

async function visitor(javaScriptEnabled: boolean): Promise<[BrowserContext, Page, string[]]> {
  const context = await browser.newContext({ javaScriptEnabled, userAgent: VISITOR_USER_AGENT });
  const page = await context.newPage();
  return [context, page, cspViolations(page)];
}

/** The status line of one step's form. */
const statusOf = (page: Page, form: string) => page.locator(`#${form} .form-msg`);

describe.skipIf(!chromiumPath)("a visitor climbs the intent ladder in Chromium", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("in French with JavaScript: tier, signup, answer, interview and reservation in place, no reload", async () => {
    const [context, page, violations] = await visitor(true);
    await page.clock.install();
    const viewSent = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/ladder/`);
    expect((await viewSent).status()).toBe(204);
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    await expect.poll(() => page.getByText("Rien n’est vendu ni débité", { exact: false }).isVisible()).toBe(true);
    // Essentiel is a tier of both variants, whichever this visitor was given.
    const tierSent = page.waitForResponse((res) => res.url().endsWith("/api/tier"));
    await page.getByRole("button", { name: "Choisir Essentiel" }).click();
    expect((await tierSent).status()).toBe(204);
    const line = page.locator('[data-tier-line="essentiel"]');
    expect(await line.isVisible()).toBe(true);
    expect(await line.textContent()).toContain("obtenez ce prix au lancement");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");

    await page.getByLabel("Votre e-mail").fill("echelle.js@exemple.fr");
    await page.clock.fastForward(4000);
    await page.locator("#waitlist button[type=submit]").click();
    await expect.poll(() => page.locator("#steps").isVisible()).toBe(true);
    expect(await page.locator("#waitlist-msg").textContent()).toContain("Presque fini !");

    await page.getByLabel("J’ai déjà essayé un peu").check();
    await page.getByRole("button", { name: "Répondre" }).click();
    await expect
      .poll(() => statusOf(page, "question").textContent())
      .toBe("Merci pour votre réponse ! Vous pourrez la modifier une fois.");
    await page.getByLabel("Quand vous joindre ?", { exact: false }).fill("mardi soir");
    await page.getByRole("button", { name: "Oui, avec plaisir" }).click();
    await expect
      .poll(() => statusOf(page, "interview").textContent())
      .toBe("Merci ! Nous vous écrirons pour convenir d’un moment.");
    await page.getByRole("button", { name: "Réserver la mienne" }).click();
    await expect.poll(() => statusOf(page, "reserve").textContent()).toContain("Rien n’a été débité");

    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(rowOf("echelle.js@exemple.fr")).toEqual([
      {
        tier: "essentiel",
        answer: '["initie"]',
        answer_changes: 0,
        interview_at: expect.any(Number),
        interview_when: "mardi soir",
        reserved_at: expect.any(Number),
      },
    ]);
    expect(clicksOf("ladder", "essentiel")).toEqual([{ served: "split" }]);
    expect(violations).toEqual([]);
    await context.close();
  });

  test("in French without JavaScript: the same ladder through plain forms", async () => {
    const [context, page] = await visitor(false);
    await page.goto(`${server.url}/c/ladder/`);
    await page.getByRole("button", { name: "Choisir Atelier" }).click();
    await page.waitForURL(/\/c\/ladder\/v\/[a-z]+\/atelier\/#join$/);
    expect(await page.locator('[data-tier-line="atelier"]').textContent()).toContain("pas encore prête");
    await page.getByLabel("Votre e-mail").fill("echelle.sans.js@exemple.fr");
    await page.getByRole("button", { name: "Rejoindre la liste d’attente" }).click();
    await page.waitForURL(/\/c\/ladder\/merci\/\?step=[\w-]+#steps$/);
    expect(await page.locator("h1").textContent()).toBe("Plus qu’une étape !");

    await page.getByLabel("Je pratique régulièrement").check();
    await page.getByRole("button", { name: "Répondre" }).click();
    await page.waitForURL(/said=question\.saved/);
    expect(await statusOf(page, "question").textContent()).toContain("Merci pour votre réponse !");
    expect(await page.getByLabel("Je pratique régulièrement").isChecked()).toBe(true);
    // The one change allowed, then the answer is final.
    await page.getByLabel("Je n’ai jamais essayé").check();
    await page.getByRole("button", { name: "Répondre" }).click();
    await page.waitForURL(/said=question\.changed/);
    expect(await page.getByRole("button", { name: "Répondre" }).count()).toBe(0);

    await page.getByLabel("Quand vous joindre ?", { exact: false }).fill("le matin");
    await page.getByRole("button", { name: "Oui, avec plaisir" }).click();
    await page.waitForURL(/said=interview\.done/);
    expect(await statusOf(page, "interview").textContent()).toContain("Nous vous écrirons");
    await page.getByRole("button", { name: "Réserver la mienne" }).click();
    await page.waitForURL(/said=reserve\.done/);
    expect(await statusOf(page, "reserve").textContent()).toContain("Rien n’a été débité");

    expect(rowOf("echelle.sans.js@exemple.fr")).toEqual([
      {
        tier: "atelier",
        answer: '["debutant"]',
        answer_changes: 1,
        interview_at: expect.any(Number),
        interview_when: "le matin",
        reserved_at: expect.any(Number),
      },
    ]);
    expect(clicksOf("ladder", "atelier")).toEqual([{ served: "split" }]);
    await context.close();
  });

  test("in English with JavaScript: tier, signup, a short text answer and the interview in place", async () => {
    const [context, page, violations] = await visitor(true);
    await page.clock.install();
    await page.goto(`${server.url}/c/ladder-en/`);
    await page.getByRole("button", { name: "Choose Plus" }).click();
    expect(await page.locator('[data-tier-line="plus"]').textContent()).toContain("get this price at launch");
    await page.getByLabel("Your email").fill("ladder.js@example.com");
    await page.clock.fastForward(4000);
    await page.locator("#waitlist button[type=submit]").click();
    await expect.poll(() => page.locator("#steps").isVisible()).toBe(true);
    await page.getByLabel("What would you most like to make first?").fill("A small tote bag");
    await page.getByRole("button", { name: "Answer" }).click();
    await expect
      .poll(() => statusOf(page, "question").textContent())
      .toBe("Thank you for your answer! You can change it once.");
    await page.getByRole("button", { name: "Yes, happy to" }).click();
    await expect
      .poll(() => statusOf(page, "interview").textContent())
      .toBe("Thank you! We’ll email you to find a time.");
    expect(await page.locator("#reserve").count()).toBe(0);
    expect(rowOf("ladder.js@example.com")).toEqual([
      {
        tier: "plus",
        answer: '"A small tote bag"',
        answer_changes: 0,
        interview_at: expect.any(Number),
        interview_when: null,
        reserved_at: null,
      },
    ]);
    await expect.poll(() => clicksOf("ladder-en", "plus")).toEqual([{ served: "split" }]);
    expect(violations).toEqual([]);
    await context.close();
  });

  test("in English without JavaScript: the same ladder through plain forms", async () => {
    const [context, page] = await visitor(false);
    await page.goto(`${server.url}/c/ladder-en/`);
    await page.getByRole("button", { name: "Choose Starter" }).click();
    await page.waitForURL(/\/c\/ladder-en\/v\/control\/starter\/#join$/);
    await page.getByLabel("Your email").fill("ladder.nojs@example.com");
    await page.getByRole("button", { name: "Join the waitlist" }).click();
    await page.waitForURL(/\/c\/ladder-en\/thanks\/\?step=[\w-]+#steps$/);
    await page.getByLabel("What would you most like to make first?").fill("Socks");
    await page.getByRole("button", { name: "Answer" }).click();
    await page.waitForURL(/said=question\.saved/);
    expect(await page.getByLabel("What would you most like to make first?").inputValue()).toBe("Socks");
    await page.getByLabel("When suits you?", { exact: false }).fill("weekends");
    await page.getByRole("button", { name: "Yes, happy to" }).click();
    await page.waitForURL(/said=interview\.done/);
    expect(await statusOf(page, "interview").textContent()).toContain("We’ll email you");
    expect(rowOf("ladder.nojs@example.com")).toEqual([
      {
        tier: "starter",
        answer: '"Socks"',
        answer_changes: 0,
        interview_at: expect.any(Number),
        interview_when: "weekends",
        reserved_at: null,
      },
    ]);
    expect(clicksOf("ladder-en", "starter")).toEqual([{ served: "split" }]);
    await context.close();
  });
});
