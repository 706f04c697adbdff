/**
 * `npm run digest [-- --week 2026-W47 --dry-run --force]`: the weekly digest of DATABASE_PATH
 * for one ISO week in DIGEST_TZ (default: the last complete week). Sent once per week
 * unless --force; --dry-run writes the HTML to a file and prints the text. `--concepts <dir>`
 * reads another folder of concepts (the tests' tests/fixtures/concepts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { outbox } from "../db/schema";
import { ISO_WEEK, lastCompleteWeek } from "../src/domain/digest";
import { ConceptsDirFlag, loadConceptFiles } from "../src/server/concepts/files";
import { createFileMailer, createResendMailer } from "../src/server/email/mailer";
import { parseEnv } from "../src/server/env";
import { digestEmail, queueDigest } from "../src/server/jobs/digest";
import { createOutboxWorker } from "../src/server/jobs/outbox";
import { parseFlags, runMain, UsageError } from "./lib/cli";

const Flags = z.object({
  week: z.string().regex(ISO_WEEK, "use an ISO week such as 2026-W47").optional(),
  "dry-run": z.boolean().default(false),
  force: z.boolean().default(false),
  concepts: ConceptsDirFlag,
});

runMain(async () => {
  const flags = parseFlags(
    Flags,
    parseArgs({
      options: {
        week: { type: "string" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
        concepts: { type: "string" },
      },
      strict: true,
    }).values,
  );
  const env = parseEnv();
  const file = resolve(env.DATABASE_PATH);
  const db = openDatabase(file);
  migrateDatabase(db);
  const week = flags.week ?? lastCompleteWeek(new Date(), env.DIGEST_TZ);
  const email = digestEmail(db, loadConceptFiles(flags.concepts), week, {
    from: env.DIGEST_FROM,
    to: env.DIGEST_TO ?? [],
    timeZone: env.DIGEST_TZ,
  });

  if (flags["dry-run"]) {
    const out = join(dirname(file), `digest-${week}.html`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, email.html);
    console.log(`Subject: ${email.subject}\n\n${email.text}\nHTML written to ${out}`);
    return;
  }
  if (!env.DIGEST_TO)
    throw new UsageError("Set DIGEST_TO (comma-separated addresses) to send the digest, or use --dry-run.");
  const queued = queueDigest(db, email, { force: flags.force, now: new Date() });
  if (queued.status === "already") {
    console.log(`The digest of ${week} was sent already (use --force to send it again).`);
    return;
  }
  const mailer = env.RESEND_API_KEY
    ? createResendMailer(env.RESEND_API_KEY, env.EMAIL_TIMEOUT_MS)
    : createFileMailer(resolve(env.OUTBOX_DIR));
  const worker = createOutboxWorker({
    db,
    mailer,
    now: () => new Date(),
    retryBaseMs: env.OUTBOX_RETRY_MS,
    ratePerSecond: env.EMAIL_RATE_PER_SECOND,
    logError: console.error,
  });
  await worker.kick();
  const row = db.select().from(outbox).where(eq(outbox.id, queued.outboxId)).get();
  if (row?.status === "sent")
    console.log(`Digest of ${week} sent to ${email.to.join(", ")} (${mailer.name}): ${email.subject}`);
  else {
    console.log(
      `Digest of ${week} queued; the first attempt failed (${row?.lastError}). The server's worker will retry.`,
    );
    process.exitCode = 1;
  }
});
