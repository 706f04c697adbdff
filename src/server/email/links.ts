/** Absolute, signed links for emails (confirm: expires in 7 days; unsubscribe), and reading them back. */
import {
  CONFIRM_TTL_MS,
  createEmailToken,
  type TokenCheck,
  type TokenPurpose,
  UNSUBSCRIBE_TTL_MS,
  verifyEmailToken,
} from "../../domain/email-token";

export interface EmailLinks {
  confirmUrl: (signupId: number) => string;
  /**
   * `issuedAt` (default now) starts the link's lifetime: an announcement passes its own time,
   * so each of its emails is the same bytes on every retry (a provider answers a retried
   * idempotency key without sending again only when the payload is the same).
   */
  unsubscribeUrl: (signupId: number, issuedAt?: Date) => string;
  /** The signup a link's token names, if it is genuine, meant for `purpose` and not expired. */
  read: (token: string, purpose: TokenPurpose) => TokenCheck;
}

export function createEmailLinks(key: string, baseUrl: () => string, now: () => Date): EmailLinks {
  const link = (path: string, purpose: TokenPurpose, signupId: number, ttl: number, issuedAt = now()) => {
    const token = createEmailToken(key, { purpose, signupId, expiresAt: issuedAt.getTime() + ttl });
    return `${baseUrl().replace(/\/$/, "")}${path}?token=${token}`;
  };
  return {
    confirmUrl: (signupId) => link("/api/confirm", "confirm", signupId, CONFIRM_TTL_MS),
    unsubscribeUrl: (signupId, issuedAt) =>
      link("/api/unsubscribe", "unsubscribe", signupId, UNSUBSCRIBE_TTL_MS, issuedAt),
    read: (token, purpose) => verifyEmailToken(key, token, purpose, now()),
  };
}
