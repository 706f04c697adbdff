/**
 * Signed tokens for links: `<payload>.<signature>`, payload = base64url JSON of the claims,
 * signature = HMAC-SHA256 of the payload with a key the server keeps in its database.
 * Email links and share links both use it, each with its own key and its own claims.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const sign = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export function signClaims(key: string, claims: readonly unknown[]): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${sign(key, payload)}`;
}

/** The claims of a token signed with `key`, or undefined for anything else (forged, truncated, not JSON). */
export function readSignedClaims(key: string, token: string): unknown {
  const [payload = "", signature = ""] = token.split(".");
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (!payload || expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}
