import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADMIN_PASSWORD, fixture, post, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  // A little traffic so the page has figures to show.
  const agent = (i: number) => `Mozilla/5.0 (Windows NT 10.0) Firefox/13${i}.0`;
  for (let i = 0; i < 8; i++) await post(server, "/api/view", { concept: "split" }, { "user-agent": agent(i) });
  // Two of those visitors join (a signup counts with the visit it followed), and one API
  // signup without any visit: kept, but no conversion (it has no visitor to divide by).
  for (let i = 0; i < 2; i++)
    await post(server, "/api/signup", { concept: "split", email: `fan${i}@exemple.fr` }, { "user-agent": agent(i) });
  await post(server, "/api/signup", { concept: "split", email: "api@exemple.fr" }, { "user-agent": "curl/8.5" });
});
afterAll(() => server.stop());

async function login(password: string, headers: Record<string, string> = {}): Promise<Response> {
  return post(server, "/admin/login", `password=${encodeURIComponent(password)}`, headers);
}

describe("/admin", () => {
  test("without a session redirects to the login page", async () => {
    const res = await fetch(new URL("/admin", server.url), { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
  });

  test("a wrong password is refused with 401 and no cookie", async () => {
    const res = await login("not-the-password");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("Wrong password.");
  });

  test("a cross-site login post is refused with 403", async () => {
    const res = await login(ADMIN_PASSWORD, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });

  test("the right password opens the analytics page with each concept's figures", async () => {
    const res = await login(ADMIN_PASSWORD, { origin: server.url });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/racine_admin=[\w-]{22}\.\d+\.[\w-]{43}/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const page = await fetch(new URL("/admin", server.url), { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain(fixture("split").title);
    const split = html.slice(html.indexOf('id="concept-split"'));
    expect(split).toMatch(/data-figure="visitors">8</);
    expect(split).toMatch(/data-figure="signups">2</);
    expect(split).toMatch(/data-figure="conversion">25\.0 %</);
    expect(html).toContain("<canvas data-chart=");
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"/);
    // No address ever appears on the analytics page.
    expect(html).not.toContain("fan0@exemple.fr");
  });

  test("a forged session cookie is not a session", async () => {
    const forged = `racine_admin=${Date.now() + 3_600_000}.${"A".repeat(43)}`;
    const res = await fetch(new URL("/admin", server.url), { headers: { cookie: forged }, redirect: "manual" });
    expect(res.status).toBe(303);
  });

  test("landing pages load no chart.js (and no script file at all)", async () => {
    const landing = await (await fetch(new URL("/c/split/", server.url))).text();
    expect(landing).not.toContain("chart");
    expect(landing).not.toMatch(/<script[^>]+src=/);
  });
});
