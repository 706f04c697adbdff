/**
 * The findings of the second outside review (issue 15), one describe each: every test
 * here failed against the server as it was reviewed.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ADMIN_PASSWORD, post, startServer, type TestServer } from "../support/server";

let server: TestServer;
let limited: TestServer;
beforeAll(async () => {
  [server, limited] = await Promise.all([
    startServer(),
    startServer({ RATE_LIMIT: "on", RATE_LIMIT_SIGNUP: "3/60", RATE_LIMIT_LOGIN: "2/900" }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.stop(), limited.stop()]);
});

/** Sends raw bytes on a fresh connection and resolves with what the server answered before closing. */
function rawRequest(target: TestServer, chunks: readonly string[], { end = true } = {}): Promise<string> {
  const { hostname, port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (data) => {
      answer += data.toString("latin1");
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" ? resolve(answer) : reject(error),
    );
    socket.on("close", () => resolve(answer));
    socket.on("connect", () => {
      for (const chunk of chunks) socket.write(chunk);
      if (end) socket.end();
    });
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function alive(target: TestServer): Promise<boolean> {
  return (await fetch(new URL("/healthz", target.url))).status === 200;
}

describe("one request must not crash the server (body limits at the edge)", () => {
  test.each(["/admin/login", "/api/resend-confirmation", "/api/signup", "/api/unsubscribe"])(
    "a 6 MB form of two million empty fields posted to %s is refused with 413, and the server lives on",
    async (path) => {
      const res = await post(server, path, "a=&".repeat(2_000_000));
      expect(res.status).toBe(413);
      expect(await alive(server)).toBe(true);
    },
  );

  test("a chunked body (no Content-Length) is cut off at the limit with 413", async () => {
    const chunk = "a=&".repeat(1000);
    const chunked = Array.from({ length: 10 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const answer = await rawRequest(server, [
      "POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
      ...chunked,
      "0\r\n\r\n",
    ]);
    expect(statusOf(answer)).toBe(413);
    expect(await alive(server)).toBe(true);
  });

  test.each([
    ["/admin/login", "application/json"],
    ["/admin/login", "multipart/form-data; boundary=x"],
    ["/api/resend-confirmation", "text/plain"],
  ])("%s refuses a %s body with 415 before reading it", async (path, type) => {
    const res = await post(server, path, "password=x", { "content-type": type });
    expect(res.status).toBe(415);
  });
});

describe("the login limit holds (one client address, from the socket)", () => {
  test("rotating X-Forwarded-For does not make a new client: the third attempt is refused, even with the right password", async () => {
    const attempt = (password: string, forwarded: string) =>
      post(limited, "/admin/login", `password=${encodeURIComponent(password)}`, { "x-forwarded-for": forwarded });
    const statuses = [
      (await attempt("wrong-1", "10.0.0.1")).status,
      (await attempt("wrong-2", "10.0.0.2")).status,
      (await attempt(ADMIN_PASSWORD, "10.0.0.3")).status,
    ];
    expect(statuses).toEqual([401, 401, 429]);
  });

  test("rotating X-Forwarded-For does not escape the resend-confirmation limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(limited, "/api/resend-confirmation", "concept=origami&email=nobody%40exemple.fr", {
        "x-forwarded-for": `10.1.0.${i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
  });
});
