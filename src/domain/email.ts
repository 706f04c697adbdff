/**
 * The shape of every email racine sends, one home for it: the content a composer makes
 * (the confirmation, the digest) and the envelope the server adds. The mailer sends both
 * together; the outbox stores the envelope first and, for a confirmation, composes the
 * content only when it sends.
 */
export interface EmailContent {
  subject: string;
  html: string;
  text: string;
  /** Extra headers, such as List-Unsubscribe. */
  headers: Record<string, string>;
}

export interface EmailEnvelope {
  from: string;
  to: string[];
}

/** Resend's batch endpoint takes at most this many emails per request. */
export const MAX_BATCH_SIZE = 100;
