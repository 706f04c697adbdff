/**
 * The thank-you step's token: what lets the person who just signed up (and only them)
 * answer the question, opt in to an interview or reserve, for that one signup.
 *
 * Sealed, not only signed (AES-256-GCM): the visitor's browser holds it, so it must not
 * show the signup's id (a running count of every list) nor whether the address was new.
 * A repeat signup or a bot gets a token sealed on signup 0, which looks the same and
 * stores nothing. The IV is synthetic (an HMAC of the claims, which hold a millisecond
 * expiry and a unique id), so sealing is deterministic and needs no random source here.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";

export interface StepClaims {
  /** The signup the steps are stored on; 0: nothing is stored (a repeat signup, a bot). */
  signupId: number;
  concept: string;
  /** Expiry in ms since the epoch. */
  expiresAt: number;
}

/** Long enough to answer later the same day, short enough that an old page stops writing. */
export const STEP_TTL_MS = 24 * 60 * 60 * 1000;

const IV_BYTES = 12;
const ID_DIGITS = 15;
const TAG_BYTES = 16;

/** The two keys sealing uses, derived from the secret once: per signup, a key object costs less than a buffer. */
export interface StepKeys {
  iv: KeyObject;
  seal: KeyObject;
}

export function stepKeys(secret: string): StepKeys {
  const subkey = (purpose: string) => createSecretKey(createHash("sha256").update(`${purpose}:${secret}`).digest());
  return { iv: subkey("iv"), seal: subkey("seal") };
}

export function sealStepToken(keys: StepKeys, claims: StepClaims): string {
  // The id padded to a fixed width: the token's length must not tell a new signup's from signup 0.
  const id = String(claims.signupId).padStart(ID_DIGITS, "0");
  const plain = Buffer.from(JSON.stringify([id, claims.concept, claims.expiresAt]));
  const iv = createHmac("sha256", keys.iv).update(plain).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.seal, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** An expired token still names its concept (its claims are genuine), so the refusal speaks its language. */
export type StepTokenCheck =
  | { ok: true; signupId: number; concept: string }
  | { ok: false; reason: "expired"; concept: string }
  | { ok: false; reason: "invalid" };

export function openStepToken(keys: StepKeys, token: string, now: Date): StepTokenCheck {
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length <= IV_BYTES + TAG_BYTES) return { ok: false, reason: "invalid" };
  let claims: unknown;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keys.seal, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    claims = JSON.parse(plain.toString("utf8"));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (
    !Array.isArray(claims) ||
    typeof claims[0] !== "string" ||
    !/^\d+$/.test(claims[0]) ||
    typeof claims[1] !== "string" ||
    typeof claims[2] !== "number"
  )
    return { ok: false, reason: "invalid" };
  if (claims[2] <= now.getTime()) return { ok: false, reason: "expired", concept: claims[1] };
  return { ok: true, signupId: Number(claims[0]), concept: claims[1] };
}

export interface StepTokens {
  /** A token for the signup just made (0: none was, the address was listed or a bot sent it). */
  seal: (signupId: number, concept: string) => string;
  open: (token: string) => StepTokenCheck;
}

export function createStepTokens(secret: string, now: () => Date): StepTokens {
  const keys = stepKeys(secret);
  return {
    seal: (signupId, concept) => sealStepToken(keys, { signupId, concept, expiresAt: now().getTime() + STEP_TTL_MS }),
    open: (token) => openStepToken(keys, token, now()),
  };
}
