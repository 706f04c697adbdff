import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReceivedEmail, startFakeResend } from "../support/fake-resend";
import { adminCookie, fixture, post, startServer, type TestServer } from "../support/server";

let resend: Awaited<ReturnType<typeof startFakeResend>>;
let server: TestServer;

beforeAll(async () => {
  resend = await startFakeResend();
  server = await startServer({
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: resend.url,
    EMAIL_FROM: "Test <bonjour@test.example>",
    SITE_URL: "https://ideas.example.com",
    OUTBOX_RETRY_MS: "50",
  });
});
afterAll(async () => {
  await server.stop();
  await resend.stop();
});

/** Waits for the worker (it runs every second and on each signup), polling the fake server. */
async function emailTo(address: string): Promise<ReceivedEmail> {
  await expect
    .poll(() => resend.received.some((email) => email.body.to.includes(address)), { timeout: 10_000 })
    .toBe(true);
  const email = resend.received.find((e) => e.body.to.includes(address));
  if (!email) throw new Error("no email");
  return email;
}

const linkIn = (text: string, path: string) => {
  const match = new RegExp(`https://ideas\\.example\\.com${path}\\?token=([\\w.-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link`);
  return { url: match[0], local: `${path}?token=${match[1]}` };
};

describe("double opt-in through Resend", () => {
  test("a signup sends a confirmation in the visitor's language, with both parts, one-click unsubscribe and an idempotency key", async () => {
    expect((await post(server, "/api/signup", { concept: "split", email: "lea@exemple.fr" })).status).toBe(201);
    const email = await emailTo("lea@exemple.fr");
    expect(email.headers.authorization).toBe("Bearer re_test_key");
    expect(email.headers["idempotency-key"]).toMatch(/^confirmation\/\d+$/);
    expect(email.body.from).toBe("Test <bonjour@test.example>");
    expect(email.body.subject).toBe(`Confirmez votre inscription — ${fixture("split").title}`);
    expect(email.body.html).toContain("Je confirme mon inscription");
    expect(email.body.html).not.toMatch(/<script|<svg/);
    expect(email.body.text).toContain("https://ideas.example.com/api/confirm?token=");
    const unsubscribe = linkIn(email.body.text, "/api/unsubscribe");
    expect(email.body.headers).toEqual({
      "List-Unsubscribe": `<${unsubscribe.url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    const [row] = server.query<{
      confirmed_at: number | null;
      consent_text: string;
      consent_version: string;
      page_path: string;
    }>("select confirmed_at, consent_text, consent_version, page_path from signups where email = 'lea@exemple.fr'");
    expect(row?.confirmed_at).toBeNull();
    expect(row?.consent_text).toBe("Un e-mail au lancement, rien d’autre. Désinscription en un clic.");
    expect(row?.consent_version).toMatch(/^[0-9a-f]{12}$/);
    // The signup names no variant and follows no recorded visit: the proof names the concept's page.
    expect(row?.page_path).toBe("/c/split/");
    await expect
      .poll(() => server.query("select status, provider_id from outbox where signup_id is not null"), {
        timeout: 5_000,
      })
      .toContainEqual({ status: "sent", provider_id: expect.stringMatching(/^fake-\d+$/) });
  });

  test("the confirm link confirms with the button it shows, once, and again harmlessly; a tampered one does not", async () => {
    await post(server, "/api/signup", { concept: "english", email: "sam@example.com" });
    const confirm = linkIn((await emailTo("sam@example.com")).body.text, "/api/confirm");
    const confirmedAt = () =>
      server.query<{ confirmed_at: number | null }>(
        "select confirmed_at from signups where email = 'sam@example.com'",
      )[0]?.confirmed_at;
    const confirmPost = (path: string) =>
      fetch(new URL(path, server.url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(server.url).origin },
        body: "",
      });
    const page = await fetch(new URL(confirm.local, server.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post">[\s\S]*Confirm my signup/);
    expect(confirmedAt()).toBeNull();
    const first = await confirmPost(confirm.local);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("You’re on the list!");
    const at = confirmedAt();
    expect(at).toBeGreaterThan(0);
    expect((await confirmPost(confirm.local)).status).toBe(200);
    expect(confirmedAt()).toBe(at);
    const tampered = `${confirm.local.slice(0, -2)}xx`;
    const refused = await confirmPost(tampered);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("isn’t valid");
  });

  test("one-click unsubscribe (RFC 8058) works with one POST and no cookie; GET only asks", async () => {
    await post(server, "/api/signup", { concept: "plain", email: "nina@exemple.fr" });
    const unsubscribe = linkIn((await emailTo("nina@exemple.fr")).body.text, "/api/unsubscribe");
    const page = await fetch(new URL(unsubscribe.local, server.url));
    expect(await page.text()).toContain("Me désinscrire");
    expect(server.query("select unsubscribed_at from signups where email = 'nina@exemple.fr'")).toEqual([
      { unsubscribed_at: null },
    ]);
    const oneClick = await fetch(new URL(unsubscribe.local, server.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    const [row] = server.query<{ unsubscribed_at: number | null }>(
      "select unsubscribed_at from signups where email = 'nina@exemple.fr'",
    );
    expect(row?.unsubscribed_at).toBeGreaterThan(0);
  });

  test("a concept without double opt-in stores the signup and queues no email", async () => {
    expect((await post(server, "/api/signup", { concept: "no-opt-in", email: "once@exemple.fr" })).status).toBe(201);
    expect(server.query("select concept from signups where email = 'once@exemple.fr'")).toEqual([
      { concept: "no-opt-in" },
    ]);
    expect(
      server.query("select o.id from outbox o join signups s on s.id = o.signup_id where s.email = 'once@exemple.fr'"),
    ).toEqual([]);
  });

  test("provider failures (500, then 429 with Retry-After) are retried with backoff and nothing is lost", async () => {
    resend.failNext("500", "429");
    await post(server, "/api/signup", { concept: "late-variant", email: "retry@exemple.fr" });
    const email = await emailTo("retry@exemple.fr");
    expect(email.body.subject).toContain(fixture("late-variant").title);
    const row = () =>
      server.query<{ status: string; attempts: number; last_error: string | null }>(
        "select o.status, o.attempts, o.last_error from outbox o join signups s on s.id = o.signup_id where s.email = 'retry@exemple.fr'",
      )[0];
    // The provider answered; the worker records it right after.
    await expect.poll(row, { timeout: 5_000 }).toMatchObject({ status: "sent", attempts: 3, last_error: null });
  });

  test("a validation error from the provider is not retried: the email is marked failed and shown", async () => {
    resend.failNext("422");
    await post(server, "/api/signup", { concept: "english", email: "bad-domain@exemple.fr" });
    await expect
      .poll(
        () =>
          server.query<{ status: string }>(
            "select o.status from outbox o join signups s on s.id = o.signup_id where s.email = 'bad-domain@exemple.fr'",
          )[0]?.status,
        { timeout: 10_000 },
      )
      .toBe("failed");
    const admin = await (
      await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } })
    ).text();
    expect(admin).toContain("An email could not be sent");
    expect(admin).toContain("confirmation to bad-domain@exemple.fr — 422: domain not verified");
    // Joined and confirmed, per concept, as the database has them (whatever ran before).
    const [english] = server.query<{ joined: number; confirmed: number }>(
      "select count(*) as joined, count(confirmed_at) as confirmed from signups where concept = 'english'",
    );
    expect(english?.joined).toBeGreaterThan(0);
    const row = admin.slice(admin.indexOf(`>${fixture("english").title}</a>`));
    expect(row).toMatch(new RegExp(`data-figure="confirmed">\\s*${english?.confirmed} \\/\\s*${english?.joined}\\s*<`));
  });
});

describe("a provider that never answers, and a crash", () => {
  test("a hung send times out and is retried; a crash between queueing and sending sends once after restart", async () => {
    const fake = await startFakeResend();
    const env = {
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: fake.url,
      SITE_URL: "https://ideas.example.com",
      OUTBOX_RETRY_MS: "50",
      EMAIL_TIMEOUT_MS: "300",
    };
    // Every attempt hangs until the server is killed in the middle of one.
    fake.failNext("hang", "hang", "hang", "hang", "hang", "hang", "hang");
    const first = await startServer(env);
    await post(first, "/api/signup", { concept: "split", email: "crash@exemple.fr" });
    await expect
      .poll(() => first.query<{ attempts: number }>("select attempts from outbox")[0]?.attempts ?? 0, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);
    await first.crash();
    const second = await startServer({ ...env, DATABASE_PATH: first.databasePath });
    try {
      fake.recover();
      await expect
        .poll(() => fake.received.filter((e) => e.body.to.includes("crash@exemple.fr")).length, { timeout: 15_000 })
        .toBe(1);
      await expect
        .poll(() => second.query("select status from outbox"), { timeout: 5_000 })
        .toEqual([{ status: "sent" }]);
      const keys = fake.received.map((e) => e.headers["idempotency-key"]);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await second.stop();
      await fake.stop();
    }
  });
});

describe("without RESEND_API_KEY", () => {
  test("the confirmation is written to the outbox folder as .html, .txt and .json", async () => {
    const local = await startServer();
    try {
      await post(local, "/api/signup", { concept: "split", email: "file@exemple.fr" });
      // The .json is written last, once the email is complete.
      await expect
        .poll(() => readdirSync(local.outboxDir).filter((name) => name.endsWith(".json")).length, { timeout: 10_000 })
        .toBe(1);
      const files = readdirSync(local.outboxDir);
      expect(files.map((name) => name.split(".").at(-1)).sort()).toEqual(["html", "json", "txt"]);
      const meta = JSON.parse(readFileSync(`${local.outboxDir}/${files.find((f) => f.endsWith(".json"))}`, "utf8"));
      expect(meta.to).toEqual(["file@exemple.fr"]);
    } finally {
      await local.stop();
    }
  });
});
