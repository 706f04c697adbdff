/**
 * The founder's interview list reads the index of the subscribed opt-ins (migration 0016):
 * on crafted signups (opted in at the same instant, unsubscribed before or after opting
 * in, of another concept, never opted in), its count and its latest rows equal the plain
 * rule's, every signup of the concept read from the table.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { interviewOptIns } from "../../src/server/store/funnel";
import { recordInterview } from "../../src/server/store/ladder";

const AT = Date.parse("2026-11-20T10:00:00Z");

function craftedDatabase() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-interviews-")), "db.sqlite"));
  migrateDatabase(db);
  const insert = db.$client.prepare(
    "insert into signups (concept, variant, email, email_key, lang, created_at, answer) values (?, 'control', ?, ?, 'en', ?, ?)",
  );
  for (let i = 0; i < 30; i++) {
    const concept = i % 5 === 4 ? "other" : "c";
    const id = Number(
      insert.run(concept, `p${i}@example.com`, `p${i}@example.com`, AT, i % 3 ? null : '["a"]').lastInsertRowid,
    );
    // Four at a time opt in at the same instant: of those, the latest signup comes first.
    if (i % 7 !== 6) recordInterview(db, id, i % 2 ? "mornings" : undefined, new Date(AT + Math.floor(i / 4) * 60_000));
    if (i % 6 === 1) db.$client.prepare("update signups set unsubscribed_at = ? where id = ?").run(AT + 1, id);
  }
  return db;
}

/** The plain rule: every signup of the concept read from the table (no index), newest opt-in first. */
function plainRule(db: ReturnType<typeof craftedDatabase>, concept: string) {
  return db.$client
    .prepare(
      `select email, interview_at as at from signups not indexed
        where concept = ? and interview_at is not null and unsubscribed_at is null
        order by interview_at desc, id desc`,
    )
    .all(concept) as { email: string; at: number }[];
}

describe("the interview list", () => {
  test("counts and lists the subscribed opt-ins as the plain rule does", () => {
    const db = craftedDatabase();
    for (const concept of ["c", "other", "none"]) {
      const plain = plainRule(db, concept);
      for (const limit of [50, 5]) {
        const { total, latest } = interviewOptIns(db, concept, limit);
        expect(total).toBe(plain.length);
        expect(latest.map((row) => [row.email, row.optedInAt.getTime()])).toEqual(
          plain.slice(0, limit).map((row) => [row.email, row.at]),
        );
      }
    }
    // Unsubscribing leaves the list, whenever it happens.
    const before = interviewOptIns(db, "c").total;
    db.$client.prepare("update signups set unsubscribed_at = ? where email = 'p0@example.com'").run(AT);
    expect(interviewOptIns(db, "c").total).toBe(before - 1);
    expect(before).toBeGreaterThan(10);
  });
});
