/**
 * The embed from another origin in a real browser: a host page on http://localhost:<port>
 * (another site than racine's http://127.0.0.1:<port>, so racine's frame is a third-party
 * context) frames the form with the admin's snippet; a second host page, on an origin not
 * in EMBED_ORIGINS, cannot.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { embedSnippet } from "../../src/domain/embed";
import { chromiumPath, cspViolations, launchChromium, VISITOR_USER_AGENT } from "../support/browser";
import { fixture, startServer, type TestServer } from "../support/server";

let server: TestServer;
let browser: Browser;
const hosts: Server[] = [];

/** A site of the founder's: a page of its own with the snippet pasted in, for the racine at `racineUrl()`. */
async function hostSite(racineUrl: () => string): Promise<string> {
  const host = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>La boutique</title></head>` +
        `<body style="font-family:Georgia,serif;margin:2rem;background:#eef2f7"><h1>La boutique de papier</h1><p>Des papiers choisis au Japon, expédiés chaque mois.</p>` +
        `${embedSnippet(fixture("plain"), racineUrl())}<p>Pied de page de la boutique.</p></body></html>`,
    );
  });
  hosts.push(host);
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  return `http://localhost:${(host.address() as AddressInfo).port}`;
}

describe.skipIf(!chromiumPath)("the embedded form in Chromium, on another site", () => {
  let allowed: string;
  let other: string;
  beforeAll(async () => {
    const racineUrl = () => server.url;
    [allowed, other] = await Promise.all([hostSite(racineUrl), hostSite(racineUrl)]);
    [server, browser] = await Promise.all([startServer({ EMBED_ORIGINS: allowed }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const host of hosts) host.close();
  });

  test("on an allowed origin: the form works inside the frame, counted with source embed, nothing blocked", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    const violations = cspViolations(page);
    await page.clock.install();
    const viewSent = page.waitForResponse((res) => res.url() === `${server.url}/api/view`);
    await page.goto(`${allowed}/`);
    expect((await viewSent).status()).toBe(204);
    // The frame told the host its height, and the snippet sized the frame to it.
    await expect
      .poll(() => page.locator("#racine-plain").evaluate((frame: HTMLIFrameElement) => frame.style.height))
      .toMatch(/^\d+px$/);
    const form = page.frameLocator("#racine-plain");
    await form.getByLabel("Votre e-mail").fill("cadre@exemple.fr");
    await page.clock.fastForward(4000);
    await form.locator("#waitlist button[type=submit]").click();
    await expect.poll(() => form.locator("#waitlist-msg").getAttribute("data-state")).toBe("ok");
    const host = new URL(allowed).hostname;
    expect(
      server.query("select variant, served, utm_source, referrer_host from signups where email = 'cadre@exemple.fr'"),
    ).toEqual([{ variant: "control", served: "direct", utm_source: "embed", referrer_host: host }]);
    expect(server.query("select served, utm_source, referrer_host from views where concept = 'plain'")).toEqual([
      { served: "direct", utm_source: "embed", referrer_host: host },
    ]);
    // No cookie of racine's in the frame (a third-party context): none was needed.
    expect((await page.context().cookies(server.url)).map((cookie) => cookie.name)).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  });

  test("on an origin not in EMBED_ORIGINS: the browser refuses the frame, and nothing is counted", async () => {
    const page = await browser.newPage({ userAgent: VISITOR_USER_AGENT });
    const violations = cspViolations(page);
    const views = () => server.query("select count(*) as n from views")[0];
    const before = views();
    await page.goto(`${other}/`);
    await expect
      .poll(() => violations.join("\n"))
      .toMatch(/Framing .* violates the following Content Security Policy directive: "frame-ancestors /);
    await expect.poll(() => page.frames().map((frame) => frame.url())).toContain("chrome-error://chromewebdata/");
    expect(await page.frames()[1]?.locator("#waitlist").count()).toBe(0);
    expect(views()).toEqual(before);
    await page.close();
  });
});
