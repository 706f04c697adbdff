/** The admin side's settings, parsed from the environment once, on first use. */
import { resolve } from "node:path";
import { sharedDatabase } from "../../db/client";
import { sessionKey } from "../domain/admin-session";
import { parseEnv } from "./env";

interface AdminSettings {
  adminPassword: string;
  sessionKey: string;
  databasePath: string;
}

let settings: AdminSettings | undefined;

export function adminSettings(): AdminSettings {
  if (!settings) {
    const env = parseEnv();
    // The runtime always sets ADMIN_PASSWORD (generating one if needed); `astro dev` may not.
    if (!env.ADMIN_PASSWORD) throw new Error("ADMIN_PASSWORD is not set: start racine with `npm start`.");
    settings = {
      adminPassword: env.ADMIN_PASSWORD,
      sessionKey: sessionKey(env.ADMIN_PASSWORD, env.SESSION_SECRET),
      databasePath: resolve(env.DATABASE_PATH),
    };
  }
  return settings;
}

export function adminDatabase() {
  return sharedDatabase(adminSettings().databasePath);
}
