/**
 * "Send the link again" (POST /api/resend-confirmation) and unsubscribing, through the real
 * server: the resend waits 10 minutes after the first email, then 6 hours; it counts in
 * /api/signup's own rate-limit bucket; unsubscribing drops the emails still queued.
 * Time passes by restarting the server on the same database with a later pinned clock.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createEmailToken } from "../../src/domain/email-token";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { adminCookie, FIXTURE_BUILD, post, startServer, type TestServer } from "../support/server";

const concept = loadConceptFiles(FIXTURE_BUILD.conceptsDir).find((c) => c.status === "live" && c.doubleOptIn);
const slug = concept?.slug ?? "";
const START = Date.parse("2030-02-01T09:00:00Z");
const MINUTE = 60_000;

const resend = (server: TestServer, email: string) =>
  post(server, "/api/resend-confirmation", `concept=${slug}&email=${encodeURIComponent(email)}`);
const confirmationKeys = (server: TestServer) =>
  server
    .query<{ key: string }>("select idempotency_key as key from outbox where kind = 'confirmation' order by id")
    .map((row) => row.key);

describe("resending the confirmation", () => {
  test("the test has a live double opt-in concept to work with", () => {
    expect(concept).toBeDefined();
  });

  test("waits 10 minutes after the first email, then 6 hours: earlier asks get the same page and queue nothing", async () => {
    const at = (ms: number) => ({ CLOCK_START: new Date(START + ms).toISOString() });
    // A database of our own: the next servers reopen it (a server stopped otherwise removes its files).
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-resend-")), "racine.db");
    let server = await startServer({ ...at(0), DATABASE_PATH: databasePath });
    try {
      expect((await post(server, "/api/signup", { concept: slug, email: "again@example.org" })).status).toBe(201);
      const [signup] = server.query<{ id: number }>("select id from signups");
      expect(confirmationKeys(server)).toEqual([`confirmation/${signup?.id}`]);
      const early = await resend(server, "again@example.org");
      expect(early.status).toBe(200);
      expect(confirmationKeys(server)).toHaveLength(1);
      await server.stop();

      server = await startServer({ ...at(11 * MINUTE), DATABASE_PATH: databasePath });
      expect((await resend(server, "again@example.org")).status).toBe(200);
      expect(confirmationKeys(server)).toEqual([`confirmation/${signup?.id}`, `confirmation/${signup?.id}/1`]);
      // The next one waits 6 hours after this one.
      expect((await resend(server, "again@example.org")).status).toBe(200);
      expect(confirmationKeys(server)).toHaveLength(2);
      await server.stop();

      server = await startServer({ ...at(11 * MINUTE + 6 * 60 * MINUTE + MINUTE), DATABASE_PATH: databasePath });
      expect((await resend(server, "again@example.org")).status).toBe(200);
      expect(confirmationKeys(server)).toHaveLength(3);
      // An address that is on no list gets the same page, and nothing is queued.
      expect((await resend(server, "stranger@example.org")).status).toBe(200);
      expect(confirmationKeys(server)).toHaveLength(3);
    } finally {
      await server.stop();
    }
  });

  test("counts in /api/signup's rate-limit bucket: after the signup limit, a resend is refused with 429", async () => {
    const server = await startServer({ RATE_LIMIT: "on", RATE_LIMIT_SIGNUP: "2/60" });
    try {
      for (const email of ["one@example.org", "two@example.org"])
        expect((await post(server, "/api/signup", { concept: slug, email })).status).toBe(201);
      const res = await resend(server, "one@example.org");
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});

describe("unsubscribing", () => {
  test("drops the emails still queued for that signup, and the admin page does not list them as failures", async () => {
    // A mailer that cannot write keeps the confirmation pending (retried with a long backoff).
    const dir = mkdtempSync(join(tmpdir(), "racine-outbox-"));
    writeFileSync(join(dir, "a-file"), "");
    const server = await startServer({ OUTBOX_DIR: join(dir, "a-file", "outbox"), OUTBOX_RETRY_MS: "600000" });
    try {
      expect((await post(server, "/api/signup", { concept: slug, email: "leaving@example.org" })).status).toBe(201);
      const row = () =>
        server.query<{ status: string; last_error: string | null }>("select status, last_error from outbox")[0];
      await expect.poll(() => row()?.last_error ?? "", { timeout: 10_000 }).toMatch(/^files:/);
      expect(row()?.status).toBe("pending");
      const [signup] = server.query<{ id: number }>("select id from signups");
      const key = server.query<{ value: string }>("select value from app_secrets where name = 'email-links'")[0]?.value;
      const token = createEmailToken(key ?? "", {
        purpose: "unsubscribe",
        signupId: signup?.id ?? 0,
        expiresAt: Date.now() + 60 * MINUTE,
      });
      expect((await post(server, `/api/unsubscribe?token=${token}`, "")).status).toBe(200);
      expect(row()).toEqual({ status: "failed", last_error: "unsubscribed" });
      expect(
        server.query<{ n: number }>("select count(*) as n from signups where unsubscribed_at is not null")[0]?.n,
      ).toBe(1);
      const admin = await fetch(new URL("/admin", server.url), { headers: { cookie: await adminCookie(server) } });
      expect(await admin.text()).not.toContain("could not be sent");
    } finally {
      await server.stop();
    }
  });
});
