/**
 * The ingestion store's group commit on a real SQLite file: a lone write is committed in
 * the turn after it arrives; under load, writes of the next turns join the batch, which is
 * committed (and answered) at the first turn that brings none, or after MAX_JOIN_TURNS.
 * A second connection reads what is committed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createIngestStore, MAX_JOIN_TURNS, type ViewRow } from "../../src/server/store/ingest-store";

const file = join(mkdtempSync(join(tmpdir(), "racine-group-commit-")), "racine.db");
const db = openDatabase(file);
migrateDatabase(db);
const reader = new Sqlite(file, { readonly: true });
afterAll(() => {
  reader.close();
  db.$client.close();
});
const store = createIngestStore(db);

const view = (visitor: string): ViewRow => ({
  concept: "group",
  variant: "control",
  visitorHash: visitor,
  day: "2026-12-01",
  createdAt: new Date("2026-12-01T12:00:00Z"),
  served: "split",
  exposure: "first",
  utm: {},
  referrerHost: undefined,
});
const committed = (prefix: string) =>
  (
    reader.prepare("select visitor_hash from views where visitor_hash like ? order by id").all(`${prefix}%`) as {
      visitor_hash: string;
    }[]
  ).map((row) => row.visitor_hash);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("group commit", () => {
  test("a lone write is committed and answered in the turn after it arrives", async () => {
    let turns = 0;
    const written = store.recordView(view("lone"));
    setImmediate(() => {
      turns += 1;
    });
    expect(await written).toBeGreaterThan(0);
    expect(turns).toBe(0);
    expect(committed("lone")).toEqual(["lone"]);
  });

  test("under load, a write of the next turn joins the batch: the first is answered with it committed", async () => {
    const order: string[] = [];
    const first = store.recordView(view("burst-a")).then(() => {
      order.push("a answered");
      return committed("burst-");
    });
    const others = [store.recordView(view("burst-b"))];
    setImmediate(() => {
      others.push(store.recordView(view("burst-c")));
      order.push("c arrived");
    });
    expect(await first).toEqual(["burst-a", "burst-b", "burst-c"]);
    await Promise.all(others);
    expect(order).toEqual(["c arrived", "a answered"]);
  });

  test("writes arriving in every turn do not hold a batch back for more than MAX_JOIN_TURNS turns", async () => {
    let arrived = 2;
    let answered = 0;
    const first = store.recordView(view("stream-0")).then(() => {
      answered = arrived;
    });
    const later = [store.recordView(view("stream-1"))];
    for (let turn = 0; turn < 3 * MAX_JOIN_TURNS; turn++) {
      await nextTurn();
      later.push(store.recordView(view(`stream-${arrived}`)));
      arrived += 1;
    }
    await Promise.all([first, ...later]);
    expect(answered).toBeGreaterThan(2);
    expect(answered).toBeLessThanOrEqual(2 + MAX_JOIN_TURNS + 1);
  });
});
