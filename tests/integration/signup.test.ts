import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { post, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const signupCount = (email?: string) =>
  email === undefined
    ? (server.query<{ n: number }>("select count(*) as n from signups")[0]?.n ?? 0)
    : (server.query<{ n: number }>("select count(*) as n from signups where email = ?", email)[0]?.n ?? 0);

describe("POST /api/signup with JSON", () => {
  test("stores the signup with its concept, variant, language, name and tracking, and answers 201", async () => {
    const res = await post(server, "/api/signup", {
      concept: "split",
      email: "  Zoe+box@Example.FR ",
      name: "Zoë 李 🎨",
      utm_source: "instagram",
      utm_campaign: "launch",
      referrer: "https://www.google.com/search?q=split",
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    const [row] = server.query("select * from signups where email = ?", "Zoe+box@Example.FR");
    // No variant named and no recorded visit: kept, credited to no variant (not the control).
    expect(row).toMatchObject({
      concept: "split",
      variant: "",
      exposure: "none",
      email: "Zoe+box@Example.FR",
      email_key: "zoe+box@example.fr",
      name: "Zoë 李 🎨",
      lang: "fr",
      utm_source: "instagram",
      utm_campaign: "launch",
      referrer_host: "www.google.com",
    });
    expect(row?.visitor_hash).toMatch(/^[\w-]{24}$/);
    expect(Math.abs(Number(row?.created_at) - Date.now())).toBeLessThan(60_000);
  });

  test("a repeat signup, even with the domain in other case, answers the same and stores nothing new", async () => {
    const first = await post(server, "/api/signup", { concept: "late-variant", email: "camille@exemple.fr" });
    const again = await post(server, "/api/signup", { concept: "late-variant", email: "camille@EXEMPLE.fr" });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(await again.json()).toEqual({ ok: true });
    expect(server.query("select count(*) as n from signups where email_key = ?", "camille@exemple.fr")).toEqual([
      { n: 1 },
    ]);
  });

  test("the same address may join two different concepts", async () => {
    await post(server, "/api/signup", { concept: "split", email: "both@exemple.fr" });
    await post(server, "/api/signup", { concept: "plain", email: "both@exemple.fr" });
    expect(signupCount("both@exemple.fr")).toBe(2);
  });

  test("a filled honeypot gets the success answer and stores nothing", async () => {
    const res = await post(server, "/api/signup", {
      concept: "split",
      email: "bot@exemple.fr",
      website: "http://spam",
    });
    expect(res.status).toBe(201);
    expect(signupCount("bot@exemple.fr")).toBe(0);
  });

  test.each([
    ["missing email", { concept: "split" }, "email", "Indiquez votre adresse e-mail."],
    ["empty email", { concept: "split", email: "   " }, "email", "Indiquez votre adresse e-mail."],
    ["no TLD", { concept: "split", email: "a@b" }, "email", "Cette adresse e-mail ne semble pas valide. Vérifiez-la ?"],
    [
      "two @",
      { concept: "split", email: "a@b@c.fr" },
      "email",
      "Cette adresse e-mail ne semble pas valide. Vérifiez-la ?",
    ],
    [
      "CRLF in email",
      { concept: "split", email: "a@b.fr\r\nBcc: x@y.fr" },
      "email",
      "Cette adresse e-mail ne semble pas valide. Vérifiez-la ?",
    ],
    [
      "email too long",
      { concept: "split", email: `${"a".repeat(250)}@b.fr` },
      "email",
      "Cette adresse e-mail est trop longue (254 caractères au maximum).",
    ],
    ["email not a string", { concept: "split", email: 42 }, "email", "Indiquez votre adresse e-mail."],
    [
      "name too long",
      { concept: "split", email: "ok1@exemple.fr", name: "x".repeat(81) },
      "name",
      "Ce prénom est trop long (80 caractères au maximum).",
    ],
    [
      "control character in name",
      { concept: "split", email: "ok2@exemple.fr", name: "a\u0007b" },
      "name",
      "Ce prénom contient des caractères non autorisés.",
    ],
    [
      "lone surrogate in name",
      { concept: "split", email: "ok3@exemple.fr", name: "a\ud800b" },
      "name",
      "Ce prénom contient des caractères non autorisés.",
    ],
    [
      "unknown variant",
      { concept: "split", email: "ok4@exemple.fr", variant: "nope" },
      "variant",
      "Cette version de la page n’existe plus. Rechargez la page.",
    ],
    ["unknown field", { concept: "split", email: "ok5@exemple.fr", admin: true }, "admin", "Champ inattendu."],
    [
      "English concept, bad email",
      { concept: "english", email: "nope" },
      "email",
      "This email address doesn’t look right. Could you check it?",
    ],
  ])("%s → 400 with the message in the concept's language, nothing stored", async (_name, body, field, message) => {
    const before = signupCount();
    const res = await post(server, "/api/signup", body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { ok: boolean; errors: Record<string, string> };
    expect(json.ok).toBe(false);
    expect(json.errors[field]).toBe(message);
    expect(signupCount()).toBe(before);
  });

  test.each([
    ["an unknown concept", { concept: "nope", email: "x@exemple.fr" }],
    ["a paused concept", { concept: "paused", email: "x@exemple.fr" }],
    ["a draft concept", { concept: "draft", email: "x@exemple.fr" }],
    ["a concept that is not a slug", { concept: "../etc", email: "x@exemple.fr" }],
    ["no concept", { email: "x@exemple.fr" }],
  ])("%s → 404 and nothing stored", async (_name, body) => {
    const before = signupCount();
    const res = await post(server, "/api/signup", body);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: Record<string, string> }).errors.concept).toBeTruthy();
    expect(signupCount()).toBe(before);
  });

  test.each([
    ["malformed JSON", '{"concept": "split", "email":', "application/json", 400],
    ["truncated JSON", '{"concept": "ori', "application/json", 400],
    ["a JSON array", "[1,2]", "application/json", 400],
    ["JSON null", "null", "application/json", 400],
    ["plain text", "hello", "text/plain", 415],
    ["XML", "<a/>", "application/xml", 415],
    ["no content type", "concept=split", "", 415],
    [
      "an oversized body",
      JSON.stringify({ concept: "split", email: "a@b.fr", name: "x".repeat(20_000) }),
      "application/json",
      413,
    ],
  ])("%s → %s, never a 500", async (_name, body, contentType, status) => {
    const before = signupCount();
    const res = await fetch(new URL("/api/signup", server.url), {
      method: "POST",
      headers: contentType ? { "content-type": contentType } : {},
      body,
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
    expect(signupCount()).toBe(before);
  });

  test("a cross-site form post is refused with 403", async () => {
    const res = await post(server, "/api/signup", "concept=split&email=csrf%40exemple.fr", {
      origin: "https://evil.example",
    });
    expect(res.status).toBe(403);
    expect(signupCount("csrf@exemple.fr")).toBe(0);
  });

  test("GET on the endpoint is 405 with Allow: POST", async () => {
    const res = await fetch(new URL("/api/signup", server.url));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("POST /api/signup from a form without JavaScript", () => {
  test("a valid signup redirects (303) to the thank-you page in the concept's language", async () => {
    const fr = await post(server, "/api/signup", "concept=split&email=form%40exemple.fr&name=&website=", {
      referer: `${server.url}/c/split/?utm_source=newsletter&utm_medium=email`,
    });
    expect(fr.status).toBe(303);
    expect(fr.headers.get("location")).toBe("/c/split/merci/");
    expect(server.query("select utm_source, utm_medium from signups where email = ?", "form@exemple.fr")).toEqual([
      { utm_source: "newsletter", utm_medium: "email" },
    ]);
    const en = await post(server, "/api/signup", "concept=english&email=form%40example.com");
    expect(en.headers.get("location")).toBe("/c/english/thanks/");
  });

  test("an invalid address answers the landing page with the message and the typed values, escaped", async () => {
    const res = await post(
      server,
      "/api/signup",
      `concept=split&email=${encodeURIComponent('bad"><script>')}&name=L%C3%A9a`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('data-state="error">Cette adresse e-mail ne semble pas valide. Vérifiez-la ?</p>');
    expect(html).toContain('value="bad&quot;&gt;&lt;script&gt;" aria-invalid="true"');
    expect(html).toContain('value="Léa"');
    expect(html).not.toContain('bad"><script>');
  });

  test("an unknown concept answers the 404 page", async () => {
    const res = await post(server, "/api/signup", "concept=nope&email=a%40exemple.fr");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page introuvable");
  });

  test("a repeated form field is refused", async () => {
    const res = await post(server, "/api/signup", "concept=split&email=a%40exemple.fr&email=b%40exemple.fr", {
      accept: "application/json",
    });
    expect(res.status).toBe(400);
  });
});
