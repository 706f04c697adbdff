/**
 * The admin session: a cookie value `<id>.<issuedAt>.<signature>`, HMAC-SHA256 over the
 * session id, its issue time and a fingerprint of the current password, with a random key
 * the server keeps (never derived from the password: a leaked cookie gives nothing to test
 * guesses against). A session lasts TTL from its issue time, whatever the cookie claims;
 * it ends when the password changes (the fingerprint no longer matches) and when its issue
 * time is not after the "not valid before" stamp set at sign-out. Checks are constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "racine_admin";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionKeys {
  /** The signing key: SESSION_SECRET, or a random key kept in the database. */
  key: string;
  /** The admin password as it is now. */
  password: string;
}

const hmac = (key: string, text: string) => createHmac("sha256", key).update(text).digest("base64url");

/** Changes with the password; without the key it says nothing about it. */
const passwordFingerprint = ({ key, password }: SessionKeys) => hmac(key, `racine-admin-password\n${password}`);

const sign = (keys: SessionKeys, id: string, issuedAt: number) =>
  hmac(keys.key, `admin.v2.${id}.${issuedAt}.${passwordFingerprint(keys)}`);

/** A new session's cookie value; `id` is random (16+ bytes, base64url), `issuedAt` the time of sign-in. */
export function createSessionToken(keys: SessionKeys, id: string, issuedAt: Date): string {
  return `${id}.${issuedAt.getTime()}.${sign(keys, id, issuedAt.getTime())}`;
}

export interface SessionCheck {
  now: Date;
  /** Sessions issued at or before this time (ms) have ended (sign-out). */
  notBefore: number;
  ttlMs?: number;
}

export function isValidSessionToken(
  keys: SessionKeys,
  token: string | undefined,
  { now, notBefore, ttlMs = SESSION_TTL_MS }: SessionCheck,
): boolean {
  const match = /^([\w-]{22,64})\.(\d{1,16})\.([\w-]{43})$/.exec(token ?? "");
  if (!match?.[1] || !match[2] || !match[3]) return false;
  const issuedAt = Number(match[2]);
  const current = issuedAt <= now.getTime() && now.getTime() < issuedAt + ttlMs && issuedAt > notBefore;
  // The signature is checked even for a stale token, so timing says nothing about which test failed.
  const signed = safeEqual(match[3], sign(keys, match[1], issuedAt));
  return signed && current;
}

/** Compares hashes of both sides, so neither the length nor a prefix of the password leaks. */
export function passwordMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
