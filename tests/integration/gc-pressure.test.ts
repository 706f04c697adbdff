/**
 * better-sqlite3 ≤ 12 aborted the process on Node ≥ 24.19 when the garbage collector
 * finalised a statement (`Assertion failed: (env) != nullptr`): the server died under its
 * first few hundred signups. This runs the built server on this test run's Node with forced
 * collections and a small young generation, through signups, views and admin pages with
 * idle pauses, and asserts it is still alive with no native assertion in its output.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { adminCookie, post, startServer } from "../support/server";

const GC_PRESSURE = fileURLToPath(new URL("../support/gc-pressure.mjs", import.meta.url));
const NATIVE_FAILURE = /Assertion failed|FATAL ERROR|Segmentation fault|node::|core dumped/;

const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("under garbage-collector pressure", () => {
  test("the server survives signups, views and admin pages with forced collections", async () => {
    const server = await startServer({}, undefined, [
      "--expose-gc",
      "--max-semi-space-size=1",
      "--import",
      GC_PRESSURE,
    ]);
    try {
      const cookie = await adminCookie(server);
      const admin = (path: string) => fetch(new URL(path, server.url), { headers: { cookie } });
      for (let round = 0; round < 6; round++) {
        const requests: Promise<Response>[] = [];
        for (let i = 0; i < 50; i++) {
          const n = round * 50 + i;
          requests.push(post(server, "/api/signup", { concept: "split", email: `gc${n}@exemple.fr` }));
          requests.push(
            post(
              server,
              "/api/view",
              { concept: "late-variant" },
              { "user-agent": `Mozilla/5.0 (X11; Linux) gc/${n}` },
            ),
          );
        }
        for (const path of ["/admin", "/admin/c/split", "/admin/c/late-variant", "/admin/export.csv"])
          requests.push(admin(path));
        const statuses = (await Promise.all(requests)).map((res) => res.status);
        expect(statuses.filter((status) => status >= 300)).toEqual([]);
        // Idle between bursts: the collector finalises what the burst left behind.
        await idle(150);
      }
      expect(server.process.exitCode).toBeNull();
      expect(server.process.signalCode).toBeNull();
      expect(server.output()).not.toMatch(NATIVE_FAILURE);
      expect(server.query("select count(*) as n from signups where concept = 'split'")).toEqual([{ n: 300 }]);
    } finally {
      await server.stop();
    }
    // Collections take most of the server's time here: on a busy 2-core machine this runs for
    // tens of seconds (about 10 s on a quiet one).
  }, 120_000);
});
