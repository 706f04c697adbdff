/**
 * The outbox worker: delivers queued rows — emails through the mailer, webhooks to their
 * endpoints — with one retry logic for both: exponential backoff (honouring Retry-After),
 * an attempt count, sent with the provider's id, or failed after the last attempt or a
 * refusal that will not change. Each kind has its sender; a sender answers a SendResult
 * and never throws. A crash between sending and marking sends again after restart under
 * the same idempotency key (Resend's Idempotency-Key, a webhook's webhook-id), so the
 * receiver can deliver once. A row is claimed before it is sent (claimed_until set past
 * the longest a send can take), so two processes — the server's worker and a command —
 * never send the same row at once, and a process that dies holding a claim only delays the
 * row. An announcement's emails go in batches (one request for up to 100 of them).
 */
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox } from "../../../db/schema";
import type { SendResult } from "../../domain/delivery";
import type { EmailContent } from "../../domain/email";
import type { BatchSendResult, Mailer } from "../email/mailer";

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
  /** Sends rows of one batch group in one request (see batchGroupOf); one answer for all. */
  sendBatch?: (rows: readonly OutboxRow[], idempotencyKey: string) => Promise<BatchSendResult>;
  /** Rows per batch request at most. */
  batchSize?: number;
}

export interface OutboxWorkerOptions {
  db: Database;
  now: () => Date;
  /** First retry delay; each next one doubles, up to an hour. */
  retryBaseMs: number;
  /** Webhook rows go to `webhook`, every other kind (confirmation, digest, notification) is an email. */
  senders: { email: OutboxSender; webhook: OutboxSender };
  /** How long a claim holds a row: longer than any send may take (the senders' time-outs). */
  claimMs: number;
  logError: (message: string) => void;
}

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(60 * 60 * 1000, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface EmailSenderOptions {
  mailer: Mailer;
  /** Requests per second at most (a batch is one request). */
  ratePerSecond: number;
  /** Emails per batch request at most (Resend: 100). */
  batchSize: number;
  /** Composes an email queued without content (confirmations, announcements); undefined: it can no longer be sent. */
  compose?: (email: OutboxRow) => EmailContent | undefined;
}

const ERASED = "nothing to send: its signup was erased";

/** Sends email rows: their stored content (digests, notifications) or the one composed now (confirmations, announcements). */
export function createEmailSender({ mailer, ratePerSecond, batchSize, compose }: EmailSenderOptions): OutboxSender {
  const contentOf = (email: OutboxRow): EmailContent | undefined =>
    email.html !== null && email.text !== null && email.subject !== null
      ? { subject: email.subject, html: email.html, text: email.text, headers: email.headers ?? {} }
      : compose?.(email);
  return {
    spacingMs: 1000 / ratePerSecond,
    batchSize,
    async send(email) {
      const content = contentOf(email);
      if (!content) return { ok: false, retryable: false, error: ERASED };
      return mailer.send({ from: email.from, to: email.to, ...content }, email.idempotencyKey);
    },
    async sendBatch(emails, idempotencyKey) {
      const outgoing = [];
      for (const email of emails) {
        const content = contentOf(email);
        // Erased while its batch was drawn: its row is gone with it, so the others go again without it (nothing was sent).
        if (!content) return { ok: false, retryable: true, error: `one email of the batch: ${ERASED}` };
        outgoing.push({ from: email.from, to: email.to, ...content });
      }
      return mailer.sendBatch(outgoing, idempotencyKey);
    },
  };
}

/** Rows that may share a batch request: an announcement's emails. Null: sent alone. */
const batchGroupOf = (row: OutboxRow) => (row.kind === "announcement" ? row.announcementId : null);

/**
 * The idempotency key of a batch request: made from its rows' own keys, so the same rows
 * retried after a crash send the same key (and the provider answers without sending again).
 */
const batchKey = (rows: readonly OutboxRow[]) =>
  `batch/${createHash("sha256")
    .update(rows.map((row) => row.idempotencyKey).join("\n"))
    .digest("hex")}`;

/** Due rows in order, cut into what goes in one request: a row alone, or a batch of one group. */
function requestsOf(rows: readonly OutboxRow[], senderOf: (row: OutboxRow) => OutboxSender): OutboxRow[][] {
  const requests: OutboxRow[][] = [];
  for (const row of rows) {
    const previous = requests.at(-1);
    const head = previous?.[0];
    const sender = senderOf(row);
    const group = batchGroupOf(row);
    if (
      previous &&
      head &&
      sender.sendBatch &&
      group !== null &&
      batchGroupOf(head) === group &&
      previous.length < (sender.batchSize ?? 1)
    )
      previous.push(row);
    else requests.push([row]);
  }
  return requests;
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

export function createOutboxWorker({ db, now, retryBaseMs, senders, claimMs, logError }: OutboxWorkerOptions) {
  let running: Promise<number> | undefined;
  /** A wake came while a drain ran: drain again once it ends. */
  let wanted = false;
  let timer: NodeJS.Timeout | undefined;
  const senderOf = (row: OutboxRow) => (row.kind === "webhook" ? senders.webhook : senders.email);
  // When each sender last sent, across drains: its spacing holds from one drain to the next.
  const lastSend = new Map<OutboxSender, number>();
  /** Pending, due, and held by no process (never claimed, answered since, or its holder's claim expired). */
  const sendable = (at: Date) =>
    and(
      eq(outbox.status, "pending"),
      lte(outbox.nextAttemptAt, at),
      or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, at)),
    );

  /** The rows of `rows` this process now holds: still pending, due and unclaimed, claimed past any send. */
  function claim(rows: readonly OutboxRow[]): OutboxRow[] {
    const at = now();
    const claimed = db
      .update(outbox)
      .set({ claimedUntil: new Date(at.getTime() + claimMs) })
      .where(
        and(
          inArray(
            outbox.id,
            rows.map((row) => row.id),
          ),
          sendable(at),
        ),
      )
      .returning({ id: outbox.id })
      .all();
    const ids = new Set(claimed.map((row) => row.id));
    return rows.filter((row) => ids.has(row.id));
  }

  /**
   * Records one row's answer: sent, or failed for good, or pending with its next attempt. The
   * rows of one batch record one instant: they come due again together, as the same batch
   * under the same key (a batch cut differently would be a new key, and could send twice).
   */
  function record(row: OutboxRow, result: SendResult, at: Date): void {
    const attempts = row.attempts + 1;
    if (result.ok) {
      db.update(outbox)
        .set({
          status: "sent",
          attempts,
          sentAt: at,
          providerId: result.providerId,
          lastError: null,
          claimedUntil: null,
        })
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
        nextAttemptAt: new Date(at.getTime() + wait),
        claimedUntil: null,
      })
      .where(eq(outbox.id, row.id))
      .run();
    // Names the row, never its recipient: an email address stays out of the logs.
    const what = row.kind === "webhook" ? `webhook ${row.id} (${row.event})` : `email ${row.id} (${row.kind})`;
    logError(`${what} attempt ${attempts} failed: ${result.error.slice(0, 200)}`);
  }

  /** One request: a row alone, or a batch of rows in one call; each row then records the answer. */
  async function attempt(rows: readonly OutboxRow[]): Promise<void> {
    const claimed = claim(rows);
    const [first] = claimed;
    if (!first) return;
    const sender = senderOf(first);
    if (claimed.length === 1 || !sender.sendBatch) {
      for (const row of claimed) record(row, await sender.send(row), now());
      return;
    }
    const result = await sender.sendBatch(claimed, batchKey(claimed));
    const at = now();
    db.transaction(() => {
      for (const [index, row] of claimed.entries())
        record(row, result.ok ? { ok: true, providerId: result.providerIds[index] ?? "" } : result, at);
    });
  }

  /** Sends what is due (of the rows `where` picks, if given); answers how many rows it tried. */
  async function drain(where?: SQL): Promise<number> {
    const due = db
      .select()
      .from(outbox)
      .where(and(sendable(now()), where))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
      .limit(Math.max(20, senders.email.batchSize ?? 1))
      .all();
    for (const request of requestsOf(due, senderOf)) {
      const [first] = request;
      if (!first) continue;
      const sender = senderOf(first);
      const last = lastSend.get(sender);
      const wait = last === undefined ? 0 : last + (sender.spacingMs ?? 0) - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastSend.set(sender, performance.now());
      await attempt(request);
    }
    return due.length;
  }

  /** Runs one drain at a time; a kick while one runs waits for it. */
  function kick(): Promise<number> {
    running ??= drain().finally(() => {
      running = undefined;
      if (wanted) wake();
    });
    return running;
  }

  /**
   * Asks for a drain now, or right after the one running. A burst of signups calls this
   * thousands of times a second while a drain paces its sends for seconds: it allocates
   * nothing then (a waiting promise per call grew the heap by megabytes a second).
   */
  function wake(): void {
    wanted = running !== undefined;
    if (!wanted) kick().catch((error: unknown) => logError(`outbox: ${String(error)}`));
  }

  /**
   * Sends one queued row now — a row just queued is due — unless another process holds it,
   * and answers its state afterwards (for a command that queued it: the other rows stay the
   * server's to send).
   */
  async function deliver(id: number): Promise<{ status: string; lastError: string | null } | undefined> {
    const row = db.select().from(outbox).where(eq(outbox.id, id)).get();
    if (row?.status === "pending") await attempt([row]);
    return db
      .select({ status: outbox.status, lastError: outbox.lastError })
      .from(outbox)
      .where(eq(outbox.id, id))
      .get();
  }

  /**
   * Sends every pending email of one announcement now (for the command that queued or resumes
   * it), telling `onProgress` after each round; waits out retries due within `patienceMs`.
   * Answers "done" when none is pending, "waiting" when the next retry is further away
   * (the server's worker, or the next run, will send them).
   */
  async function deliverAnnouncement(
    announcementId: number,
    { onProgress, patienceMs }: { onProgress: () => void; patienceMs: number },
  ): Promise<"done" | "waiting"> {
    const ofAnnouncement = eq(outbox.announcementId, announcementId);
    for (;;) {
      const tried = await drain(ofAnnouncement);
      onProgress();
      if (tried > 0) continue;
      const next = db
        // A row comes due at its next attempt, or when a claim on it expires, whichever is later.
        .select({ at: sql<number | null>`min(max(${outbox.nextAttemptAt}, coalesce(${outbox.claimedUntil}, 0)))` })
        .from(outbox)
        .where(and(ofAnnouncement, eq(outbox.status, "pending")))
        .get()?.at;
      if (next === null || next === undefined) return "done";
      const wait = next - now().getTime();
      if (wait > patienceMs) return "waiting";
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 10)));
    }
  }

  return {
    kick,
    wake,
    deliver,
    deliverAnnouncement,
    start(intervalMs = 1000) {
      timer = setInterval(wake, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
