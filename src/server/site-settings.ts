/** The settings of the Astro side (admin pages, middleware), parsed from the environment once. */
import { resolve } from "node:path";
import { sharedDatabase } from "../../db/client";
import type { SessionKeys } from "../domain/admin-session";
import { createFailureThrottle, type FailureThrottle, LOGIN_FAILURES } from "../domain/rate-limit";
import { parseEnv } from "./env";
import type { OriginPolicy } from "./http/origin";
import { createRateLimits, type RateLimits } from "./http/rate-limits";
import { adminSessionKey } from "./store/admin-sessions";

interface SiteSettings extends OriginPolicy {
  rateLimit: RateLimits;
  emailFrom: string;
  adminPassword: string;
  session: SessionKeys;
  /** Failed sign-ins across all clients, with growing delays (off with RATE_LIMIT=off). */
  loginFailures: FailureThrottle;
  databasePath: string;
}

let settings: SiteSettings | undefined;

export function siteSettings(): SiteSettings {
  if (!settings) {
    const env = parseEnv();
    // The runtime always sets ADMIN_PASSWORD (generating one if needed); `astro dev` may not.
    if (!env.ADMIN_PASSWORD) throw new Error("ADMIN_PASSWORD is not set: start racine with `npm start`.");
    const databasePath = resolve(env.DATABASE_PATH);
    settings = {
      adminPassword: env.ADMIN_PASSWORD,
      session: {
        key: adminSessionKey(sharedDatabase(databasePath), env.SESSION_SECRET),
        password: env.ADMIN_PASSWORD,
      },
      loginFailures: createFailureThrottle(
        env.RATE_LIMIT ? LOGIN_FAILURES : { ...LOGIN_FAILURES, freeFailures: Number.POSITIVE_INFINITY },
      ),
      databasePath,
      trustProxy: env.TRUST_PROXY,
      publicOrigin: env.SITE_URL,
      rateLimit: createRateLimits(env),
      emailFrom: env.EMAIL_FROM,
    };
  }
  return settings;
}

export function siteDatabase() {
  return sharedDatabase(siteSettings().databasePath);
}

/** Whether the visitor's connection is HTTPS (then cookies are Secure), as far as we can know. */
export function isHttpsRequest(request: Request): boolean {
  const { publicOrigin, trustProxy } = siteSettings();
  if (publicOrigin?.startsWith("https:")) return true;
  return trustProxy && request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}
