/**
 * THE composition root. `createApp` builds the one App — database (migrated, after a
 * backup), the built concepts, the clock, settings, rate limits, mailer, email links,
 * share links, webhook endpoints and the outbox worker — and every edge receives it: the ingestion server and the static
 * pages as arguments, Astro's on-demand pages through `locals.app`, the commands of
 * scripts/ by calling `createApp` themselves. Nothing below reads the environment or a global.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { get as httpGet, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Database, openDatabase } from "../../db/client";
import { hasData, migrateDatabase, pendingMigrations } from "../../db/migrate";
import { SESSION_COOKIE, type SessionKeys } from "../domain/admin-session";
import { type Concept, isPublished } from "../domain/concept";
import { hashOf, inlineStylesOfBuild } from "../domain/csp";
import { createFailureThrottle, type FailureThrottle, LOGIN_FAILURES } from "../domain/rate-limit";
import { createStepTokens, type StepTokens } from "../domain/step-token";
import { signupEvent, subscribers, type WebhookEndpoint, webhookDeliveries } from "../domain/webhooks";
import { readConceptManifest } from "./concepts/manifest";
import { createEmailLinks, type EmailLinks } from "./email/links";
import { createMailer, type Mailer } from "./email/mailer";
import { isThrowawayAddress } from "./email/throwaway";
import type { Env } from "./env";
import { createFounderCheck } from "./http/founder";
import { createIngest } from "./http/ingest";
import { createLadder } from "./http/ladder";
import { isHttpsRequest, type OriginPolicy } from "./http/origin";
import { createRateLimits, type RateLimits } from "./http/rate-limits";
import { type AstroHandler, createHttpServer } from "./http/server";
import { loadStaticPages } from "./http/static-pages";
import { createVisitorIdentity } from "./http/visitor-identity";
import { createEmailSender, createOutboxWorker, type OutboxWorker } from "./jobs/outbox";
import { scheduleDigest, scheduleSettledDays } from "./jobs/schedules";
import type { VerdictNotify } from "./jobs/verdict-news";
import { createRandomPool } from "./random-pool";
import { createShareLinks, type ShareLinks } from "./share/links";
import { adminSessionKey, isAdminSession, startAdminSession } from "./store/admin-sessions";
import { createAnnouncementComposer } from "./store/announcements";
import { composeConfirmationFor, confirmationEmail } from "./store/confirmations";
import { backupDatabase } from "./store/data-rights";
import { recordTestStarts } from "./store/decisions";
import { currentSplitStarts, recordExperimentEpochs } from "./store/experiments";
import { createIngestStore } from "./store/ingest-store";
import { appSecret } from "./store/secrets";
import { createWebhookSender } from "./webhooks/sender";

export interface App {
  db: Database;
  /** The concepts exactly as built (the build's manifest): the pages that exist. */
  concepts: readonly Concept[];
  /** The one clock: the system's, or one started at CLOCK_START. */
  now: () => Date;
  settings: AppSettings;
  /** One set of rate-limit buckets for the whole process (signup, view, login). */
  rateLimit: RateLimits;
  /** Failed sign-ins across all clients, with growing delays (off with RATE_LIMIT=off). */
  loginFailures: FailureThrottle;
  session: SessionKeys;
  mailer: Mailer;
  links: EmailLinks;
  /** Read-only links to one concept's report, signed with their own key. */
  shareLinks: ShareLinks;
  /** The thank-you step's tokens (sealed with their own key): the signup the steps are stored on. */
  steps: StepTokens;
  /** The endpoints of WEBHOOK_URLS (none: no webhook is ever queued). */
  webhooks: readonly WebhookEndpoint[];
  /** The founder's email when a verdict is reached (NOTIFY_TO); undefined: none is sent. */
  notify: VerdictNotify | undefined;
  outbox: OutboxWorker;
  /**
   * Wakes the outbox worker after an email or a webhook was queued, so it goes out now
   * rather than at the next tick (within a second).
   */
  emailQueued: () => void;
  /** Tells the App where the server listens: email links use it when SITE_URL is unset. */
  servedAt: (url: string) => void;
  /** SITE_URL, else where the server listens: the base of absolute links (emails, the embed snippet). */
  publicUrl: () => string;
  log: (line: string) => void;
  logError: (message: string) => void;
}

export interface AppSettings {
  adminPassword: string;
  /** True when no ADMIN_PASSWORD was set and this run made one up. */
  generatedPassword: boolean;
  origin: OriginPolicy;
  /** Sender of the confirmation emails visitors receive. */
  emailFrom: string;
  /** The site's A/B cookie (AB_COOKIE): off, every concept is cookieless. */
  abCookie: boolean;
  /** The origins that may frame the embeddable form (EMBED_ORIGINS); none: no site may. */
  embedOrigins: readonly string[];
  digest: { schedule: string | undefined; to: string[] | undefined; from: string; timeZone: string };
  buildDir: string;
  databaseFile: string;
}

/** The system clock, or one that starts at `start` and runs on at the system's pace. */
export function createClock(start: Date | undefined, system: () => number = Date.now): () => Date {
  if (!start) return () => new Date(system());
  const offset = start.getTime() - system();
  return () => new Date(system() + offset);
}

/** Applies pending migrations, after an online backup of a database that already holds data. */
async function migrateWithBackup(db: Database, file: string, now: Date, log: (line: string) => void): Promise<void> {
  const pending = pendingMigrations(db);
  if (pending === 0) return;
  if (hasData(db)) {
    const backup = await backupDatabase(db, join(dirname(file), "backups"), now, undefined, "pre-migration");
    log(`  backup before ${pending} migration(s): ${backup}`);
  }
  migrateDatabase(db);
}

/** The database of DATABASE_PATH, migrated (after a backup): for commands that need nothing else. */
export async function openAppDatabase(env: Env, log: (line: string) => void = console.log): Promise<Database> {
  const file = resolve(env.DATABASE_PATH);
  const db = openDatabase(file);
  await migrateWithBackup(db, file, createClock(env.CLOCK_START)(), log);
  return db;
}

/**
 * The concepts of the build in BUILD_DIR, for a command that can do without them (the
 * export names answers by their labels with them, by their ids without): none when unbuilt.
 */
export function builtConceptsIfAny(env: Env): Concept[] {
  const buildDir = resolve(env.BUILD_DIR);
  return existsSync(join(buildDir, "server", "concepts.json")) ? readBuiltConcepts(buildDir) : [];
}

function readBuiltConcepts(buildDir: string): Concept[] {
  const manifest = join(buildDir, "server", "concepts.json");
  if (!existsSync(manifest)) throw new MissingBuildError(buildDir);
  return readConceptManifest(manifest);
}

export class MissingBuildError extends Error {
  override name = "MissingBuildError";
  constructor(buildDir: string) {
    super(`No build in ${buildDir}: run \`npm run build\` (or \`npm start\`, which builds).`);
  }
}

export interface AppOptions {
  log?: (line: string) => void;
  logError?: (message: string) => void;
}

export async function createApp(env: Env, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? console.log;
  const logError = options.logError ?? ((message: string) => console.error(`[racine] ${message}`));
  const buildDir = resolve(env.BUILD_DIR);
  const concepts = readBuiltConcepts(buildDir);
  const now = createClock(env.CLOCK_START);
  const db = await openAppDatabase(env, log);

  // Never open by default: without ADMIN_PASSWORD, a random one is made for this run.
  const adminPassword = env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const mailer = createMailer(env, now);
  // Links point at SITE_URL, else at where the server listens (known once it does).
  let publicUrl = env.SITE_URL ?? `http://${env.HOST}:${env.PORT}`;
  const links = createEmailLinks(appSecret(db, "email-links"), () => publicUrl, now);
  // A key of their own: an email token can never open a report, nor a share token confirm an address.
  const shareLinks = createShareLinks(appSecret(db, "share-links"), () => publicUrl);
  const webhooks = env.WEBHOOK_URLS;
  const composeAnnouncement = createAnnouncementComposer(db, concepts, links);
  const outbox = createOutboxWorker({
    db,
    now,
    retryBaseMs: env.OUTBOX_RETRY_MS,
    // A claim outlives the slowest send (the provider's time-out), with room for composing and recording.
    claimMs: Math.max(env.EMAIL_TIMEOUT_MS, env.WEBHOOK_TIMEOUT_MS) + 15_000,
    senders: {
      email: createEmailSender({
        mailer,
        ratePerSecond: env.EMAIL_RATE_PER_SECOND,
        batchSize: env.EMAIL_BATCH_SIZE,
        compose: (email) =>
          email.kind === "confirmation" && email.signupId !== null
            ? composeConfirmationFor(db, concepts, links, email.signupId)
            : email.kind === "announcement"
              ? composeAnnouncement(email)
              : undefined,
      }),
      webhook: createWebhookSender({ endpoints: webhooks, now, timeoutMs: env.WEBHOOK_TIMEOUT_MS }),
    },
    logError,
  });
  return {
    db,
    concepts,
    now,
    settings: {
      adminPassword,
      generatedPassword: env.ADMIN_PASSWORD === undefined,
      origin: { trustProxy: env.TRUST_PROXY, publicOrigin: env.SITE_URL },
      emailFrom: env.EMAIL_FROM,
      abCookie: env.AB_COOKIE,
      embedOrigins: env.EMBED_ORIGINS,
      digest: { schedule: env.DIGEST_SCHEDULE, to: env.DIGEST_TO, from: env.DIGEST_FROM, timeZone: env.DIGEST_TZ },
      buildDir,
      databaseFile: resolve(env.DATABASE_PATH),
    },
    rateLimit: createRateLimits(env),
    loginFailures: createFailureThrottle(
      env.RATE_LIMIT ? LOGIN_FAILURES : { ...LOGIN_FAILURES, freeFailures: Number.POSITIVE_INFINITY },
    ),
    session: { key: adminSessionKey(db, env.SESSION_SECRET), password: adminPassword },
    mailer,
    links,
    shareLinks,
    steps: createStepTokens(appSecret(db, "step-tokens"), now, createRandomPool()),
    webhooks,
    notify: env.NOTIFY_TO && {
      from: env.DIGEST_FROM,
      to: env.NOTIFY_TO,
      concepts,
      reportUrl: (slug) => `${publicUrl.replace(/\/$/, "")}/admin/c/${slug}`,
    },
    outbox,
    emailQueued: outbox.wake,
    servedAt: (url) => {
      if (!env.SITE_URL) publicUrl = url;
    },
    publicUrl: () => publicUrl,
    log,
    logError,
  };
}

export interface Running {
  app: App;
  server: Server;
  url: string;
}

/**
 * Renders the overview and a concept's page once, over loopback with a session made for it
 * (signed, stored nowhere), before the server is announced: the first look after a start — Astro loading
 * the pages' modules, the JIT compiling the verdict and planner maths, SQLite reading the
 * rollups — is paid here rather than by the founder (about 400 ms down to the next loads'
 * figures on 1M views). The pages only read (a GET writes nothing); a failure is logged.
 * Each request has its own connection (agent: false), closed once answered.
 */
async function warmAdminPages(app: App, url: string): Promise<void> {
  const cookie = `${SESSION_COOKIE}=${startAdminSession(app.db, app.session, app.now())}`;
  // One concept's page warms them all: the same modules and maths, on other rows.
  const first = app.concepts.find(isPublished);
  const paths = ["/admin", ...(first ? [`/admin/c/${first.slug}`] : [])];
  for (const path of paths) {
    try {
      const status = await drainedGet(`${url}${path}`, cookie);
      if (status !== 200) app.logError(`warming ${path}: ${status}`);
    } catch (error) {
      app.logError(`warming ${path}: ${String(error)}`);
    }
  }
}

/** A GET whose body is read and dropped, on a connection of its own. node:http, not fetch: undici alone would add ~13 MB resident. */
function drainedGet(url: string, cookie: string): Promise<number | undefined> {
  return new Promise((resolveGet, reject) => {
    const req = httpGet(url, { headers: { cookie }, agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolveGet(res.statusCode));
      res.once("error", reject);
    });
    req.once("error", reject);
  });
}

/** Starts the server of `npm start`, `npm run serve` and `npm run demo` on the App of `env`. */
export async function startRacine(env: Env, options: AppOptions = {}): Promise<Running> {
  const app = await createApp(env, options);
  const { buildDir } = app.settings;
  const entry = join(buildDir, "server", "entry.mjs");
  const { handler } = (await import(pathToFileURL(entry).href)) as { handler: AstroHandler };

  recordExperimentEpochs(app.db, app.concepts, app.now());
  recordTestStarts(app.db, app.concepts, app.now());
  // No endpoint wants signup.created: the signup path does no webhook work at all.
  const store = createIngestStore(
    app.db,
    subscribers(app.webhooks, "signup.created").length > 0
      ? (row, signupId) => webhookDeliveries(app.webhooks, signupEvent("signup.created", row, signupId, row.createdAt))
      : undefined,
  );
  const visitorOf = createVisitorIdentity(store);
  const secureCookies = (req: IncomingMessage) => isHttpsRequest(app.settings.origin, req);
  const splitSince = currentSplitStarts(app.db, app.concepts);
  const pages = loadStaticPages(
    join(buildDir, "client"),
    app.concepts,
    visitorOf,
    app.now,
    { enabled: app.settings.abCookie, secure: secureCookies, splitSince },
    app.settings.embedOrigins,
  );
  const isFounder = createFounderCheck((token) => isAdminSession(app.db, app.session, token, app.now()));
  const ingest = createIngest({
    store,
    confirmationEmail: (email, signupId) => confirmationEmail(app.settings.emailFrom, email, signupId),
    onQueued: app.emailQueued,
    visitorOf,
    rateLimit: app.rateLimit,
    concepts: app.concepts,
    landingHtml: pages.landingHtml,
    notFoundHtml: pages.notFoundHtml,
    now: app.now,
    abCookie: app.settings.abCookie,
    secureCookies,
    splitSince,
    isThrowaway: isThrowawayAddress,
    isFounder,
    steps: app.steps,
  });
  const ladder = createLadder({
    db: app.db,
    concepts: app.concepts,
    steps: app.steps,
    visitorOf,
    rateLimit: app.rateLimit,
    now: app.now,
    isFounder,
  });
  const server = createHttpServer({
    app,
    ingest,
    ladder,
    pages,
    astroHandler: handler,
    buildStyleHashes: inlineStylesOfBuild(readFileSync(entry, "utf8")).map(hashOf),
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
  app.servedAt(url);
  app.outbox.start();
  const stopDigest = scheduleDigest(app);
  const stopSettledDays = scheduleSettledDays(app);
  server.on("close", () => {
    app.outbox.stop();
    stopDigest();
    stopSettledDays();
  });
  // After the first rollup (scheduleSettledDays), so that the pages are warmed on what they will read.
  await warmAdminPages(app, url);
  const { log } = app;
  log(`racine is listening on ${url}`);
  log(`  database: ${app.settings.databaseFile}`);
  log(`  concepts: ${app.concepts.map((concept) => `${concept.slug} (${concept.status})`).join(", ")}`);
  log(`  admin:    ${url}/admin`);
  log(`  emails:   ${app.mailer.name === "resend" ? "sent with Resend" : `written to ${resolve(env.OUTBOX_DIR)}`}`);
  // Hosts only: a hook URL often carries a token.
  if (app.webhooks.length > 0)
    log(`  webhooks: ${app.webhooks.map((endpoint) => new URL(endpoint.url).host).join(", ")}`);
  if (env.CLOCK_START) log(`  clock:    started at ${env.CLOCK_START.toISOString()} (CLOCK_START)`);
  if (app.settings.generatedPassword)
    log(`  admin password for this run (set ADMIN_PASSWORD to choose one): ${app.settings.adminPassword}`);
  return { app, server, url };
}
