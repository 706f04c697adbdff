/**
 * The news of a verdict, called as the decision log will call it: queueVerdictReached and
 * queueVerdictNotification on a real SQLite file, delivered by the real outbox worker to a
 * verifying receiver on loopback and to the file mailer.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { outbox } from "../../db/schema";
import type { ReachedVerdict } from "../../src/domain/reached-verdict";
import { createFileMailer } from "../../src/server/email/mailer";
import { createEmailSender, createOutboxWorker } from "../../src/server/jobs/outbox";
import { queueVerdictNotification, queueVerdictReached, type VerdictNotify } from "../../src/server/jobs/verdict-news";
import { createWebhookSender } from "../../src/server/webhooks/sender";
import { startFakeWebhookReceiver } from "../support/fake-webhook-receiver";
import { fixture, seedDemo, startServer } from "../support/server";

const SECRET = `whsec_${Buffer.alloc(24, 5).toString("base64")}`;
const decision: ReachedVerdict = {
  concept: "plain",
  kind: "idea",
  status: "validated",
  reachedOn: "2026-11-20",
  figures: { visitors: 1600, signups: 120 },
};

let receiver: Awaited<ReturnType<typeof startFakeWebhookReceiver>>;
let db: Database;
let dir: string;
const now = () => new Date();

beforeAll(async () => {
  receiver = await startFakeWebhookReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), "racine-verdict-"));
  db = openDatabase(join(dir, "racine.db"));
  migrateDatabase(db);
});
afterAll(async () => {
  db.$client.close();
  await receiver.stop();
});

function worker() {
  return createOutboxWorker({
    db,
    now,
    retryBaseMs: 50,
    claimMs: 5_000,
    senders: {
      email: createEmailSender({
        mailer: createFileMailer(join(dir, "outbox"), now),
        ratePerSecond: 100,
        batchSize: 1,
      }),
      webhook: createWebhookSender({
        endpoints: [{ url: receiver.url, secret: SECRET, events: ["verdict.reached"] }],
        now,
        timeoutMs: 1000,
      }),
    },
    logError: () => {},
  });
}

describe("queueVerdictReached", () => {
  test("queues verdict.reached once per decision for the endpoints that want it, and the worker delivers it signed", async () => {
    const endpoints = [
      { url: receiver.url, secret: SECRET, events: ["verdict.reached"] as const },
      { url: "https://crm.example.com/in", secret: SECRET, events: ["signup.created"] as const },
    ];
    expect(queueVerdictReached(db, endpoints, decision, now())).toBe(1);
    expect(queueVerdictReached(db, endpoints, { ...decision, figures: { visitors: 1700, signups: 130 } }, now())).toBe(
      0,
    );
    // Inside the caller's transaction: rolled back with it.
    expect(() =>
      db.transaction((tx) => {
        queueVerdictReached(tx, endpoints, { ...decision, reachedOn: "2026-11-21" }, now());
        throw new Error("the decision log's insert failed");
      }),
    ).toThrow();
    expect(db.select().from(outbox).all()).toHaveLength(1);

    expect(await worker().kick()).toBe(1);
    expect(receiver.deliveries.map((delivery) => delivery.verification)).toEqual([{ ok: true }]);
    expect(receiver.accepted()).toEqual([
      {
        type: "verdict.reached",
        timestamp: expect.any(String),
        data: { ...decision, figures: { visitors: 1600, signups: 120, conversion: 0.075 } },
      },
    ]);
  });
});

describe("queueVerdictNotification", () => {
  const notify: VerdictNotify = {
    from: "racine <digest@example.com>",
    to: ["founder@example.com"],
    concepts: [fixture("plain")],
    reportUrl: (slug) => `https://ideas.example.com/admin/c/${slug}`,
  };

  test("queues the founder's email once per decision, and the mailer sends it with both parts", async () => {
    expect(queueVerdictNotification(db, notify, decision, now())).toBe(true);
    expect(queueVerdictNotification(db, notify, decision, now())).toBe(false);
    const [row] = db.select().from(outbox).where(eq(outbox.kind, "notification")).all();
    expect(row).toMatchObject({ to: ["founder@example.com"], from: "racine <digest@example.com>", status: "pending" });
    expect(row?.subject).toBe(`${fixture("plain").title}: validated`);

    expect(await worker().kick()).toBe(1);
    const files = readdirSync(join(dir, "outbox"));
    const text = readFileSync(join(dir, "outbox", files.find((name) => name.endsWith(".txt")) ?? ""), "utf8");
    expect(text).toContain("The report: https://ideas.example.com/admin/c/plain");
    expect(files.some((name) => name.endsWith(".html"))).toBe(true);
    expect(db.select().from(outbox).where(eq(outbox.kind, "notification")).get()?.status).toBe("sent");
  });

  test("without NOTIFY_TO, or for a concept the build does not know, nothing is queued", () => {
    expect(queueVerdictNotification(db, undefined, { ...decision, reachedOn: "2026-12-01" }, now())).toBe(false);
    expect(queueVerdictNotification(db, notify, { ...decision, concept: "gone" }, now())).toBe(false);
  });
});

describe("the decision log tells of the verdicts it records, once", () => {
  test("a verdict the server's timer logs is sent as verdict.reached and emailed to the founder, and not again after a restart", async () => {
    // The receiver checks signatures' timestamps against the server's pinned clock (5 minutes' tolerance).
    const pinned = Date.parse("2026-11-25T12:00:00Z");
    const started = Date.now();
    const hooks = await startFakeWebhookReceiver(SECRET, { now: () => pinned + (Date.now() - started) });
    const databasePath = join(mkdtempSync(join(tmpdir(), "racine-verdict-log-")), "racine.db");
    const env = {
      CLOCK_START: "2026-11-25T12:00:00Z",
      DATABASE_PATH: databasePath,
      WEBHOOK_URLS: `${hooks.url} ${SECRET} verdict.reached`,
      NOTIFY_TO: "founder@example.org",
      OUTBOX_RETRY_MS: "50",
    };
    try {
      // The seeded history holds decisions: the timer replays it at start and logs them.
      let server = await startServer(env, seedDemo(42, 7, "2026-11-25T12:00:00Z"));
      const logged = () => server.query<{ n: number }>("select count(*) as n from decisions")[0]?.n ?? 0;
      try {
        await expect.poll(logged, { timeout: 10_000 }).toBeGreaterThan(0);
        const decisions = logged();
        await expect.poll(() => hooks.accepted().length, { timeout: 15_000 }).toBe(decisions);
        expect(hooks.deliveries.every((delivery) => delivery.verification.ok)).toBe(true);
        const ideas = server.query<{ concept: string; status: string; reached_on: string }>(
          "select concept, status, reached_on from decisions where variant is null order by concept",
        );
        const told = hooks
          .accepted()
          .filter((event) => event.data.kind === "idea")
          .map((event) => ({
            concept: event.data.concept,
            status: event.data.status,
            reached_on: event.data.reachedOn,
          }))
          .sort((a, b) => String(a.concept).localeCompare(String(b.concept)));
        expect(told).toEqual(ideas);
        const notifications = server.query<{ n: number }>(
          "select count(*) as n from outbox where kind = 'notification'",
        );
        expect(notifications[0]?.n).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }
      const before = hooks.deliveries.length;
      server = await startServer({ ...env, CLOCK_START: "2026-11-25T12:30:00Z" });
      try {
        // The timer ran again at start, on the same days: nothing new to tell.
        await expect.poll(() => server.output(), { timeout: 5_000 }).toContain("listening on");
        expect(hooks.deliveries.length).toBe(before);
        expect(server.query<{ n: number }>("select count(*) as n from outbox where kind = 'webhook'")[0]?.n).toBe(
          before,
        );
      } finally {
        await server.stop();
      }
    } finally {
      await hooks.stop();
    }
  }, 60_000);
});
