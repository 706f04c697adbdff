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
  unsubscribeUrl: (signupId: number) => string;
  /** The signup a link's token names, if it is genuine, meant for `purpose` and not expired. */
  read: (token: string, purpose: TokenPurpose) => TokenCheck;
}

export function createEmailLinks(key: string, baseUrl: () => string, now: () => Date): EmailLinks {
  const link = (path: string, purpose: TokenPurpose, signupId: number, ttl: number) => {
    const token = createEmailToken(key, { purpose, signupId, expiresAt: now().getTime() + ttl });
    return `${baseUrl().replace(/\/$/, "")}${path}?token=${token}`;
  };
  return {
    confirmUrl: (signupId) => link("/api/confirm", "confirm", signupId, CONFIRM_TTL_MS),
    unsubscribeUrl: (signupId) => link("/api/unsubscribe", "unsubscribe", signupId, UNSUBSCRIBE_TTL_MS),
    read: (token, purpose) => verifyEmailToken(key, token, purpose, now()),
  };
}
