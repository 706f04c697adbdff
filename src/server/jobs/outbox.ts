/**
 * The outbox worker: delivers queued rows — emails through the mailer, webhooks to their
 * endpoints — with one retry logic for both: exponential backoff (honouring Retry-After),
 * an attempt count, sent with the provider's id, or failed after the last attempt or a
 * refusal that will not change. Each kind has its sender; a sender answers a SendResult
 * and never throws. A crash between sending and marking sends again after restart under
 * the same idempotency key (Resend's Idempotency-Key, a webhook's webhook-id), so the
 * receiver can deliver once.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox } from "../../../db/schema";
import type { SendResult } from "../../domain/delivery";
import type { EmailContent } from "../../domain/email";
import type { Mailer } from "../email/mailer";

export const MAX_ATTEMPTS = 8;

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxSender {
  send: (row: OutboxRow) => Promise<SendResult>;
  /**
   * The least time between two sends of this sender: providers limit their rate (Resend: a
   * few per second), and a burst of signups must not starve the signup path of the event
   * loop while mail goes out.
   */
  spacingMs?: number;
}

export interface OutboxWorkerOptions {
  db: Database;
  now: () => Date;
  /** First retry delay; each next one doubles, up to an hour. */
  retryBaseMs: number;
  /** Webhook rows go to `webhook`, every other kind (confirmation, digest, notification) is an email. */
  senders: { email: OutboxSender; webhook: OutboxSender };
  logError: (message: string) => void;
}

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(60 * 60 * 1000, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface EmailSenderOptions {
  mailer: Mailer;
  /** Emails per second at most. */
  ratePerSecond: number;
  /** Composes an email queued without content (confirmations); undefined: it can no longer be sent. */
  compose?: (email: { kind: string; signupId: number | null }) => EmailContent | undefined;
}

/** Sends an email row: its stored content (digests, notifications) or the one composed now (confirmations). */
export function createEmailSender({ mailer, ratePerSecond, compose }: EmailSenderOptions): OutboxSender {
  return {
    spacingMs: 1000 / ratePerSecond,
    async send(email) {
      const content: EmailContent | undefined =
        email.html !== null && email.text !== null && email.subject !== null
          ? { subject: email.subject, html: email.html, text: email.text, headers: email.headers ?? {} }
          : compose?.(email);
      if (!content) return { ok: false, retryable: false, error: "nothing to send: its signup was erased" };
      return mailer.send({ from: email.from, to: email.to, ...content }, email.idempotencyKey);
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

export function createOutboxWorker({ db, now, retryBaseMs, senders, logError }: OutboxWorkerOptions) {
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const senderOf = (row: OutboxRow) => (row.kind === "webhook" ? senders.webhook : senders.email);

  /** One attempt at one row: marks it sent, or failed for good, or pending with its next attempt. */
  async function attempt(row: OutboxRow): Promise<void> {
    const result = await senderOf(row).send(row);
    const attempts = row.attempts + 1;
    if (result.ok) {
      db.update(outbox)
        .set({ status: "sent", attempts, sentAt: now(), providerId: result.providerId, lastError: null })
        .where(eq(outbox.id, row.id))
        .run();
      return;
    }
    const failed = !result.retryable || attempts >= MAX_ATTEMPTS;
    const wait = Math.max(backoffMs(attempts, retryBaseMs), result.retryAfterMs ?? 0);
    db.update(outbox)
      .set({
        status: failed ? "failed" : "pending",
        attempts,
        lastError: result.error.slice(0, 500),
        nextAttemptAt: new Date(now().getTime() + wait),
      })
      .where(eq(outbox.id, row.id))
      .run();
    // Names the row, never its recipient: an email address stays out of the logs.
    const what = row.kind === "webhook" ? `webhook ${row.id} (${row.event})` : `email ${row.id} (${row.kind})`;
    logError(`${what} attempt ${attempts} failed: ${result.error.slice(0, 200)}`);
  }

  /** Sends what is due; answers how many rows it tried. */
  async function drain(): Promise<number> {
    const due = db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now())))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(20)
      .all();
    const lastSend = new Map<OutboxSender, number>();
    for (const row of due) {
      const sender = senderOf(row);
      const last = lastSend.get(sender);
      const wait = last === undefined ? 0 : last + (sender.spacingMs ?? 0) - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastSend.set(sender, performance.now());
      await attempt(row);
    }
    return due.length;
  }

  /** Runs one drain at a time; a kick while one runs waits for it. */
  function kick(): Promise<number> {
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  }

  /**
   * Sends one queued row now, whatever its schedule, and answers its state afterwards (for
   * a command that queued it: the other rows stay the server's to send).
   */
  async function deliver(id: number): Promise<{ status: string; lastError: string | null } | undefined> {
    const row = db.select().from(outbox).where(eq(outbox.id, id)).get();
    if (row?.status === "pending") await attempt(row);
    return db
      .select({ status: outbox.status, lastError: outbox.lastError })
      .from(outbox)
      .where(eq(outbox.id, id))
      .get();
  }

  return {
    kick,
    deliver,
    start(intervalMs = 1000) {
      timer = setInterval(() => {
        kick().catch((error: unknown) => logError(`outbox: ${String(error)}`));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
