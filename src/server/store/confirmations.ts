/**
 * Double opt-in and unsubscribe: the emails and the state changes behind their links, each
 * change committed with its webhook deliveries (signup.confirmed, signup.unsubscribed).
 */
import { and, count, desc, eq, gt, ne } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { outbox, signups } from "../../../db/schema";
import type { Concept } from "../../domain/concept";
import { composeConfirmation } from "../../domain/confirmation-email";
import type { EmailContent } from "../../domain/email";
import { ADDRESS_WINDOW_MS, mayResendConfirmation } from "../../domain/resend-policy";
import { deliveryAddress, emailKey } from "../../domain/signup";
import { signupEvent, type WebhookEndpoint } from "../../domain/webhooks";
import type { EmailLinks } from "../email/links";
import type { QueuedEmail } from "./ingest-store";
import { queueWebhooks } from "./webhooks";

/** The outbox row of a confirmation (the content is composed when it is sent). */
export function confirmationEmail(from: string, email: string, signupId: number, sequence = 0): QueuedEmail {
  return {
    kind: "confirmation",
    idempotencyKey: sequence === 0 ? `confirmation/${signupId}` : `confirmation/${signupId}/${sequence}`,
    from,
    to: [deliveryAddress(email)],
  };
}

/** The content of a signup's confirmation email, or undefined when the signup is gone (erased). */
export function composeConfirmationFor(
  db: Database,
  concepts: readonly Concept[],
  links: EmailLinks,
  signupId: number,
): EmailContent | undefined {
  const slug = findSignupConcept(db, signupId);
  const concept = concepts.find((c) => c.slug === slug);
  if (!concept) return undefined;
  return composeConfirmation({
    lang: concept.lang,
    title: concept.title,
    confirmUrl: links.confirmUrl(signupId),
    unsubscribeUrl: links.unsubscribeUrl(signupId),
  });
}

/** The concept a signup joined, or undefined when the signup is gone (erased). */
export function findSignupConcept(db: Database, signupId: number): string | undefined {
  return db.select({ concept: signups.concept }).from(signups).where(eq(signups.id, signupId)).get()?.concept;
}

export type ConfirmResult = { status: "confirmed" | "already"; concept: string } | { status: "missing" };

/**
 * Confirms a signup (proof of consent: the time, to the millisecond) and queues its
 * signup.confirmed webhooks with it; confirming twice is harmless and sends nothing again.
 */
export function confirmSignup(
  db: Database,
  signupId: number,
  now: Date,
  webhooks: readonly WebhookEndpoint[],
): ConfirmResult {
  return db.transaction((tx) => {
    const row = tx.select().from(signups).where(eq(signups.id, signupId)).get();
    if (!row) return { status: "missing" };
    if (row.confirmedAt) return { status: "already", concept: row.concept };
    tx.update(signups).set({ confirmedAt: now }).where(eq(signups.id, signupId)).run();
    queueWebhooks(tx, webhooks, signupEvent("signup.confirmed", row, signupId, now), signupId);
    return { status: "confirmed", concept: row.concept };
  });
}

/**
 * Marks a signup unsubscribed: it is never emailed again, pending emails to it are dropped,
 * and its signup.unsubscribed webhooks are queued (the first time only). Webhooks already
 * queued still go: they tell the founder's tools what happened, including this.
 */
export function unsubscribeSignup(
  db: Database,
  signupId: number,
  now: Date,
  webhooks: readonly WebhookEndpoint[],
): { concept: string } | undefined {
  return db.transaction((tx) => {
    const row = tx.select().from(signups).where(eq(signups.id, signupId)).get();
    if (!row) return undefined;
    if (row.unsubscribedAt) return { concept: row.concept };
    tx.update(signups).set({ unsubscribedAt: now }).where(eq(signups.id, signupId)).run();
    tx.update(outbox)
      .set({ status: "failed", lastError: "unsubscribed" })
      .where(and(eq(outbox.signupId, signupId), eq(outbox.status, "pending"), ne(outbox.kind, "webhook")))
      .run();
    queueWebhooks(tx, webhooks, signupEvent("signup.unsubscribed", row, signupId, now), signupId);
    return { concept: row.concept };
  });
}

/**
 * Queues the confirmation again for an address still waiting on `concept`, within the caps
 * of src/domain/resend-policy.ts; answers whether it queued one. The page is silent either
 * way: its answer must not tell who is on a list.
 */
export function requeueConfirmation(db: Database, concept: Concept, email: string, from: string, now: Date): boolean {
  const signup = db
    .select()
    .from(signups)
    .where(and(eq(signups.concept, concept.slug), eq(signups.emailKey, emailKey(email.trim()))))
    .get();
  if (!signup || signup.confirmedAt || signup.unsubscribedAt) return false;
  const ofSignup = and(eq(outbox.signupId, signup.id), eq(outbox.kind, "confirmation"));
  const last = db.select().from(outbox).where(ofSignup).orderBy(desc(outbox.createdAt)).limit(1).get();
  const sent = db.select({ n: count() }).from(outbox).where(ofSignup).get()?.n ?? 0;
  const sentToAddressToday =
    db
      .select({ n: count() })
      .from(outbox)
      .innerJoin(signups, eq(outbox.signupId, signups.id))
      .where(
        and(
          eq(signups.emailKey, signup.emailKey),
          eq(outbox.kind, "confirmation"),
          gt(outbox.createdAt, new Date(now.getTime() - ADDRESS_WINDOW_MS)),
        ),
      )
      .get()?.n ?? 0;
  if (!mayResendConfirmation({ sentForSignup: sent, lastSentAt: last?.createdAt, sentToAddressToday }, now))
    return false;
  const queued = confirmationEmail(from, signup.email, signup.id, sent);
  return (
    db
      .insert(outbox)
      .values({ ...queued, signupId: signup.id, nextAttemptAt: now, createdAt: now })
      .onConflictDoNothing()
      .run().changes > 0
  );
}
