/**
 * How often a visitor may ask for the confirmation email again. Anyone can ask for anyone
 * (the form only takes an address), so the caps protect the person behind the address:
 * a few emails per signup, further and further apart, and a daily cap per address across
 * every concept.
 */
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** The wait before the 2nd and the 3rd email of one signup; there is no 4th. */
export const RESEND_INTERVALS_MS = [10 * MINUTE, 6 * HOUR] as const;
export const MAX_CONFIRMATIONS_PER_SIGNUP = RESEND_INTERVALS_MS.length + 1;
/** Confirmation emails to one address, all concepts together, per 24 hours. */
export const MAX_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 4;
export const ADDRESS_WINDOW_MS = 24 * HOUR;

export interface ConfirmationHistory {
  /** Confirmation emails queued for this signup so far, and when the last one was. */
  sentForSignup: number;
  lastSentAt: Date | undefined;
  /** Confirmation emails queued to this address (any concept) in the last ADDRESS_WINDOW_MS. */
  sentToAddressToday: number;
}

export function mayResendConfirmation(history: ConfirmationHistory, now: Date): boolean {
  const { sentForSignup, lastSentAt, sentToAddressToday } = history;
  if (sentForSignup >= MAX_CONFIRMATIONS_PER_SIGNUP) return false;
  if (sentToAddressToday >= MAX_CONFIRMATIONS_PER_ADDRESS_PER_DAY) return false;
  if (!lastSentAt || sentForSignup === 0) return true;
  const wait = RESEND_INTERVALS_MS[sentForSignup - 1] ?? Number.POSITIVE_INFINITY;
  return now.getTime() - lastSentAt.getTime() >= wait;
}
