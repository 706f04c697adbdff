/**
 * Signed links in emails: `<payload>.<signature>`, payload = base64url JSON of the purpose,
 * the signup and an expiry (ms). HMAC-SHA256 with a key the server keeps in its database.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type TokenPurpose = "confirm" | "unsubscribe";

export interface TokenClaims {
  purpose: TokenPurpose;
  signupId: number;
  /** Expiry in ms since the epoch. */
  expiresAt: number;
}

export const CONFIRM_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Unsubscribe links keep working for years: they must, by law and by decency. */
export const UNSUBSCRIBE_TTL_MS = 5 * 365 * 24 * 60 * 60 * 1000;

const sign = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export function createEmailToken(key: string, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.purpose, claims.signupId, claims.expiresAt])).toString(
    "base64url",
  );
  return `${payload}.${sign(key, payload)}`;
}

export type TokenCheck = { ok: true; signupId: number } | { ok: false; reason: "invalid" | "expired" };

export function verifyEmailToken(key: string, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  const [payload = "", signature = ""] = token.split(".");
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (!payload || expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "invalid" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (
    !Array.isArray(claims) ||
    claims[0] !== purpose ||
    !Number.isInteger(claims[1]) ||
    typeof claims[2] !== "number"
  ) {
    return { ok: false, reason: "invalid" };
  }
  if (claims[2] <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, signupId: claims[1] as number };
}
