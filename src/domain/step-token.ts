/**
 * The thank-you step's token: what lets the person who just signed up (and only them)
 * answer the question, opt in to an interview or reserve, for that one signup.
 *
 * Sealed, not only signed (AES-256-GCM): the visitor's browser holds it, so it must not
 * show the signup's id (a running count of every list) nor whether the address was new.
 * A repeat signup or a bot gets a token sealed on signup 0, which looks the same and
 * stores nothing. Each token has its own random 96-bit IV (GCM's standard use; the caller
 * hands out random bytes: see src/server/random-pool.ts).
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from "node:crypto";

export interface StepClaims {
  /** The signup the steps are stored on; 0: nothing is stored (a repeat signup, a bot). */
  signupId: number;
  concept: string;
  /** Expiry in ms since the epoch. */
  expiresAt: number;
}

/** Long enough to answer later the same day, short enough that an old page stops writing. */
export const STEP_TTL_MS = 24 * 60 * 60 * 1000;

export const IV_BYTES = 12;
const ID_DIGITS = 15;
const TAG_BYTES = 16;

/** The sealing key, derived from the secret once: per signup, a key object costs less than a buffer. */
export function stepKey(secret: string): KeyObject {
  return createSecretKey(createHash("sha256").update(`seal:${secret}`).digest());
}

/** `iv`: IV_BYTES random bytes, never used for another token. */
export function sealStepToken(key: KeyObject, claims: StepClaims, iv: Uint8Array): string {
  if (iv.length !== IV_BYTES) throw new Error(`a step token's IV is ${IV_BYTES} bytes, not ${iv.length}`);
  // The id padded to a fixed width: the token's length must not tell a new signup's from signup 0.
  const id = String(claims.signupId).padStart(ID_DIGITS, "0");
  const plain = Buffer.from(JSON.stringify([id, claims.concept, claims.expiresAt]));
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** An expired token still names its concept (its claims are genuine), so the refusal speaks its language. */
export type StepTokenCheck =
  | { ok: true; signupId: number; concept: string }
  | { ok: false; reason: "expired"; concept: string }
  | { ok: false; reason: "invalid" };

export function openStepToken(key: KeyObject, token: string, now: Date): StepTokenCheck {
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length <= IV_BYTES + TAG_BYTES) return { ok: false, reason: "invalid" };
  let claims: unknown;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
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

/** `random(n)`: n fresh random bytes (an IV per token). */
export function createStepTokens(secret: string, now: () => Date, random: (bytes: number) => Uint8Array): StepTokens {
  const key = stepKey(secret);
  return {
    seal: (signupId, concept) =>
      sealStepToken(key, { signupId, concept, expiresAt: now().getTime() + STEP_TTL_MS }, random(IV_BYTES)),
    open: (token) => openStepToken(key, token, now()),
  };
}
