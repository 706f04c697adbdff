/**
 * Where emails go: Resend (when RESEND_API_KEY is set; the SDK honours RESEND_BASE_URL) or
 * files under OUTBOX_DIR (.html, .txt, .json per email) for development. A send answers
 * sent, or failed and whether a retry may succeed: never an exception to swallow.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Resend } from "resend";
import { isRetryableStatus, retryAfterMs, type SendResult } from "../../domain/delivery";
import type { EmailContent, EmailEnvelope } from "../../domain/email";
import type { Env } from "../env";

export type OutgoingEmail = EmailEnvelope & EmailContent;

export interface Mailer {
  name: string;
  send: (email: OutgoingEmail, idempotencyKey: string) => Promise<SendResult>;
  /**
   * Several emails in one request (Resend's batch endpoint: up to 100, one idempotency key
   * for the whole request): all sent, with their ids in order, or none.
   */
  sendBatch: (emails: readonly OutgoingEmail[], idempotencyKey: string) => Promise<BatchSendResult>;
}

export type BatchSendResult = { ok: true; providerIds: string[] } | Extract<SendResult, { ok: false }>;

const TIMEOUT_MS = 15_000;

/** The one place that picks the transport: Resend with RESEND_API_KEY, files under OUTBOX_DIR without. */
export function createMailer(
  env: Pick<Env, "RESEND_API_KEY" | "EMAIL_TIMEOUT_MS" | "OUTBOX_DIR">,
  now: () => Date,
): Mailer {
  return env.RESEND_API_KEY
    ? createResendMailer(env.RESEND_API_KEY, env.EMAIL_TIMEOUT_MS)
    : createFileMailer(resolve(env.OUTBOX_DIR), now);
}

export function createResendMailer(apiKey: string, timeoutMs = TIMEOUT_MS): Mailer {
  const resend = new Resend(apiKey);
  return {
    name: "resend",
    send: (email, idempotencyKey) =>
      withTimeout(
        timeoutMs,
        resend.emails.send({ ...email }, { idempotencyKey }).then(({ data, error, headers }): SendResult => {
          if (data?.id) return { ok: true, providerId: data.id };
          return resendFailure(error, headers);
        }),
      ),
    sendBatch: (emails, idempotencyKey) =>
      withTimeout(
        timeoutMs,
        resend.batch
          .send(
            emails.map((email) => ({ ...email })),
            { idempotencyKey },
          )
          .then(({ data, error, headers }): BatchSendResult => {
            const ids = data?.data.map((entry) => entry.id) ?? [];
            if (ids.length === emails.length) return { ok: true, providerIds: ids };
            if (!error)
              return { ok: false, retryable: true, error: `batch: ${ids.length} ids for ${emails.length} emails` };
            return resendFailure(error, headers);
          }),
      ),
  };
}

/** Resend answered an error: no status is the network, which may pass later, as 429 and 5xx may; 4xx validation errors will not. */
function resendFailure(
  error: { message?: string } | null,
  headers: Record<string, string> | null | undefined,
): Extract<SendResult, { ok: false }> {
  const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
  return {
    ok: false,
    retryable: status === null || isRetryableStatus(status),
    error: `${status ?? "network"}: ${error?.message ?? "unknown error"}`,
    retryAfterMs: retryAfterMs(headers?.["retry-after"]),
  };
}

/** The provider's answer, or a retryable failure when none comes in time (or the request throws). */
async function withTimeout<Result>(
  timeoutMs: number,
  attempt: Promise<Result>,
): Promise<Result | Extract<SendResult, { ok: false }>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Extract<SendResult, { ok: false }>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, retryable: true, error: `no answer in ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      attempt.catch((error: unknown) => ({ ok: false as const, retryable: true, error: String(error) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createFileMailer(dir: string, now: () => Date): Mailer {
  // A full disk or a missing permission may pass later: the outbox retries with backoff.
  const failure = (error: unknown) => ({
    ok: false as const,
    retryable: true,
    error: `files: ${error instanceof Error ? error.message : String(error)}`,
  });
  return {
    name: "files",
    async send(email, idempotencyKey) {
      try {
        return await writeEmailFiles(dir, email, idempotencyKey, now());
      } catch (error) {
        return failure(error);
      }
    },
    async sendBatch(emails, idempotencyKey) {
      try {
        const providerIds: string[] = [];
        for (const [index, email] of emails.entries()) {
          const written = await writeEmailFiles(dir, email, `${idempotencyKey}-${index}`, now());
          if (written.ok) providerIds.push(written.providerId);
        }
        return { ok: true, providerIds };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

async function writeEmailFiles(
  dir: string,
  email: OutgoingEmail,
  idempotencyKey: string,
  at: Date,
): Promise<SendResult> {
  // Emails hold addresses and signed links: owner-only folder and files.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = at.toISOString().replace(/[:.]/g, "-");
  const base = join(dir, `${stamp}-${idempotencyKey.replace(/[^\w-]+/g, "_")}`);
  const meta = JSON.stringify({ ...email, html: undefined, text: undefined, idempotencyKey }, null, 2);
  // Each file appears whole (written aside, then renamed), the .json last: a reader never
  // sees half an email.
  for (const [extension, content] of [
    ["html", email.html],
    ["txt", email.text],
    ["json", meta],
  ] as const) {
    await writeFile(`${base}.${extension}.tmp`, content, { mode: 0o600 });
    await rename(`${base}.${extension}.tmp`, `${base}.${extension}`);
  }
  return { ok: true, providerId: `file:${base}` };
}
