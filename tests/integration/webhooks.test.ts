/**
 * Signed webhooks against the real built server, to a receiver on loopback that verifies
 * every signature with its own implementation of the Standard Webhooks rules.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serverBundle } from "../../scripts/build";
import { startFakeWebhookReceiver } from "../support/fake-webhook-receiver";
import { adminCookie, FIXTURE_BUILD, post, startServer, type TestServer } from "../support/server";

const SECRET = `whsec_${Buffer.alloc(32, 42).toString("base64")}`;
const RETRY_MS = 400;
const TIMEOUT_MS = 500;

interface OutboxRow {
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

let receiver: Awaited<ReturnType<typeof startFakeWebhookReceiver>>;
let server: TestServer;
/** The delivery's outbox row at the moment each request reached the receiver, by webhook-id. */
const rowOnArrival = new Map<string, OutboxRow[]>();

beforeAll(async () => {
  receiver = await startFakeWebhookReceiver(SECRET, {
    onDelivery: (headers) => {
      const id = String(headers["webhook-id"]);
      const [row] = server.query<OutboxRow>(
        "select status, attempts, next_attempt_at, last_error from outbox where idempotency_key = ?",
        id,
      );
      if (row) rowOnArrival.set(id, [...(rowOnArrival.get(id) ?? []), row]);
    },
  });
  server = await startServer({
    WEBHOOK_URLS: `${receiver.url} ${SECRET}`,
    OUTBOX_RETRY_MS: String(RETRY_MS),
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  });
});
afterAll(async () => {
  await server.stop();
  await receiver.stop();
});

const signupIdOf = (email: string) =>
  server.query<{ id: number }>("select id from signups where email = ?", email)[0]?.id ?? -1;

const acceptedFor = (type: string, signupId: number) =>
  receiver.accepted().filter((event) => event.type === type && event.data.signupId === signupId);

/** The link of `path` in the confirmation email the file mailer wrote for `signupId`. */
async function linkInEmail(signupId: number, path: string): Promise<string> {
  const file = () => readdirSync(server.outboxDir).find((name) => name.endsWith(`confirmation_${signupId}.txt`));
  if (!existsSync(server.outboxDir))
    await expect.poll(() => existsSync(server.outboxDir), { timeout: 10_000 }).toBe(true);
  await expect.poll(file, { timeout: 10_000 }).toBeDefined();
  const text = readFileSync(join(server.outboxDir, file() ?? ""), "utf8");
  const match = new RegExp(`${path}\\?token=[\\w.-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link`);
  return match[0];
}

const pressButton = (path: string) =>
  fetch(new URL(path, server.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(server.url).origin },
    body: "",
  });

describe("webhooks to a receiver that verifies them", () => {
  test("a delivery that meets a 500, then a time-out, is retried with backoff and accepted once, signed each time", async () => {
    receiver.failNext("500", "hang");
    expect(
      (await post(server, "/api/signup", { concept: "plain", email: "ann@example.com", name: "Ann" })).status,
    ).toBe(201);
    const signupId = signupIdOf("ann@example.com");
    await expect.poll(() => acceptedFor("signup.created", signupId).length, { timeout: 15_000 }).toBe(1);

    const attempts = receiver.deliveries.filter((delivery) => delivery.body.includes(`"signupId":${signupId},`));
    expect(attempts.map((delivery) => delivery.answer)).toEqual([500, "hang", 204]);
    expect(attempts.every((delivery) => delivery.verification.ok)).toBe(true);
    const id = String(attempts[0]?.headers["webhook-id"]);
    expect(attempts.every((delivery) => delivery.headers["webhook-id"] === id)).toBe(true);
    expect(new Set(attempts.map((delivery) => delivery.body)).size).toBe(1);

    expect(acceptedFor("signup.created", signupId)[0]).toEqual({
      type: "signup.created",
      timestamp: expect.any(String),
      data: { concept: "plain", variant: "control", signupId, email: "ann@example.com", name: "Ann", lang: "fr" },
    });
    // Backoff: each failure set next_attempt_at — the base after the 500, twice the base
    // after the time-out — and each retry came no earlier. An attempt starts no earlier
    // than its row's next_attempt_at (or its creation), so on the server's one clock:
    // next₁ ≥ created + base and next₂ ≥ next₁ + time-out + 2 × base, whatever the load.
    const [, second, third] = attempts.map((delivery) => delivery.at);
    const [, afterFailure, afterTimeout] = rowOnArrival.get(id) ?? [];
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 500" });
    expect(afterTimeout).toMatchObject({ status: "pending", attempts: 2, last_error: `no answer in ${TIMEOUT_MS} ms` });
    const [{ created_at: createdAt = 0 } = {}] = server.query<{ created_at: number }>(
      "select created_at from outbox where idempotency_key = ?",
      id,
    );
    const next1 = afterFailure?.next_attempt_at ?? 0;
    const next2 = afterTimeout?.next_attempt_at ?? 0;
    // A few ms of slack: timers may fire a millisecond early.
    expect(next1 - createdAt).toBeGreaterThanOrEqual(RETRY_MS - 5);
    expect(next2 - next1).toBeGreaterThanOrEqual(TIMEOUT_MS + 2 * RETRY_MS - 5);
    // The waits themselves, from when each attempt ended as the receiver saw it: the base, then
    // twice the base. The receiver's clock reading lags the server's by a few ms either way
    // under load, hence half a base of slack — still far from telling 1× and 2× apart.
    const [answered, abandoned] = attempts.map((delivery) => delivery.endedAt ?? Number.NaN);
    expect(next1 - (answered ?? 0)).toBeGreaterThan(0.5 * RETRY_MS);
    expect(next1 - (answered ?? 0)).toBeLessThan(1.5 * RETRY_MS);
    expect(next2 - (abandoned ?? 0)).toBeGreaterThan(1.5 * RETRY_MS);
    expect(next2 - (abandoned ?? 0)).toBeLessThan(2.5 * RETRY_MS);
    expect(abandoned ?? 0).toBeGreaterThanOrEqual((second ?? 0) + TIMEOUT_MS - 5);
    expect(second).toBeGreaterThanOrEqual(next1 - 5);
    expect(third).toBeGreaterThanOrEqual(next2 - 5);
    await expect
      .poll(() => server.query("select status, attempts, last_error from outbox where idempotency_key = ?", id))
      .toEqual([{ status: "sent", attempts: 3, last_error: null }]);
    // The address travels to the founder's endpoint, never into the server's log.
    expect(server.output()).toContain("attempt 1 failed: HTTP 500");
    expect(server.output()).not.toContain("ann@example.com");
  });

  test("a signup, a confirmation and an unsubscription each send their event once, however often repeated", async () => {
    const email = "bob@example.com";
    await post(server, "/api/signup", { concept: "english", email });
    await post(server, "/api/signup", { concept: "english", email: "BOB@example.com" });
    const signupId = signupIdOf(email);
    const confirm = await linkInEmail(signupId, "/api/confirm");
    expect((await pressButton(confirm)).status).toBe(200);
    expect((await pressButton(confirm)).status).toBe(200);
    const unsubscribe = await linkInEmail(signupId, "/api/unsubscribe");
    expect((await pressButton(unsubscribe)).status).toBe(200);
    expect((await pressButton(unsubscribe)).status).toBe(200);

    await expect.poll(() => acceptedFor("signup.unsubscribed", signupId).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => acceptedFor("signup.confirmed", signupId).length, { timeout: 10_000 }).toBe(1);
    expect(acceptedFor("signup.created", signupId)).toHaveLength(1);
    expect(acceptedFor("signup.confirmed", signupId)[0]?.data).toMatchObject({ concept: "english", email, lang: "en" });
    // The receiver has answered; the server marks the row sent just after.
    await expect
      .poll(() =>
        server.query<{ event: string; status: string }>(
          "select event, status from outbox where kind = 'webhook' and signup_id = ? order by id",
          signupId,
        ),
      )
      .toEqual([
        { event: "signup.created", status: "sent" },
        { event: "signup.confirmed", status: "sent" },
        { event: "signup.unsubscribed", status: "sent" },
      ]);
  });

  test("a 400 from the receiver fails the delivery for good, shown on /admin", async () => {
    // Everything before has been delivered: the next request is this signup's.
    await expect
      .poll(() => server.query("select id from outbox where kind = 'webhook' and status = 'pending'"), {
        timeout: 10_000,
      })
      .toEqual([]);
    receiver.failNext("400");
    await post(server, "/api/signup", { concept: "plain", email: "cleo@example.com" });
    const signupId = signupIdOf("cleo@example.com");
    await expect
      .poll(
        () =>
          server.query(
            "select status, attempts, last_error from outbox where kind = 'webhook' and signup_id = ?",
            signupId,
          ),
        {
          timeout: 10_000,
        },
      )
      .toEqual([{ status: "failed", attempts: 1, last_error: "HTTP 400" }]);

    const page = await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("A webhook delivery failed");
    const log = html.slice(html.indexOf('id="webhooks-title"'));
    const failed = /<tr data-status="failed">([\s\S]*?)<\/tr>/.exec(log)?.[1] ?? "";
    expect(failed).toContain("signup.created");
    expect(failed).toContain(new URL(receiver.url).host);
    expect(failed).toContain("HTTP 400");
    expect(log).not.toContain("/hooks/racine");
    // It is a webhook, not an email that could not be sent.
    expect(html).not.toContain("could not be sent");
  });
});

describe("without WEBHOOK_URLS", () => {
  test("signups, confirmations and unsubscriptions queue no webhook", async () => {
    const plain = await startServer();
    try {
      await post(plain, "/api/signup", { concept: "plain", email: "dan@example.com" });
      await expect
        .poll(() => plain.query("select status from outbox where kind = 'confirmation'"), { timeout: 10_000 })
        .toEqual([{ status: "sent" }]);
      const text = readFileSync(
        join(plain.outboxDir, readdirSync(plain.outboxDir).find((name) => name.endsWith(".txt")) ?? ""),
        "utf8",
      );
      for (const path of ["/api/confirm", "/api/unsubscribe"]) {
        const link = new RegExp(`${path}\\?token=[\\w.-]+`).exec(text)?.[0] ?? "";
        const answer = await fetch(new URL(link, plain.url), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(plain.url).origin },
        });
        expect(answer.status).toBe(200);
      }
      expect(
        plain.query(
          "select confirmed_at is not null as confirmed, unsubscribed_at is not null as unsubscribed from signups",
        ),
      ).toEqual([{ confirmed: 1, unsubscribed: 1 }]);
      expect(plain.query("select kind from outbox")).toEqual([{ kind: "confirmation" }]);
    } finally {
      await plain.stop();
    }
  });
});

describe("a bad WEBHOOK_URLS", () => {
  test("stops the server with the variable, the endpoint and the fix, not a stack trace", () => {
    const result = spawnSync(process.execPath, [serverBundle(FIXTURE_BUILD)], {
      env: {
        PATH: process.env.PATH ?? "",
        WEBHOOK_URLS: `http://hooks.example.com/catch/secret-token ${SECRET}`,
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), "racine-hooks-")), "racine.db"),
        BUILD_DIR: FIXTURE_BUILD.outDir,
      },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid environment");
    expect(result.stderr).toContain("WEBHOOK_URLS: endpoint 1 (hooks.example.com): use https://");
    expect(result.stderr).not.toContain("secret-token");
    expect(result.stderr).not.toContain(SECRET.slice(6));
    expect(result.stderr).not.toContain("    at ");
  });
});
