/** Absolute, signed links for emails: confirm (expires in 7 days) and unsubscribe. */
import { CONFIRM_TTL_MS, createEmailToken, UNSUBSCRIBE_TTL_MS } from "../../domain/email-token";

export interface EmailLinks {
  confirmUrl: (signupId: number) => string;
  unsubscribeUrl: (signupId: number) => string;
}

export function createEmailLinks(key: string, baseUrl: () => string, now: () => Date): EmailLinks {
  const link = (path: string, purpose: "confirm" | "unsubscribe", signupId: number, ttl: number) => {
    const token = createEmailToken(key, { purpose, signupId, expiresAt: now().getTime() + ttl });
    return `${baseUrl().replace(/\/$/, "")}${path}?token=${token}`;
  };
  return {
    confirmUrl: (signupId) => link("/api/confirm", "confirm", signupId, CONFIRM_TTL_MS),
    unsubscribeUrl: (signupId) => link("/api/unsubscribe", "unsubscribe", signupId, UNSUBSCRIBE_TTL_MS),
  };
}
