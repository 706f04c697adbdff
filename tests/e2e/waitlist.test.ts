import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumPath, launchChromium, VISITOR_USER_AGENT } from "../support/browser";
import { fixture, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;

describe.skipIf(!chromiumPath)("a visitor joins a waitlist in Chromium", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("with JavaScript on: the view is counted, the signup answers in place, no reload", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    // A person takes a few seconds to type; the form reports that time (the bot trap).
    await page.clock.install();
    const viewSent = page.waitForResponse((res) => res.url().endsWith("/api/view"));
    await page.goto(`${server.url}/c/split/?utm_source=newsletter&utm_campaign=nov`);
    expect((await viewSent).status()).toBe(204);
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    await page.getByLabel("Votre e-mail").fill("lea.js@exemple.fr");
    await page.getByLabel("Votre prénom (facultatif)").fill("Léa");
    await page.clock.fastForward(4000);
    // Whichever variant this visitor was given, its form's button submits.
    await page.locator("#waitlist button[type=submit]").click();
    await expect
      .poll(() => page.locator("#waitlist-msg").textContent())
      .toBe("Presque fini ! Confirmez votre inscription avec le lien que nous venons de vous envoyer par e-mail.");
    // Same document: the page did not reload.
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(
      server.query(
        "select name, utm_source, utm_campaign, visitor_hash from signups where email = ?",
        "lea.js@exemple.fr",
      ),
    ).toEqual([{ name: "Léa", utm_source: "newsletter", utm_campaign: "nov", visitor_hash: expect.any(String) }]);
    const [view] = server.query<{ visitor_hash: string; utm_source: string }>(
      "select * from views where concept = 'split'",
    );
    expect(view?.utm_source).toBe("newsletter");
    // The signup is linked to the visitor-day that viewed the page.
    expect(server.query("select visitor_hash from signups where email = ?", "lea.js@exemple.fr")).toEqual([
      { visitor_hash: view?.visitor_hash },
    ]);
    await page.close();
  });

  test("with JavaScript on: an address the server refuses shows its message next to the field", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    await page.clock.install();
    await page.goto(`${server.url}/c/english/`);
    await page.clock.fastForward(4000);
    await page.getByLabel("Your email").fill("someone@localhost");
    await page
      .getByRole("button", { name: fixture("english").cta })
      .last()
      .click();
    await expect
      .poll(() => page.locator("#waitlist-msg").textContent())
      .toBe("This email address doesn’t look right. Could you check it?");
    expect(await page.getByLabel("Your email").getAttribute("aria-invalid")).toBe("true");
    await page.close();
  });

  test("with JavaScript off: the form posts and lands on the thank-you page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, userAgent: VISITOR_USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/late-variant/`);
    await page.getByLabel("Votre e-mail").fill("sans.js@exemple.fr");
    await page
      .getByRole("button", { name: fixture("late-variant").cta })
      .last()
      .click();
    await page.waitForURL(`${server.url}/c/late-variant/merci/`);
    expect(await page.locator("h1").textContent()).toBe("Plus qu’une étape !");
    expect(server.query("select concept from signups where email = ?", "sans.js@exemple.fr")).toEqual([
      { concept: "late-variant" },
    ]);
    await context.close();
  });

  test("with JavaScript off: a refused address comes back with the message and the typed address", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, userAgent: VISITOR_USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/plain/`);
    await page.getByLabel("Votre e-mail").fill("presque@exemple");
    await page
      .getByRole("button", { name: fixture("plain").cta })
      .last()
      .click();
    await page.waitForURL(`${server.url}/api/signup`);
    expect(await page.locator("#waitlist-msg").textContent()).toBe(
      "Cette adresse e-mail ne semble pas valide. Vérifiez-la ?",
    );
    expect(await page.getByLabel("Votre e-mail").inputValue()).toBe("presque@exemple");
    expect(server.query("select count(*) as n from signups where concept = 'plain'")).toEqual([{ n: 0 }]);
    await context.close();
  });
});
