/**
 * The outbox worker: sends queued emails with retries and exponential backoff (honouring
 * Retry-After), marks them sent with the provider's id, or failed after the last attempt.
 * A crash between sending and marking sends again after restart under the same
 * idempotency key, so the provider delivers once.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox } from "../../../db/schema";
import type { EmailContent } from "../../domain/email";
import type { Mailer } from "../email/mailer";

export const MAX_ATTEMPTS = 8;

export interface OutboxWorkerOptions {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  /** First retry delay; each next one doubles, up to an hour. */
  retryBaseMs: number;
  /**
   * Emails per second at most: providers limit their rate (Resend: a few per second), and a
   * burst of signups must not starve the signup path of the event loop while mail goes out.
   */
  ratePerSecond: number;
  /** Composes an email queued without content (confirmations); undefined: it can no longer be sent. */
  compose?: (email: { kind: string; signupId: number | null }) => EmailContent | undefined;
  logError: (message: string) => void;
}

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(60 * 60 * 1000, baseMs * 2 ** Math.max(0, attempts - 1));
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

export function createOutboxWorker({
  db,
  mailer,
  now,
  retryBaseMs,
  ratePerSecond,
  compose,
  logError,
}: OutboxWorkerOptions) {
  const spacingMs = 1000 / ratePerSecond;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  type Row = typeof outbox.$inferSelect;

  /** One attempt at one email: marks it sent, or failed for good, or pending with its next attempt. */
  async function attempt(email: Row): Promise<void> {
    const content: EmailContent | undefined =
      email.html !== null && email.text !== null && email.subject !== null
        ? { subject: email.subject, html: email.html, text: email.text, headers: email.headers ?? {} }
        : compose?.(email);
    if (!content) {
      db.update(outbox)
        .set({ status: "failed", lastError: "nothing to send: its signup was erased" })
        .where(eq(outbox.id, email.id))
        .run();
      return;
    }
    const result = await mailer.send({ from: email.from, to: email.to, ...content }, email.idempotencyKey);
    const attempts = email.attempts + 1;
    if (result.ok) {
      db.update(outbox)
        .set({ status: "sent", attempts, sentAt: now(), providerId: result.providerId, lastError: null })
        .where(eq(outbox.id, email.id))
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
      .where(eq(outbox.id, email.id))
      .run();
    logError(`email ${email.id} (${email.kind}) attempt ${attempts} failed: ${result.error.slice(0, 200)}`);
  }

  /** Sends what is due; answers how many emails it tried. */
  async function drain(): Promise<number> {
    const due = db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now())))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(20)
      .all();
    for (const [index, email] of due.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, spacingMs));
      await attempt(email);
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
   * Sends one queued email now, whatever its schedule, and answers its state afterwards (for
   * a command that queued it: the other emails stay the server's to send).
   */
  async function deliver(id: number): Promise<{ status: string; lastError: string | null } | undefined> {
    const email = db.select().from(outbox).where(eq(outbox.id, id)).get();
    if (email?.status === "pending") await attempt(email);
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
