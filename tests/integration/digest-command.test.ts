/**
 * `npm run digest` is built by the same factory as the server (createApp): it sends its own
 * email through the App's outbox and leaves every other queued email to the server's worker
 * (a worker of its own used to take them too, and marked confirmations it could not compose
 * as failed).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { beforeAll, describe, expect, test } from "vitest";
import { runScript, seedDemo } from "../support/server";

let file: string;
let outboxDir: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "racine-digest-command-"));
  file = join(dir, "racine.db");
  outboxDir = join(dir, "outbox");
  seedDemo(21, 5, "2026-11-25T12:00:00Z")(file);
  // A confirmation waiting for the server's worker, due now.
  const db = new Sqlite(file);
  const signup = db.prepare("select id, email from signups order by id limit 1").get() as { id: number; email: string };
  db.prepare(
    `insert into outbox (kind, idempotency_key, "to", "from", signup_id, status, attempts, next_attempt_at, created_at)
     values ('confirmation', ?, ?, 'racine <waitlist@example.com>', ?, 'pending', 0, 0, 0)`,
  ).run(`confirmation/${signup.id}`, JSON.stringify([signup.email]), signup.id);
  db.close();
});

const rows = () => {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare("select kind, status, attempts from outbox order by id").all();
  } finally {
    db.close();
  }
};

describe("npm run digest", () => {
  test("sends the digest and leaves the other queued emails untouched for the server", () => {
    const result = runScript("digest", ["--week", "2026-W46"], {
      DATABASE_PATH: file,
      OUTBOX_DIR: outboxDir,
      DIGEST_TO: "founder@example.org",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Digest of 2026-W46 sent to founder@example.org (files)");
    expect(rows()).toEqual([
      { kind: "confirmation", status: "pending", attempts: 0 },
      { kind: "digest", status: "sent", attempts: 1 },
    ]);
  });
});
