/**
 * The admin session: a cookie value `<expiry>.<signature>` signed with HMAC-SHA256, so the
 * server keeps no session table. Password and signature checks are constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "racine_admin";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The signing key: SESSION_SECRET, or one derived from the password (changing it logs everyone out). */
export function sessionKey(adminPassword: string, sessionSecret?: string): string {
  return sessionSecret ?? createHash("sha256").update(`racine-admin-session\n${adminPassword}`).digest("base64url");
}

function sign(key: string, expiresAt: number): string {
  return createHmac("sha256", key).update(`admin.${expiresAt}`).digest("base64url");
}

export function createSessionToken(key: string, now: Date, ttlMs = SESSION_TTL_MS): string {
  const expiresAt = now.getTime() + ttlMs;
  return `${expiresAt}.${sign(key, expiresAt)}`;
}

export function isValidSessionToken(key: string, token: string | undefined, now: Date): boolean {
  const match = /^(\d{1,16})\.([\w-]{43})$/.exec(token ?? "");
  if (!match?.[1] || !match[2]) return false;
  const expiresAt = Number(match[1]);
  return expiresAt > now.getTime() && safeEqual(match[2], sign(key, expiresAt));
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
