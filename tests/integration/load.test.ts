import { setTimeout as sleep } from "node:timers/promises";
import Sqlite from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { post, startServer, type TestServer } from "../support/server";

describe("under load", () => {
  test("1,000 concurrent signups with duplicates store exactly one row per address, all 2xx", async () => {
    const server = await startServer();
    try {
      // 800 distinct addresses; 200 of them sent twice, the second time with the domain upper-cased.
      const bodies = Array.from({ length: 1000 }, (_, i) => {
        const n = i < 800 ? i : i - 800;
        return { concept: "split", email: `load${n}@${i < 800 ? "exemple.fr" : "EXEMPLE.FR"}` };
      });
      const statuses = await Promise.all(bodies.map(async (body) => (await post(server, "/api/signup", body)).status));
      expect(statuses.filter((status) => status === 201)).toHaveLength(1000);
      expect(server.query("select count(*) as n from signups")).toEqual([{ n: 800 }]);
    } finally {
      await server.stop();
    }
  });

  test("a crash (kill -9) mid-load loses no acknowledged signup", async () => {
    const { acknowledged, stored } = await crashMidLoad(
      async (server, n) => {
        const email = `crash${n}@exemple.fr`;
        return { res: await post(server, "/api/signup", { concept: "late-variant", email }), key: email };
      },
      201,
      (server) => server.query<{ key: string }>("select email as key from signups where concept = 'late-variant'"),
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.filter((email) => !stored.has(email))).toEqual([]);
  });

  test("a crash (kill -9) mid-load loses no acknowledged view", async () => {
    // Each view a new visitor (its own User-Agent), told apart after the restart by its utm_content.
    const { acknowledged, stored } = await crashMidLoad(
      async (server, n) => ({
        res: await post(
          server,
          "/api/view",
          { concept: "plain", utm_content: `crash-${n}` },
          { "user-agent": `${FIREFOX} ${n}` },
        ),
        key: `crash-${n}`,
      }),
      204,
      (server) => server.query<{ key: string }>("select utm_content as key from views where concept = 'plain'"),
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.filter((key) => !stored.has(key))).toEqual([]);
  });

  // Black-box, a crash lands after the commit that follows an answer: this one holds the
  // commit back (another connection keeps the write lock) and looks for an early answer.
  test.each([
    ["view", "/api/view", (n: number) => ({ concept: "plain", utm_content: `held-${n}` })],
    ["signup", "/api/signup", (n: number) => ({ concept: "plain", email: `held${n}@exemple.fr` })],
  ])("a %s is not answered while its commit is held back by a locked database", async (_name, path, body) => {
    const server = await startServer();
    const lock = new Sqlite(server.databasePath);
    try {
      const send = (n: number) => post(server, path, body(n), { "user-agent": `${FIREFOX} held/${n}` });
      expect((await send(0)).status).toBeLessThan(300);
      lock.exec("begin immediate");
      const answer = send(1).then(
        (res) => res.status,
        () => "connection closed",
      );
      const early = await Promise.race([answer, sleep(1_000).then(() => "no answer yet")]);
      expect(early).toBe("no answer yet");
    } finally {
      await server.crash();
      lock.close();
    }
  });
});

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/**
 * Four clients send as fast as they can; the server is killed (SIGKILL) after 300
 * acknowledgements, then restarted on the same database: what was acknowledged, and the
 * keys the restarted server has stored.
 */
async function crashMidLoad(
  send: (server: TestServer, n: number) => Promise<{ res: Response; key: string }>,
  acknowledgedStatus: number,
  storedKeys: (server: TestServer) => { key: string }[],
): Promise<{ acknowledged: string[]; stored: Set<string> }> {
  const first = await startServer();
  const acknowledged: string[] = [];
  let sent = 0;
  let crashed = false;
  const client = async () => {
    while (!crashed) {
      try {
        const { res, key } = await send(first, sent++);
        if (res.status === acknowledgedStatus) acknowledged.push(key);
      } catch {
        return; // the connection died with the server
      }
      if (acknowledged.length >= 300 && !crashed) {
        crashed = true;
        await first.crash();
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
  const second = await startServer({ DATABASE_PATH: first.databasePath });
  try {
    return { acknowledged, stored: new Set(storedKeys(second).map((row) => row.key)) };
  } finally {
    await second.stop();
  }
}
