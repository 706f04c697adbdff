/**
 * A stand-in for Resend's HTTP API on 127.0.0.1 (`POST /emails` and the batch endpoint
 * `POST /emails/batch`): records what the real SDK sends and answers as Resend does, or fails
 * on purpose (500, 429 with Retry-After, 422, no answer, or accepting and then never
 * answering — a crash's view of a send that went out). Like Resend it remembers each
 * Idempotency-Key it accepted: the same key with the same payload is answered again without
 * sending, with another payload it is a 409.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

interface SentBody {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export interface ReceivedEmail {
  headers: IncomingHttpHeaders;
  body: SentBody;
}

/** "accept-hang": the emails are sent (recorded, their key remembered) but no answer ever comes. */
export type Failure = "500" | "429" | "hang" | "422" | "accept-hang";

/** One request as the provider saw it: the provider's log. */
export interface ProviderRequest {
  path: string;
  idempotencyKey: string | undefined;
  /** The recipients it carried. */
  to: string[];
  outcome: "sent" | "replayed" | "conflict" | Failure;
}

export async function startFakeResend() {
  const received: ReceivedEmail[] = [];
  const log: ProviderRequest[] = [];
  const failures: Failure[] = [];
  /** Failures that start once this many emails were sent (midway through a run). */
  let failuresAfter: { emails: number; next: Failure[] } | undefined;
  const remembered = new Map<string, { payload: string; answer: unknown }>();
  const hanging: (() => void)[] = [];
  let id = 0;
  const nextFailure = () => {
    if (failuresAfter && received.length >= failuresAfter.emails) {
      failures.push(...failuresAfter.next);
      failuresAfter = undefined;
    }
    return failures.shift();
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const payload = Buffer.concat(chunks).toString();
      const parsed = JSON.parse(payload) as SentBody | SentBody[];
      const batch = req.url === "/emails/batch";
      const emails = Array.isArray(parsed) ? parsed : [parsed];
      const key = req.headers["idempotency-key"] as string | undefined;
      const entry = (outcome: ProviderRequest["outcome"]) =>
        log.push({ path: req.url ?? "", idempotencyKey: key, to: emails.flatMap((email) => email.to), outcome });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      const seen = key === undefined ? undefined : remembered.get(key);
      if (seen) {
        if (seen.payload !== payload) {
          entry("conflict");
          return json(409, {
            statusCode: 409,
            name: "invalid_idempotent_request",
            message: "Same idempotency key used with a different request payload.",
          });
        }
        entry("replayed");
        return json(200, seen.answer);
      }
      const failure = nextFailure();
      if (failure) entry(failure);
      if (failure === "hang") {
        hanging.push(() => res.destroy());
        return;
      }
      if (failure === "500") return json(500, { statusCode: 500, name: "internal_server_error", message: "boom" });
      if (failure === "429") {
        return json(
          429,
          { statusCode: 429, name: "rate_limit_exceeded", message: "slow down" },
          { "retry-after": "1" },
        );
      }
      if (failure === "422")
        return json(422, { statusCode: 422, name: "validation_error", message: "domain not verified" });
      const ids = emails.map((email) => {
        received.push({ headers: req.headers, body: email });
        id += 1;
        return { id: `fake-${id}` };
      });
      const answer = batch ? { data: ids } : ids[0];
      if (key !== undefined) remembered.set(key, { payload, answer });
      if (failure === "accept-hang") {
        hanging.push(() => res.destroy());
        return;
      }
      entry("sent");
      json(200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** Every request, in order, with what became of it. */
    log,
    /** Every recipient of every email sent, in order (a replayed request sends nothing). */
    recipients: () => received.flatMap((email) => email.body.to),
    /** The next requests fail in this order. */
    failNext: (...next: Failure[]) => failures.push(...next),
    /** Once `emails` emails were sent, the next requests fail in this order. */
    failAfter: (emails: number, ...next: Failure[]) => {
      failuresAfter = { emails, next };
    },
    /** The provider is back: failures not yet used are dropped, and every request succeeds. */
    recover: () => {
      failures.length = 0;
      failuresAfter = undefined;
    },
    stop: async () => {
      for (const release of hanging) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
