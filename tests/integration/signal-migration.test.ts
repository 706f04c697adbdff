import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { migrationsBefore } from "../support/migrations";

/**
 * A database made from the committed migrations before the one that re-keys addresses.
 */
function databaseBeforeSignal() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-signal-")), "racine.db"));
  migrateDatabase(
    db,
    migrationsBefore((tag) => tag.endsWith("_signal")),
  );
  return db;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2);

describe("the migration that re-keys addresses", () => {
  test("folds case, NFKC and IDNA into existing keys, merges the twins it finds and flags throwaway addresses", () => {
    const db = databaseBeforeSignal();
    const insert = db.$client.prepare(
      `insert into signups (concept, variant, email, email_key, lang, created_at, confirmed_at, unsubscribed_at)
       values (?, 'control', ?, ?, 'fr', ?, ?, ?)`,
    );
    // The old key kept the local part's case: these were two people, and two emails.
    const early = insert.run("split", "bars.one@example.com", "bars.one@example.com", T0, null, null);
    const confirmed = insert.run("split", "Bars.One@Example.com", "Bars.One@example.com", T0 + DAY, T0 + 2 * DAY, null);
    // The same address on another concept stays there.
    insert.run("plain", "Bars.One@Example.com", "Bars.One@example.com", T0, null, null);
    // A fullwidth domain, stored as typed, and its plain twin: the earliest stays when neither confirmed.
    const fullwidth = insert.run("split", "kim@ｇｍａｉｌ.com", "kim@ｇｍａｉｌ.com", T0, null, null);
    insert.run("split", "Kim@gmail.com", "Kim@gmail.com", T0 + DAY, null, null);
    // Opted in, then out on a twin: the opt-out stands on the row kept.
    const optedIn = insert.run("split", "ann@exemple.fr", "ann@exemple.fr", T0, T0 + 1000, null);
    insert.run("split", "ANN@exemple.fr", "ANN@exemple.fr", T0 + DAY, null, T0 + 3 * DAY);
    insert.run("split", "x@Mailinator.com", "x@mailinator.com", T0, null, null);
    insert.run("split", "y@inbox.mailinator.com", "y@inbox.mailinator.com", T0, null, null);
    insert.run("split", "lea@Café.fr", "lea@café.fr", T0, null, null);
    // The twin's pending confirmation goes with it; the kept row's stays.
    const queue = db.$client.prepare(
      `insert into outbox (kind, idempotency_key, "to", "from", signup_id, next_attempt_at, created_at)
       values ('confirmation', ?, '[]', 'racine', ?, 0, 0)`,
    );
    queue.run("confirmation/early", early.lastInsertRowid);
    queue.run("confirmation/confirmed", confirmed.lastInsertRowid);
    db.$client
      .prepare("insert into rollups values ('split', 'control', '2026-11-02', 'direct', 'split', 'day', 1, 9)")
      .run();
    db.$client.prepare("insert into rollup_progress values (1, '2026-11-02')").run();

    migrateDatabase(db);

    const rows = db.$client
      .prepare(
        "select id, concept, email, email_key, throwaway, unsubscribed_at from signups order by concept, email_key",
      )
      .all();
    expect(rows).toEqual([
      expect.objectContaining({ concept: "plain", email_key: "bars.one@example.com", throwaway: 0 }),
      expect.objectContaining({ concept: "split", email_key: "ann@exemple.fr", id: Number(optedIn.lastInsertRowid) }),
      expect.objectContaining({
        concept: "split",
        email: "Bars.One@Example.com",
        email_key: "bars.one@example.com",
        id: Number(confirmed.lastInsertRowid),
      }),
      // The address as typed is kept; only its key changes.
      expect.objectContaining({
        email: "kim@ｇｍａｉｌ.com",
        email_key: "kim@gmail.com",
        id: Number(fullwidth.lastInsertRowid),
      }),
      expect.objectContaining({ email_key: "lea@xn--caf-dma.fr", throwaway: 0 }),
      expect.objectContaining({ email_key: "x@mailinator.com", throwaway: 1 }),
      expect.objectContaining({ email_key: "y@inbox.mailinator.com", throwaway: 1 }),
    ]);
    expect(rows.find((row) => (row as { id: number }).id === Number(optedIn.lastInsertRowid))).toMatchObject({
      unsubscribed_at: T0 + 3 * DAY,
    });
    expect(db.$client.prepare("select idempotency_key as key from outbox").all()).toEqual([
      { key: "confirmation/confirmed" },
    ]);
    expect(db.$client.prepare("select count(*) as n from rollups").get()).toEqual({ n: 0 });
    expect(db.$client.prepare("select count(*) as n from rollup_progress").get()).toEqual({ n: 0 });
    // The new keys hold the unique index: the same address again is refused by it.
    expect(() => insert.run("split", "Kim@GMAIL.com", "kim@gmail.com", T0 + 5 * DAY, null, null)).toThrow(/UNIQUE/);
    db.$client.close();
  });

  test("keeps a twin's opt-out made before the kept row's opt-in out of it (the person joined again)", () => {
    const db = databaseBeforeSignal();
    const insert = db.$client.prepare(
      `insert into signups (concept, variant, email, email_key, lang, created_at, confirmed_at, unsubscribed_at)
       values ('split', 'control', ?, ?, 'fr', ?, ?, ?)`,
    );
    insert.run("zoe@exemple.fr", "zoe@exemple.fr", T0, T0 + 1000, T0 + DAY);
    const rejoined = insert.run("Zoe@exemple.fr", "Zoe@exemple.fr", T0 + 2 * DAY, T0 + 2 * DAY + 1000, null);
    migrateDatabase(db);
    expect(db.$client.prepare("select id, unsubscribed_at from signups").all()).toEqual([
      { id: Number(rejoined.lastInsertRowid), unsubscribed_at: null },
    ]);
    db.$client.close();
  });
});
