/**
 * `npm run digest [-- --week 2026-W47 --dry-run --force]`: the weekly digest of DATABASE_PATH
 * for one ISO week in DIGEST_TZ (default: the last complete week). Sent once per week
 * unless --force; --dry-run writes the HTML to a file and prints the text.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { ISO_WEEK, lastCompleteWeek } from "../src/domain/calendar";
import { parseEnv } from "../src/server/env";
import { digestEmail, queueDigest } from "../src/server/jobs/digest";
import { createApp } from "../src/server/runtime";
import { parseFlags, runMain, UsageError } from "./lib/cli";

const Flags = z.object({
  week: z.string().regex(ISO_WEEK, "use an ISO week such as 2026-W47").optional(),
  "dry-run": z.boolean().default(false),
  force: z.boolean().default(false),
});

runMain(async () => {
  const flags = parseFlags(
    Flags,
    parseArgs({
      options: { week: { type: "string" }, "dry-run": { type: "boolean" }, force: { type: "boolean" } },
      strict: true,
    }).values,
  );
  const app = await createApp(parseEnv());
  const { digest, databaseFile } = app.settings;
  const week = flags.week ?? lastCompleteWeek(app.now(), digest.timeZone);
  const email = digestEmail(app.db, app.concepts, week, {
    from: digest.from,
    to: digest.to ?? [],
    timeZone: digest.timeZone,
  });

  if (flags["dry-run"]) {
    const out = join(dirname(databaseFile), `digest-${week}.html`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, email.html);
    console.log(`Subject: ${email.subject}\n\n${email.text}\nHTML written to ${out}`);
    return;
  }
  if (!digest.to)
    throw new UsageError("Set DIGEST_TO (comma-separated addresses) to send the digest, or use --dry-run.");
  const queued = queueDigest(app.db, email, { force: flags.force, now: app.now() });
  if (queued.status === "already") {
    console.log(`The digest of ${week} was sent already (use --force to send it again).`);
    return;
  }
  // Only this email: the other queued emails stay the server's worker's to send.
  const sent = await app.outbox.deliver(queued.outboxId);
  if (sent?.status === "sent")
    console.log(`Digest of ${week} sent to ${email.to.join(", ")} (${app.mailer.name}): ${email.subject}`);
  else {
    console.log(
      `Digest of ${week} queued; the first attempt failed (${sent?.lastError}). The server's worker will retry.`,
    );
    process.exitCode = 1;
  }
});
