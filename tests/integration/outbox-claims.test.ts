/**
 * Two processes' outbox workers on one database (two connections here, as the server and a
 * command would have): each row is claimed before it is sent, so each goes out once; a
 * claim left by a worker that died holds the row only until it expires.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, test, vi } from "vitest";
import { type Database, openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { outbox } from "../../db/schema";
import type { Mailer } from "../../src/server/email/mailer";
import { createEmailSender, createOutboxWorker } from "../../src/server/jobs/outbox";

const file = join(mkdtempSync(join(tmpdir(), "racine-claims-")), "racine.db");
const databases: Database[] = [];
afterAll(() => {
  for (const db of databases) db.$client.close();
});

function connection(): Database {
  const db = openDatabase(file);
  migrateDatabase(db);
  databases.push(db);
  return db;
}

/** A provider that takes 5 ms per email and notes every key it was sent. */
function slowMailer(sent: string[]): Mailer {
  const wait = () => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    name: "slow",
    async send(_email, key) {
      await wait();
      sent.push(key);
      return { ok: true, providerId: key };
    },
    async sendBatch(emails, key) {
      await wait();
      sent.push(key);
      return { ok: true, providerIds: emails.map((_, index) => `${key}/${index}`) };
    },
  };
}

function worker(db: Database, sent: string[], now: () => Date) {
  return createOutboxWorker({
    db,
    now,
    retryBaseMs: 50,
    claimMs: 60_000,
    senders: {
      email: createEmailSender({ mailer: slowMailer(sent), ratePerSecond: 1000, batchSize: 1 }),
      webhook: { send: async () => ({ ok: false, retryable: false, error: "none here" }) },
    },
    logError: () => {},
  });
}

const queue = (db: Database, keys: string[], at: Date) =>
  db
    .insert(outbox)
    .values(
      keys.map((key) => ({
        kind: "digest" as const,
        idempotencyKey: key,
        to: ["founder@example.com"],
        from: "racine <digest@example.com>",
        subject: key,
        html: `<p>${key}</p>`,
        text: key,
        headers: {},
        nextAttemptAt: at,
        createdAt: at,
      })),
    )
    .run();

describe("outbox claims", () => {
  test("two workers draining at once send each row once", async () => {
    const now = () => new Date("2026-11-25T12:00:00Z");
    const sent: string[] = [];
    const [a, b] = [worker(connection(), sent, now), worker(connection(), sent, now)];
    const keys = Array.from({ length: 12 }, (_, i) => `digest/claims-${i}`);
    queue(databases[0] as Database, keys, now());
    await Promise.all([a.kick(), b.kick()]);
    expect([...sent].sort()).toEqual([...keys].sort());
  });

  test("a row claimed by a worker that died is sent by another once the claim expires, not before", async () => {
    let clock = new Date("2026-11-26T12:00:00Z").getTime();
    const now = () => new Date(clock);
    const db = connection();
    queue(db, ["digest/orphan"], now());
    // A claim as a worker leaves it when it dies between claiming and recording.
    db.update(outbox)
      .set({ claimedUntil: new Date(clock + 60_000) })
      .where(eq(outbox.idempotencyKey, "digest/orphan"))
      .run();
    const sent: string[] = [];
    const survivor = worker(db, sent, now);
    await survivor.kick();
    expect(sent).toEqual([]);
    clock += 60_000;
    await survivor.kick();
    expect(sent).toEqual(["digest/orphan"]);
  });

  test("wakes during a drain: what was queued meanwhile goes out as soon as it ends, with no timer running", async () => {
    const now = () => new Date("2026-11-27T12:00:00Z");
    const db = connection();
    const sent: string[] = [];
    const busy = worker(db, sent, now);
    queue(db, ["digest/wake-0", "digest/wake-1"], now());
    busy.wake();
    // A burst of signups: each queues its email and wakes the worker while the drain still sends.
    queue(db, ["digest/wake-2", "digest/wake-3", "digest/wake-4"], now());
    for (let i = 0; i < 1000; i++) busy.wake();
    expect(sent).toEqual([]);
    await vi.waitFor(() => expect(sent).toHaveLength(5));
    expect([...sent].sort()).toEqual([
      "digest/wake-0",
      "digest/wake-1",
      "digest/wake-2",
      "digest/wake-3",
      "digest/wake-4",
    ]);
  });
});
