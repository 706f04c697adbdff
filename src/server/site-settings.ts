/** The settings of the Astro side (admin pages, middleware), parsed from the environment once. */
import { resolve } from "node:path";
import { sharedDatabase } from "../../db/client";
import { sessionKey } from "../domain/admin-session";
import { parseEnv } from "./env";
import type { OriginPolicy } from "./origin";
import { createRateLimits, type RateLimits } from "./rate-limits";

interface SiteSettings extends OriginPolicy {
  rateLimit: RateLimits;
  emailFrom: string;
  adminPassword: string;
  sessionKey: string;
  databasePath: string;
}

let settings: SiteSettings | undefined;

export function siteSettings(): SiteSettings {
  if (!settings) {
    const env = parseEnv();
    // The runtime always sets ADMIN_PASSWORD (generating one if needed); `astro dev` may not.
    if (!env.ADMIN_PASSWORD) throw new Error("ADMIN_PASSWORD is not set: start racine with `npm start`.");
    settings = {
      adminPassword: env.ADMIN_PASSWORD,
      sessionKey: sessionKey(env.ADMIN_PASSWORD, env.SESSION_SECRET),
      databasePath: resolve(env.DATABASE_PATH),
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
