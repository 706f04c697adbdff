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
}

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
    async send(email, idempotencyKey) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<SendResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, retryable: true, error: `no answer in ${timeoutMs} ms` }),
          timeoutMs,
        );
      });
      const attempt = resend.emails
        .send({ ...email }, { idempotencyKey })
        .then(({ data, error, headers }): SendResult => {
          if (data?.id) return { ok: true, providerId: data.id };
          const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
          return {
            ok: false,
            // No status is the network: it may pass later, as 429 and 5xx may; 4xx validation errors will not.
            retryable: status === null || isRetryableStatus(status),
            error: `${status ?? "network"}: ${error?.message ?? "unknown error"}`,
            retryAfterMs: retryAfterMs(headers?.["retry-after"]),
          };
        })
        .catch((error: unknown): SendResult => ({ ok: false, retryable: true, error: String(error) }));
      try {
        return await Promise.race([attempt, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function createFileMailer(dir: string, now: () => Date): Mailer {
  return {
    name: "files",
    async send(email, idempotencyKey) {
      try {
        return await writeEmailFiles(dir, email, idempotencyKey, now());
      } catch (error) {
        // A full disk or a missing permission may pass later: the outbox retries with backoff.
        return {
          ok: false,
          retryable: true,
          error: `files: ${error instanceof Error ? error.message : String(error)}`,
        };
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
