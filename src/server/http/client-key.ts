/**
 * Who a client is for rate limiting: a keyed hash of its address with a secret made at
 * start and never stored, so limits work without keeping any IP address.
 */
import { createHmac, createSecretKey, randomBytes } from "node:crypto";

// A key object, not a buffer: Node checks a buffer key through a costly thrown-and-caught lookup on every call.
const SECRET = createSecretKey(randomBytes(32));

export function clientKey(address: string): string {
  return createHmac("sha256", SECRET).update(address).digest("base64url").slice(0, 22);
}
