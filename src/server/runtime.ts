/**
 * Boots the product: database (migrated), the built concepts and pages, the admin
 * password, and the HTTP server. Used by `npm start`, `npm run serve` and `npm run demo`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Database, sharedDatabase } from "../../db/client";
import { hasData, migrateDatabase, pendingMigrations } from "../../db/migrate";
import type { Concept } from "../domain/concept";
import { hashOf, inlineStylesOfBuild } from "../domain/csp";
import { utcDay } from "../domain/visitor";
import { MANIFEST_FILE, readConceptManifest } from "./concepts/manifest";
import { createEmailLinks } from "./email/links";
import { createFileMailer, createResendMailer } from "./email/mailer";
import type { Env } from "./env";
import { createIngest } from "./http/ingest";
import { createRateLimits } from "./http/rate-limits";
import { type AstroHandler, createAppServer } from "./http/server";
import { loadStaticPages } from "./http/static-pages";
import { createVisitorIdentity } from "./http/visitor-identity";
import { queueScheduledDigest } from "./jobs/digest";
import { createOutboxWorker } from "./jobs/outbox";
import { composeConfirmationFor, confirmationEmail } from "./store/confirmations";
import { refreshRollups } from "./store/counts";
import { backupDatabase } from "./store/data-rights";
import { recordExperimentEpochs } from "./store/experiments";
import { createIngestStore } from "./store/ingest-store";
import { appSecret } from "./store/secrets";

export interface Running {
  server: Server;
  url: string;
  adminPassword: string;
  generatedPassword: boolean;
}

/** Applies pending migrations, after an online backup of a database that already holds data. */
export async function migrateWithBackup(db: Database, file: string, log: (line: string) => void): Promise<void> {
  const pending = pendingMigrations(db);
  if (pending === 0) return;
  if (hasData(db)) {
    const backup = await backupDatabase(db, join(dirname(file), "backups"), new Date(), undefined, "pre-migration");
    log(`  backup before ${pending} migration(s): ${backup}`);
  }
  migrateDatabase(db);
}

/**
 * Rolls up the settled days now (so the first look at /admin is as fast as the next) and
 * every 10 minutes, so a new day is folded in soon after it settles. Pages only read:
 * days not yet rolled up are counted from the raw tables.
 */
function scheduleRollups(db: Database, now: () => Date, logError: (message: string) => void): () => void {
  const tick = () => {
    try {
      refreshRollups(db, utcDay(now()));
    } catch (error) {
      logError(`rollups: ${String(error)}`);
    }
  };
  tick();
  const timer = setInterval(tick, 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Every minute, queue the weekly digest when its slot has passed (DIGEST_SCHEDULE, DIGEST_TO). */
function scheduleDigest(
  env: Env,
  db: Database,
  concepts: readonly Concept[],
  worker: { kick: () => Promise<number> },
  logError: (message: string) => void,
  log: (line: string) => void,
): () => void {
  const { DIGEST_SCHEDULE: schedule, DIGEST_TO: to } = env;
  if (!schedule || !to) return () => {};
  const settings = { schedule, to, from: env.DIGEST_FROM, timeZone: env.DIGEST_TZ };
  const tick = () => {
    try {
      const queued = queueScheduledDigest(db, concepts, settings, new Date());
      if (queued?.status === "queued") worker.kick().catch((error: unknown) => logError(`digest: ${String(error)}`));
    } catch (error) {
      logError(`digest: ${String(error)}`);
    }
  };
  tick();
  const timer = setInterval(tick, 60_000);
  timer.unref();
  log(`  digest:   every ${schedule} (${env.DIGEST_TZ}) to ${to.join(", ")}`);
  return () => clearInterval(timer);
}

export async function startRacine(env: Env, log: (line: string) => void = console.log): Promise<Running> {
  const DIST_DIR = resolve(env.BUILD_DIR);
  const entry = resolve(DIST_DIR, "server/entry.mjs");
  if (!existsSync(entry))
    throw new Error(`No build in ${DIST_DIR}: run \`npm run build\` (or \`npm start\`, which builds).`);

  const db = sharedDatabase(resolve(env.DATABASE_PATH));
  await migrateWithBackup(db, resolve(env.DATABASE_PATH), log);

  // Never open by default: without ADMIN_PASSWORD, a random one is made for this run.
  const generatedPassword = env.ADMIN_PASSWORD === undefined;
  const adminPassword = env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  // The Astro bundle reads its settings from process.env at request time.
  process.env.ADMIN_PASSWORD = adminPassword;
  process.env.DATABASE_PATH = resolve(env.DATABASE_PATH);
  process.env.ASTRO_NODE_AUTOSTART = "disabled";
  const { handler } = (await import(pathToFileURL(entry).href)) as { handler: AstroHandler };

  const concepts = readConceptManifest(resolve(DIST_DIR, "server", MANIFEST_FILE));
  recordExperimentEpochs(db, concepts, new Date());
  const now = () => new Date();
  const store = createIngestStore(db);
  const visitorOf = createVisitorIdentity(store);
  const pages = loadStaticPages(resolve(DIST_DIR, "client"), concepts, visitorOf, now);
  const logError = (message: string) => console.error(`[racine] ${message}`);
  const mailer = env.RESEND_API_KEY
    ? createResendMailer(env.RESEND_API_KEY, env.EMAIL_TIMEOUT_MS)
    : createFileMailer(resolve(env.OUTBOX_DIR));
  let publicUrl = env.SITE_URL ?? "";
  const links = createEmailLinks(appSecret(db, "email-links"), () => publicUrl, now);
  const worker = createOutboxWorker({
    db,
    mailer,
    now,
    retryBaseMs: env.OUTBOX_RETRY_MS,
    ratePerSecond: env.EMAIL_RATE_PER_SECOND,
    compose: (email) =>
      email.kind === "confirmation" && email.signupId !== null
        ? composeConfirmationFor(db, concepts, links, email.signupId)
        : undefined,
    logError,
  });
  const ingest = createIngest({
    store,
    confirmationEmail: (email, signupId) => confirmationEmail(env.EMAIL_FROM, email, signupId),
    onQueued: () => {
      worker.kick().catch((error: unknown) => logError(`outbox: ${String(error)}`));
    },
    visitorOf,
    rateLimit: createRateLimits(env),
    concepts,
    landingHtml: pages.landingHtml,
    notFoundHtml: pages.notFoundHtml,
    trustProxy: env.TRUST_PROXY,
    publicOrigin: env.SITE_URL,
    now,
  });
  const server = createAppServer({
    ingest,
    pages,
    astroHandler: handler,
    buildStyleHashes: inlineStylesOfBuild(readFileSync(entry, "utf8")).map(hashOf),
    trustProxy: env.TRUST_PROXY,
    logError,
    limits: {
      headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      maxConnections: env.MAX_CONNECTIONS,
    },
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const url = `http://${host}:${port}`;
  publicUrl ||= url;
  worker.start();
  const stopDigest = scheduleDigest(env, db, concepts, worker, logError, log);
  const stopRollups = scheduleRollups(db, now, logError);
  server.on("close", () => {
    worker.stop();
    stopDigest();
    stopRollups();
  });
  log(`racine is listening on ${url}`);
  log(`  database: ${resolve(env.DATABASE_PATH)}`);
  log(`  concepts: ${concepts.map((concept) => `${concept.slug} (${concept.status})`).join(", ")}`);
  log(`  admin:    ${url}/admin`);
  log(`  emails:   ${mailer.name === "resend" ? "sent with Resend" : `written to ${resolve(env.OUTBOX_DIR)}`}`);
  if (generatedPassword) log(`  admin password for this run (set ADMIN_PASSWORD to choose one): ${adminPassword}`);
  return { server, url, adminPassword, generatedPassword };
}
