/**
 * The founder's own visits are not counted: a view beacon from a browser signed in to
 * /admin, or from one the founder switched off on /admin ("exclude this browser"), is
 * acknowledged and not stored. The switch is a first-party cookie holding only `1`
 * (strictly necessary, and the founder's own: no visitor ever gets it), read by the server.
 */
import { z } from "zod";
import { SESSION_COOKIE } from "./admin-session";
import { AB_COOKIE_MAX_AGE_S, cookieAttributes } from "./experiments";

export const EXCLUDE_COOKIE = "racine_exclude";

const EXCLUDED = new RegExp(`(?:^|;\\s*)${EXCLUDE_COOKIE}=1(?:;|\\s|$)`);
const SESSION = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;\\s]+)`);

/** Whether the browser carries the "exclude this browser" switch. */
export function isExcludedBrowser(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && EXCLUDED.test(cookieHeader);
}

/** The admin session cookie's value in a Cookie header, if any (its validity is the server's to check). */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  return cookieHeader === undefined ? undefined : SESSION.exec(cookieHeader)?.[1];
}

/**
 * The Set-Cookie header of the switch: on for as long as an A/B cookie may live (the
 * founder sets it again from /admin after that), off by clearing it.
 */
export function exclusionCookie(excluded: boolean, secure: boolean): string {
  return excluded
    ? `${EXCLUDE_COOKIE}=1${cookieAttributes(AB_COOKIE_MAX_AGE_S, secure)}`
    : `${EXCLUDE_COOKIE}=${cookieAttributes(0, secure)}`;
}

/** The switch's form on the admin pages: `exclude=on` or `exclude=off`, and the admin page to go back to. */
export const ExcludeBrowserForm = z.strictObject({
  exclude: z.enum(["on", "off"]),
  back: z
    .string()
    .regex(/^\/admin(?:\/c\/[a-z0-9-]+)?$/)
    .default("/admin"),
});
