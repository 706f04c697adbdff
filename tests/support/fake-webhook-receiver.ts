/**
 * A webhook receiver on 127.0.0.1, as a founder's tool would run one: it verifies each
 * delivery the way the Standard Webhooks specification tells receivers to — with its own
 * implementation (WebCrypto, not racine's node:crypto code) — and answers 2xx to a good one
 * and 400 to a forgery or a stale timestamp; or fails on purpose (500, 400, or no answer).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** Receivers reject timestamps further than this from their clock (the specification's 5 minutes). */
export const TOLERANCE_SECONDS = 5 * 60;

export type Verification = { ok: true } | { ok: false; reason: string };

/** Verifies one delivery: headers present, timestamp within tolerance of `nowSeconds`, one v1 signature matching. */
export async function verifyDelivery(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds: number,
): Promise<Verification> {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing headers" };
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS)
    return { ok: false, reason: "timestamp outside the tolerance" };
  const key = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (char) => char.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  // The header may list several signatures ("v1,a v1,b", during a key rotation): one must match.
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) continue;
    const bytes = Uint8Array.from(atob(signature), (char) => char.charCodeAt(0));
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, bytes, signed)) return { ok: true };
  }
  return { ok: false, reason: "no signature matches" };
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived, on this machine's clock. */
  at: number;
  /** What the receiver answered: a status, or "hang" (no answer). */
  answer: number | "hang";
  /** When it answered, or when the sender gave up on a "hang" and closed the connection. */
  endedAt: number | undefined;
  verification: Verification;
}

export type Failure = "500" | "400" | "hang";

export async function startFakeWebhookReceiver(
  secret: string,
  {
    now = () => Date.now(),
    onDelivery,
  }: { now?: () => number; onDelivery?: (headers: IncomingHttpHeaders) => void } = {},
) {
  const deliveries: Delivery[] = [];
  const failures: Failure[] = [];
  const hanging: (() => void)[] = [];
  const server = createServer((req, res) => {
    const at = now();
    onDelivery?.(req.headers);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, req.headers[name] as string]),
      );
      const verification = await verifyDelivery(secret, headers, body, Math.floor(at / 1000));
      const failure = failures.shift();
      const answer = failure === "hang" ? "hang" : failure ? Number(failure) : verification.ok ? 204 : 400;
      const delivery: Delivery = { headers: req.headers, body, at, answer, endedAt: undefined, verification };
      deliveries.push(delivery);
      res.once("close", () => {
        delivery.endedAt = now();
      });
      if (answer === "hang") {
        hanging.push(() => res.destroy());
        return;
      }
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/racine`,
    deliveries,
    /** The deliveries it accepted (answered 2xx), as parsed JSON. */
    accepted: () =>
      deliveries
        .filter((delivery) => delivery.answer === 204)
        .map(
          (delivery) => JSON.parse(delivery.body) as { type: string; timestamp: string; data: Record<string, unknown> },
        ),
    /** The next requests fail in this order. */
    failNext: (...next: Failure[]) => failures.push(...next),
    stop: async () => {
      for (const release of hanging) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
