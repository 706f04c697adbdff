/**
 * The environment, read once at the edge and validated; nothing deeper reads process.env.
 * A bad value stops the process with a message that names the variable and the fix.
 */
import { z } from "zod";
import { MAX_BATCH_SIZE } from "../domain/email";
import { parseRateLimit } from "../domain/rate-limit";
import { secretKey, WEBHOOK_EVENTS, type WebhookEndpoint, type WebhookEventType } from "../domain/webhooks";

const Flag = z
  .enum(["true", "false", "1", "0", "on", "off", "yes", "no"], "use true or false")
  .transform((value) => ["true", "1", "on", "yes"].includes(value));

const RateLimitSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const limit = parseRateLimit(text);
      if (!limit) ctx.addIssue({ code: "custom", message: 'use "requests/seconds", such as 10/60' });
      return limit ?? { limit: 1, windowMs: 1000 };
    });

const Addresses = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email("use comma-separated email addresses")).min(1));

/** "MON 09:00": a weekday and a time, in DIGEST_TZ. */
const Schedule = z
  .string()
  .regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN) ([01]\d|2[0-3]):([0-5]\d)$/i, 'use a weekday and a time, such as "MON 09:00"')
  .transform((text) => text.toUpperCase());

const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "use an IANA time zone such as Europe/Paris");

const WEBHOOK_FORMAT = '"https://… whsec_… [event,event]" per endpoint, endpoints separated by ";"';

/**
 * WEBHOOK_URLS: endpoints separated by ";" (or new lines), each its URL, its `whsec_` secret
 * and optionally the events it wants (comma-separated; all by default). A URL never holds a
 * raw space, so spaces separate the fields. No message repeats a secret or a whole URL
 * (hook URLs often carry a token): an entry is named by its number and host.
 */
const WebhookEndpoints = z.string().transform((text, ctx): WebhookEndpoint[] => {
  const entries = text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const endpoints: WebhookEndpoint[] = [];
  for (const [index, entry] of entries.entries()) {
    const [address = "", secret = "", wanted, ...extra] = entry.split(/\s+/);
    const url = URL.canParse(address) ? new URL(address) : undefined;
    const problem = (message: string) =>
      ctx.addIssue({ code: "custom", message: `endpoint ${index + 1}${url ? ` (${url.host})` : ""}: ${message}` });
    const events = wanted === undefined ? [...WEBHOOK_EVENTS] : wanted.split(",");
    const unknown = events.filter((event) => !(WEBHOOK_EVENTS as readonly string[]).includes(event));
    if (!url) problem(`not a URL; use ${WEBHOOK_FORMAT}`);
    else if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname)))
      problem("use https:// (http:// only for a loopback address such as 127.0.0.1)");
    else if (!secretKey(secret))
      problem("the secret must be whsec_ and the base64 of 24–64 random bytes (openssl rand -base64 32)");
    else if (unknown.length > 0 || extra.length > 0)
      problem(`unknown events ${[...unknown, ...extra].join(" ")}; use some of ${WEBHOOK_EVENTS.join(",")}`);
    else if (endpoints.some((endpoint) => endpoint.url === url.href)) problem("listed twice");
    else endpoints.push({ url: url.href, secret, events: events as WebhookEventType[] });
  }
  return endpoints;
});

/**
 * EMBED_ORIGINS: the sites that may frame the embeddable form, origins separated by spaces
 * or commas ("https://shop.example.com https://blog.example.com"). An origin is a scheme,
 * a host and maybe a port, nothing more: it becomes the CSP frame-ancestors of /embed/.
 */
const EmbedOrigins = z.string().transform((text, ctx): string[] => {
  const origins: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    const problem = (message: string) => ctx.addIssue({ code: "custom", message: `${entry.slice(0, 80)}: ${message}` });
    if (!url || url.origin === "null") problem("not an origin; use such as https://shop.example.com");
    else if (entry.includes("*")) problem("no wildcard: list each origin");
    else if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname)))
      problem("use https:// (http:// only for a loopback address such as http://127.0.0.1:8080)");
    else if (url.pathname !== "/" || url.search || url.hash || url.username || url.password)
      problem(`an origin has no path or query; use ${url.origin}`);
    else if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
});

export const EnvSchema = z
  .object({
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number("use a number").int().min(0).max(65535).default(4321),
    DATABASE_PATH: z.string().min(1).default("./data/racine.db"),
    /**
     * The build the server serves and whose concept manifest every command reads (`npm run
     * build` writes dist/; the tests build dist-test/ from their own concepts).
     */
    BUILD_DIR: z.string().min(1).default("dist"),
    ADMIN_PASSWORD: z.string().min(12, "use at least 12 characters (or unset it to get a random one)").optional(),
    SESSION_SECRET: z.string().min(32, "use at least 32 random characters").optional(),
    TRUST_PROXY: Flag.default(false),
    SITE_URL: z
      .url({ protocol: /^https?$/, error: "use a full http(s) URL such as https://ideas.example.com" })
      .optional(),
    /**
     * on: a returning visitor keeps their A/B variant through a first-party cookie (told on
     * the page, one click to refuse); off: strictly cookieless, re-randomised every day.
     */
    AB_COOKIE: Flag.default(true),
    /** off disables every rate limit (load tests only). */
    RATE_LIMIT: Flag.default(true),
    RATE_LIMIT_SIGNUP: RateLimitSetting("10/60"),
    RATE_LIMIT_VIEW: RateLimitSetting("300/60"),
    RATE_LIMIT_LOGIN: RateLimitSetting("10/900"),
    /** With a key, emails go through Resend (its SDK also reads RESEND_BASE_URL); without, to files. */
    RESEND_API_KEY: z.string().min(1).optional(),
    OUTBOX_DIR: z.string().min(1).default("./data/outbox"),
    /** Sender of the confirmation emails visitors receive. */
    EMAIL_FROM: z.string().min(3).default("racine <waitlist@example.com>"),
    DIGEST_TO: Addresses.optional(),
    DIGEST_FROM: z.string().min(3).default("racine <digest@example.com>"),
    DIGEST_TZ: TimeZone.default("Europe/Paris"),
    DIGEST_SCHEDULE: Schedule.optional(),
    /** Where the email that an idea or a variant reached its verdict goes; no email without it. */
    NOTIFY_TO: Addresses.optional(),
    WEBHOOK_URLS: WebhookEndpoints.default([]),
    /** The sites that may frame /embed/<slug>/; none: no site may (frame-ancestors 'none'). */
    EMBED_ORIGINS: EmbedOrigins.default([]),
    /** How long to wait for a webhook's receiver before counting the attempt as failed (and retrying). */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(10_000),
    /** A client must send its request headers within this, and its whole request within REQUEST_TIMEOUT_MS. */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    /** Open connections at most; more are refused until some close. */
    MAX_CONNECTIONS: z.coerce.number().int().min(10).max(100_000).default(1_000),
    /** Base delay of the outbox's exponential backoff, for emails and webhooks (tests shorten it). */
    OUTBOX_RETRY_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
    /** Requests to the email provider per second at most (Resend's default limit is 2–5 per second per team). */
    EMAIL_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(4),
    /** An announcement's emails per request to Resend's batch endpoint (at most 100, its limit). */
    EMAIL_BATCH_SIZE: z.coerce
      .number("use a number from 1 to 100")
      .int()
      .min(1)
      .max(MAX_BATCH_SIZE)
      .default(MAX_BATCH_SIZE),
    /** How long to wait for the email provider before counting a send as failed (and retrying). */
    EMAIL_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(15_000),
    /**
     * Tests and demos only: the server's clock starts at this instant and runs on from it
     * (pages, counting, emails, jobs all read the one clock of the composition root).
     */
    CLOCK_START: z.iso
      .datetime({ offset: true, error: "use an ISO date-time such as 2026-03-29T12:00:00Z" })
      .transform((text) => new Date(text))
      .optional(),
  })
  .superRefine((env, ctx) => {
    // Emails carry absolute links: off loopback, a missing SITE_URL would send http://HOST:PORT ones.
    if (!env.SITE_URL && !isLoopback(env.HOST))
      ctx.addIssue({
        code: "custom",
        path: ["SITE_URL"],
        message: `set the public URL (such as https://ideas.example.com) when HOST (${env.HOST}) is not a loopback address: email links are built from it`,
      });
  });
export type Env = z.infer<typeof EnvSchema>;

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Invalid environment (see .env.example and the README):\n${lines.join("\n")}`);
}
