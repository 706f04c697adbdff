/**
 * `npm run announce -- <slug> --subject "…" --body launch.md [--variant ID] [--tier ID] [--dry-run]`: one
 * email to every confirmed, still-subscribed signup of a concept of the build (or of one
 * variant, or of those who joined with one tier), in each signup's language, through the outbox: queued at once, then sent here in
 * batches at EMAIL_RATE_PER_SECOND with a progress bar. Run again, the same announcement
 * resumes where it stopped and sends no address twice. --dry-run sends nothing: it prints who
 * would get it and writes a preview per language next to the database.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import {
  announcementKey,
  announcementProgress,
  composeAnnouncement,
  describeAudience,
  parseAnnouncement,
  renderMarkdown,
  summariseAudience,
} from "../src/domain/announcement";
import { parseEnv } from "../src/server/env";
import { createApp } from "../src/server/runtime";
import {
  countAnnouncements,
  getAnnouncementByKey,
  listAudience,
  queueAnnouncement,
} from "../src/server/store/announcements";
import { conceptArgument, parseFlags, runMain, UsageError } from "./lib/cli";
import { progressBar } from "./lib/progress";

const USAGE = 'npm run announce -- <slug> --subject "…" --body FILE.md [--variant ID] [--tier ID] [--dry-run]';

const Flags = z.object({
  subject: z.string('write the subject: --subject "We\'re live"'),
  body: z.string("name the Markdown file of the text: --body launch.md").min(1),
  variant: z.string().optional(),
  tier: z.string().optional(),
  "dry-run": z.boolean().default(false),
});

/** Retries due within this are waited for here; later ones are left to the server's worker (or a re-run). */
const PATIENCE_MS = 5 * 60 * 1000;
const BODY_FILE_LIMIT_BYTES = 1024 * 1024;

/** The body file's text, or a usage error that says what is wrong with it. */
function readBodyFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`--body: no file at ${path}`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`--body: ${path} is not a file`);
  if (stat.size > BODY_FILE_LIMIT_BYTES) throw new UsageError(`--body: ${path} is larger than 1 MB`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch {
    throw new UsageError(`--body: ${path} is not UTF-8 text`);
  }
}

runMain(async () => {
  const { values, positionals } = parseArgs({
    options: {
      subject: { type: "string" },
      body: { type: "string" },
      variant: { type: "string" },
      tier: { type: "string" },
      "dry-run": { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  const flags = parseFlags(Flags, values);
  const body = readBodyFile(flags.body);
  const app = await createApp(parseEnv(), { log: () => {} });
  const concept = conceptArgument(positionals, app.concepts, app.settings.buildDir, USAGE);
  const parsed = parseAnnouncement(concept, { subject: flags.subject, body, variant: flags.variant, tier: flags.tier });
  if (!parsed.ok) {
    const flagOf = {
      subject: "--subject",
      body: `--body ${flags.body}`,
      variant: "--variant",
      tier: "--tier",
    } as const;
    throw new UsageError(
      Object.entries(parsed.errors)
        .map(([field, message]) => `${flagOf[field as keyof typeof flagOf]}: ${message}`)
        .join("\n"),
    );
  }
  const { draft } = parsed;
  const { db } = app;

  if (flags["dry-run"]) {
    const members = listAudience(db, concept.slug, draft.audience);
    const summary = summariseAudience(members);
    const earlier = getAnnouncementByKey(db, announcementKey(draft));
    console.log(
      `Dry run, nothing is sent: "${draft.subject}" would go to ${describeAudience(draft.audience, summary.total)} of ${concept.slug}.`,
    );
    if (earlier)
      console.log(
        `This announcement was queued on ${earlier.createdAt.toISOString()} (#${earlier.id}): a run resumes it and sends no address twice.`,
      );
    const none = (text: string) => text || "none";
    console.log(`  by language: ${none(summary.byLang.map((row) => `${row.lang} ${row.count}`).join(", "))}`);
    console.log(
      `  by variant:  ${none(summary.byVariant.map((row) => `${row.variant || "(unknown)"} ${row.count}`).join(", "))}`,
    );
    if (members.length > 0) {
      console.log("\nWould send to:");
      for (const member of members) console.log(`  ${member.email}  ${member.lang}  ${member.variant || "(unknown)"}`);
    }
    const rendered = renderMarkdown(draft.body);
    const previews = summary.byLang.map(({ lang }) => {
      const out = join(dirname(app.settings.databaseFile), `announcement-${concept.slug}-${lang}.html`);
      const email = composeAnnouncement(
        { lang, title: concept.title, subject: draft.subject, body: rendered },
        `${app.publicUrl()}/api/unsubscribe?token=…`,
      );
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, email.html);
      return out;
    });
    if (previews.length > 0) console.log(`\nPreview: ${previews.join(", ")}`);
    db.$client.close();
    return;
  }

  const { status, announcement } = queueAnnouncement(db, draft, { from: app.settings.emailFrom, now: app.now() });
  console.log(
    status === "queued"
      ? `Announcement #${announcement.id} queued: ${announcement.queued} emails to ${describeAudience(draft.audience, announcement.queued)} of ${concept.slug}.`
      : `Announcement #${announcement.id} was queued on ${announcement.createdAt.toISOString()}: resuming it (no address gets it twice).`,
  );
  const progressOf = () =>
    announcementProgress(
      countAnnouncements(db, [announcement]).get(announcement.id) ?? {
        queued: announcement.queued,
        sent: 0,
        failed: 0,
        unsubscribed: 0,
      },
    );
  const bar = progressBar("Sending", announcement.queued);
  const outcome = await app.outbox.deliverAnnouncement(announcement.id, {
    patienceMs: PATIENCE_MS,
    onProgress: () => {
      const progress = progressOf();
      bar.update(progress.queued - progress.pending, `${progress.sent}/${progress.queued} sent`);
    },
  });
  bar.done();
  const progress = progressOf();
  db.$client.close();
  const where = app.mailer.name === "resend" ? "through Resend" : "written to OUTBOX_DIR, without RESEND_API_KEY";
  console.log(`Announcement #${announcement.id}: ${progress.summary} (${where}).`);
  if (outcome === "waiting")
    console.log(
      "The rest wait for a retry more than 5 minutes away: the server's worker sends them, or run this again later.",
    );
  if (progress.failed > 0) console.log("Failed emails are listed on /admin with the provider's answer.");
  if (outcome === "waiting" || progress.failed > 0) process.exitCode = 1;
});
