import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "../../src/server/env";

describe("parseEnv", () => {
  test("has working defaults: loopback, port 4321, ./data/racine.db, no password", () => {
    expect(parseEnv({})).toEqual({
      HOST: "127.0.0.1",
      PORT: 4321,
      DATABASE_PATH: "./data/racine.db",
      BUILD_DIR: "dist",
      TRUST_PROXY: false,
      AB_COOKIE: true,
      RATE_LIMIT: true,
      RATE_LIMIT_SIGNUP: { limit: 10, windowMs: 60_000 },
      RATE_LIMIT_VIEW: { limit: 300, windowMs: 60_000 },
      RATE_LIMIT_LOGIN: { limit: 10, windowMs: 900_000 },
      OUTBOX_DIR: "./data/outbox",
      EMAIL_FROM: "racine <waitlist@example.com>",
      DIGEST_FROM: "racine <digest@example.com>",
      DIGEST_TZ: "Europe/Paris",
      OUTBOX_RETRY_MS: 30_000,
      EMAIL_TIMEOUT_MS: 15_000,
      EMAIL_RATE_PER_SECOND: 4,
      EMAIL_BATCH_SIZE: 100,
      HEADERS_TIMEOUT_MS: 10_000,
      REQUEST_TIMEOUT_MS: 30_000,
      MAX_CONNECTIONS: 1_000,
      WEBHOOK_URLS: [],
      WEBHOOK_TIMEOUT_MS: 10_000,
      EMBED_ORIGINS: [],
    });
  });

  // The Standard Webhooks specification's example secret (24 bytes) and one of 32 bytes.
  const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const OTHER = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

  test("WEBHOOK_URLS lists endpoints with their secret and, optionally, the events they want", () => {
    expect(
      parseEnv({
        WEBHOOK_URLS: `https://hooks.zapier.com/hooks/catch/1/abc/ ${SECRET} ; http://127.0.0.1:9000/in ${OTHER} signup.confirmed,verdict.reached`,
      }).WEBHOOK_URLS,
    ).toEqual([
      {
        url: "https://hooks.zapier.com/hooks/catch/1/abc/",
        secret: SECRET,
        events: ["signup.created", "signup.confirmed", "signup.unsubscribed", "verdict.reached"],
      },
      { url: "http://127.0.0.1:9000/in", secret: OTHER, events: ["signup.confirmed", "verdict.reached"] },
    ]);
  });

  test.each([
    ["hooks.example.com/in whsec_x", "WEBHOOK_URLS: endpoint 1: not a URL"],
    [`http://crm.example.com/in ${SECRET}`, "WEBHOOK_URLS: endpoint 1 (crm.example.com): use https://"],
    ["https://crm.example.com/in", "WEBHOOK_URLS: endpoint 1 (crm.example.com): the secret must be whsec_"],
    ["https://crm.example.com/in whsec_c2hvcnQ=", "the secret must be whsec_ and the base64 of 24–64 random bytes"],
    [`https://crm.example.com/in ${SECRET} signup.deleted`, "unknown events signup.deleted"],
    [`https://a.example.com/ ${SECRET}; https://a.example.com/ ${OTHER}`, "endpoint 2 (a.example.com): listed twice"],
  ])("WEBHOOK_URLS=%s is refused: %s", (value, message) => {
    expect(() => parseEnv({ WEBHOOK_URLS: value })).toThrow(message);
  });

  test("a refused WEBHOOK_URLS never repeats the secret or the URL's path", () => {
    const error = (() => {
      try {
        parseEnv({ WEBHOOK_URLS: `https://hooks.example.com/token-123 ${SECRET} signup.nope` });
      } catch (caught) {
        return String(caught);
      }
    })();
    expect(error).toContain("WEBHOOK_URLS: endpoint 1 (hooks.example.com)");
    expect(error).not.toContain("token-123");
    expect(error).not.toContain(SECRET.slice(6));
  });

  test("EMBED_ORIGINS lists origins, separated by spaces or commas, normalised and once each", () => {
    expect(
      parseEnv({
        EMBED_ORIGINS:
          "https://Shop.Example.com/ https://blog.example.com:8443,http://127.0.0.1:8080 https://shop.example.com",
      }).EMBED_ORIGINS,
    ).toEqual(["https://shop.example.com", "https://blog.example.com:8443", "http://127.0.0.1:8080"]);
    expect(parseEnv({ EMBED_ORIGINS: "http://localhost:3000" }).EMBED_ORIGINS).toEqual(["http://localhost:3000"]);
  });

  test.each([
    ["shop.example.com", "EMBED_ORIGINS: shop.example.com: not an origin"],
    ["http://shop.example.com", "use https:// (http:// only for a loopback address"],
    ["https://shop.example.com/waitlist", "an origin has no path or query; use https://shop.example.com"],
    ["https://shop.example.com/?a=1", "an origin has no path or query"],
    ["https://*.example.com", "no wildcard: list each origin"],
    ["'self'", "not an origin"],
    ["data:text/html,x", "not an origin"],
  ])("EMBED_ORIGINS=%s is refused: %s", (value, message) => {
    expect(() => parseEnv({ EMBED_ORIGINS: value })).toThrow(message);
  });

  test.each(["0", "101", "2.5", "many"])("EMAIL_BATCH_SIZE=%s is refused: Resend takes 1 to 100 per batch", (value) => {
    expect(() => parseEnv({ EMAIL_BATCH_SIZE: value })).toThrow("EMAIL_BATCH_SIZE:");
  });

  test("CLOCK_START is an instant with its offset, or refused with the form to use", () => {
    expect(parseEnv({ CLOCK_START: "2026-03-29T00:30:00+02:00" }).CLOCK_START).toEqual(
      new Date("2026-03-28T22:30:00Z"),
    );
    expect(() => parseEnv({ CLOCK_START: "yesterday" })).toThrow(
      "CLOCK_START: use an ISO date-time such as 2026-03-29T12:00:00Z",
    );
  });

  test("a server off loopback needs SITE_URL, since emails carry links built from it", () => {
    expect(() => parseEnv({ HOST: "0.0.0.0" })).toThrow("SITE_URL: set the public URL");
    expect(parseEnv({ HOST: "0.0.0.0", SITE_URL: "https://ideas.example.com" }).HOST).toBe("0.0.0.0");
    expect(parseEnv({ HOST: "::1" }).SITE_URL).toBeUndefined();
  });

  test("treats empty variables as unset", () => {
    expect(parseEnv({ ADMIN_PASSWORD: "", PORT: "" }).ADMIN_PASSWORD).toBeUndefined();
  });

  test.each([
    [{ PORT: "http" }, "PORT: use a number"],
    [{ PORT: "70000" }, "PORT:"],
    [{ ADMIN_PASSWORD: "short" }, "ADMIN_PASSWORD: use at least 12 characters"],
    [{ ADMIN_PASSWORD: "eleven-char" }, "ADMIN_PASSWORD: use at least 12 characters"],
    [{ TRUST_PROXY: "maybe" }, "TRUST_PROXY: use true or false"],
    [{ SITE_URL: "ideas.example.com" }, "SITE_URL: use a full http(s) URL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET: use at least 32 random characters"],
    [{ RATE_LIMIT_SIGNUP: "ten a minute" }, 'RATE_LIMIT_SIGNUP: use "requests/seconds", such as 10/60'],
    [{ RATE_LIMIT: "maybe" }, "RATE_LIMIT: use true or false"],
    [{ DIGEST_TZ: "Paris" }, "DIGEST_TZ: use an IANA time zone such as Europe/Paris"],
    [{ DIGEST_SCHEDULE: "monday 9am" }, 'DIGEST_SCHEDULE: use a weekday and a time, such as "MON 09:00"'],
    [{ DIGEST_TO: "founder@exemple.fr, nope" }, "DIGEST_TO.1: use comma-separated email addresses"],
  ])("%o fails naming the variable", (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
  });
});
