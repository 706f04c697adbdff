import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADMIN_PASSWORD, adminCookie, post, startServer, type TestServer } from "../support/server";

let server: TestServer;
let limited: TestServer;
beforeAll(async () => {
  [server, limited] = await Promise.all([
    startServer(),
    startServer({ RATE_LIMIT: "on", RATE_LIMIT_SIGNUP: "3/60", RATE_LIMIT_VIEW: "2/60", RATE_LIMIT_LOGIN: "2/900" }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.stop(), limited.stop()]);
});

const count = (s: TestServer, sql: string, ...params: unknown[]) => s.query<{ n: number }>(sql, ...params)[0]?.n ?? 0;

describe("security headers", () => {
  test("landing pages carry a strict CSP that allows exactly their inline script and styles", async () => {
    const res = await fetch(new URL("/c/plain/", server.url));
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  test.each([
    ["a view (204)", "/api/view", { concept: "plain" }, 204],
    ["a signup (201)", "/api/signup", { concept: "plain", email: "headers@exemple.fr" }, 201],
    ["a form signup (303)", "/api/signup", "concept=plain&email=headers-form%40exemple.fr", 303],
    ["a refused signup (400)", "/api/signup", { concept: "plain", email: "not an address" }, 400],
  ])("the ingestion routes answer %s with the same headers", async (_name, path, body, status) => {
    const res = await post(server, path, body, { "user-agent": "Mozilla/5.0 Firefox/133.0" });
    expect(res.status).toBe(status);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  test("a GET of an ingestion route (405) carries them too", async () => {
    const res = await fetch(new URL("/api/view", server.url));
    expect(res.status).toBe(405);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
  });

  test("admin pages get their own CSP and the same headers", async () => {
    const res = await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } });
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("rate limits", () => {
  test("a client's fourth signup in a minute is refused with 429, Retry-After and a message in the page's language", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await post(limited, "/api/signup", { concept: "split", email: `rl${i}@exemple.fr` })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await post(limited, "/api/signup", { concept: "split", email: "rl9@exemple.fr" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      ok: false,
      errors: { request: "Trop de tentatives d’un coup. Réessayez dans quelques minutes." },
    });
    expect(count(limited, "select count(*) as n from signups")).toBe(3);
  });

  test("views are limited per client too", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await post(limited, "/api/view", { concept: "split" }, { "user-agent": "Mozilla/5.0 Firefox/133.0" })).status,
      );
    }
    expect(statuses).toEqual([204, 204, 429]);
  });

  test("login attempts are limited, even with the right password", async () => {
    const attempt = (password: string) => post(limited, "/admin/login", `password=${encodeURIComponent(password)}`);
    expect((await attempt("wrong-1")).status).toBe(401);
    expect((await attempt("wrong-2")).status).toBe(401);
    const third = await attempt(ADMIN_PASSWORD);
    expect(third.status).toBe(429);
    expect(third.headers.get("set-cookie")).toBeNull();
    expect(await third.text()).toContain("Too many attempts");
  });
});

describe("bots", () => {
  test.each([
    ["a form filled in 300 ms", { fill_ms: "300" }, 0],
    ["a form filled in 5 s", { fill_ms: "5000" }, 1],
    ["an API client that sends no timing", {}, 1],
  ])("%s → 201, stored %i time(s)", async (_name, extra, stored) => {
    const email = `trap${JSON.stringify(extra).length}@exemple.fr`;
    const res = await post(server, "/api/signup", { concept: "late-variant", email, ...extra });
    expect(res.status).toBe(201);
    expect(count(server, "select count(*) as n from signups where email = ?", email)).toBe(stored);
  });
});

describe("admin session", () => {
  test("signing out ends the session in the browser", async () => {
    const res = await post(server, "/admin/logout", "", { cookie: await adminCookie(server) });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/racine_admin=deleted; Path=\/; Expires=Thu, 01 Jan 1970/);
  });
});

describe("hostile and unusual text", () => {
  test("SQL and HTML in a name are stored as plain text and shown escaped on /admin", async () => {
    const name = `Robert'); DROP TABLE signups;-- <img src=x onerror=alert(1)>`;
    const res = await post(server, "/api/signup", {
      concept: "plain",
      email: "bobby@exemple.fr",
      name: name.slice(0, 80),
    });
    expect(res.status).toBe(201);
    expect(server.query("select name from signups where email = 'bobby@exemple.fr'")).toEqual([
      { name: name.slice(0, 80) },
    ]);
    const html = await (
      await fetch(new URL("/admin/c/plain", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
  });

  test.each([
    ["CRLF in the name", { name: "Léa\r\nBcc: victim@exemple.fr" }, "name"],
    ["LF in the email", { email: "lea@exemple.fr\nBcc: victim@exemple.fr" }, "email"],
    ["CR in the variant", { variant: "control\r" }, "variant"],
    ["a tab in the name", { name: "a\tb" }, "name"],
  ])("%s is refused: it could reach an email header", async (_name, fields, field) => {
    const res = await post(server, "/api/signup", { concept: "plain", email: "crlf@exemple.fr", ...fields });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as { errors: object }).errors)).toContain(field);
    expect(count(server, "select count(*) as n from signups where email like 'crlf%' or email like 'lea@%'")).toBe(0);
  });
});

describe("CSV export", () => {
  test("needs a session", async () => {
    expect((await fetch(new URL("/admin/export.csv", server.url))).status).toBe(401);
  });

  test("is an Excel-safe file: BOM, quoted cells, formulas neutralised, accents intact", async () => {
    await post(server, "/api/signup", { concept: "split", email: "formula@exemple.fr", name: '=HYPERLINK("x")' });
    await post(server, "/api/signup", { concept: "split", email: "zoe@exemple.fr", name: "Zoë 李 🎨" });
    const res = await fetch(new URL("/admin/export.csv", server.url), {
      headers: { cookie: await adminCookie(server) },
    });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="racine-signups-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"concept","variant","email","name","language","signed_up_at"');
    expect(text).toContain('"formula@exemple.fr","\'=HYPERLINK(""x"")"');
    expect(text).toContain('"Zoë 李 🎨"');
  });
});
