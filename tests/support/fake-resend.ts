/**
 * A stand-in for Resend's HTTP API on 127.0.0.1: records what the real SDK sends and
 * answers as Resend does, or fails on purpose (500, 429 with Retry-After, or no answer).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedEmail {
  headers: IncomingHttpHeaders;
  body: {
    from: string;
    to: string[];
    subject: string;
    html: string;
    text: string;
    headers?: Record<string, string>;
  };
}

export type Failure = "500" | "429" | "hang" | "422";

export async function startFakeResend() {
  const received: ReceivedEmail[] = [];
  const failures: Failure[] = [];
  const hanging: (() => void)[] = [];
  let id = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const failure = failures.shift();
      if (failure === "hang") {
        hanging.push(() => res.destroy());
        return;
      }
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
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
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      id += 1;
      json(200, { id: `fake-${id}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** The next requests fail in this order. */
    failNext: (...next: Failure[]) => failures.push(...next),
    /** The provider is back: failures not yet used are dropped, and every request succeeds. */
    recover: () => {
      failures.length = 0;
    },
    stop: async () => {
      for (const release of hanging) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
