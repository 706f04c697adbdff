/**
 * Signed links in emails (signed-token.ts): the claims are the purpose, the signup and an
 * expiry (ms), signed with the key of email links.
 */
import { readSignedClaims, signClaims } from "./signed-token";

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

export function createEmailToken(key: string, claims: TokenClaims): string {
  return signClaims(key, [claims.purpose, claims.signupId, claims.expiresAt]);
}

export type TokenCheck = { ok: true; signupId: number } | { ok: false; reason: "invalid" | "expired" };

export function verifyEmailToken(key: string, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  const claims = readSignedClaims(key, token);
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
