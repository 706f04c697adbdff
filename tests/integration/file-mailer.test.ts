/**
 * Without a Resend key, emails are written to OUTBOX_DIR. When that fails (a full disk, a
 * path that cannot be a folder), the send is a failed state like a provider's 5xx: counted,
 * retried with backoff, its error shown — not an exception that leaves the row untouched
 * and retried every second.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { post, startServer } from "../support/server";

describe("the file mailer", () => {
  test("a folder it cannot write is a retryable failure: attempts counted, next try backed off, error kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "racine-outbox-"));
    const notAFolder = join(dir, "a-file");
    writeFileSync(notAFolder, "");
    const server = await startServer({ OUTBOX_DIR: join(notAFolder, "outbox"), OUTBOX_RETRY_MS: "60000" });
    try {
      expect((await post(server, "/api/signup", { concept: "split", email: "disk@exemple.fr" })).status).toBe(201);
      type Row = { status: string; attempts: number; next_attempt_at: number; last_error: string | null };
      const row = () =>
        server.query<Row>(
          "select status, attempts, next_attempt_at, last_error from outbox where signup_id is not null",
        )[0];
      await expect.poll(() => row()?.attempts ?? 0, { timeout: 10_000 }).toBe(1);
      const first = row();
      expect(first?.status).toBe("pending");
      expect(first?.last_error).toMatch(/^files: .*(ENOTDIR|EEXIST|not a directory)/i);
      // The next try waits for the backoff (60 s here), instead of the worker's next second.
      expect((first?.next_attempt_at ?? 0) - Date.now()).toBeGreaterThan(50_000);
      await expect.poll(() => server.output(), { timeout: 5_000 }).toMatch(/attempt 1 failed: files:/);
    } finally {
      await server.stop();
    }
  });
});
