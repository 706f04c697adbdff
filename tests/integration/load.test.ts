import { describe, expect, test } from "vitest";
import { post, startServer } from "../support/server";

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
    const first = await startServer();
    const acknowledged: string[] = [];
    let sent = 0;
    let crashed = false;
    // Four clients sign up as fast as they can; the server is killed after 300 answers.
    const client = async (id: number) => {
      while (!crashed) {
        const email = `crash${id}-${sent++}@exemple.fr`;
        try {
          const res = await post(first, "/api/signup", { concept: "late-variant", email });
          if (res.status === 201) acknowledged.push(email);
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
      const stored = new Set(
        second
          .query<{ email: string }>("select email from signups where concept = 'late-variant'")
          .map((row) => row.email),
      );
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      expect(acknowledged.filter((email) => !stored.has(email))).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
