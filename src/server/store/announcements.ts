/**
 * Announcements in the database: who one would reach, queuing it (the announcement and one
 * outbox row per address, in one transaction), its counts, the list the admin pages show,
 * and each email's content when the outbox sends it.
 */
import { and, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { announcements, outbox, signups } from "../../../db/schema";
import {
  type AnnouncementAudience,
  type AnnouncementCounts,
  type AnnouncementDraft,
  type AudienceMember,
  announcementKey,
  composeAnnouncement,
  type RenderedBody,
  renderMarkdown,
} from "../../domain/announcement";
import type { Concept } from "../../domain/concept";
import type { EmailContent } from "../../domain/email";
import { deliveryAddress } from "../../domain/signup";
import type { EmailLinks } from "../email/links";
import type { OutboxRow } from "../jobs/outbox";

export type Announcement = typeof announcements.$inferSelect;

/** Confirmed, still subscribed signups of the concept that the audience picks. */
function audienceWhere(concept: string, audience: AnnouncementAudience): SQL | undefined {
  return and(
    eq(signups.concept, concept),
    isNotNull(signups.confirmedAt),
    isNull(signups.unsubscribedAt),
    audience.variant === undefined ? undefined : eq(signups.variant, audience.variant),
    audience.tier === undefined ? undefined : eq(signups.tier, audience.tier),
  );
}

/** Who an announcement to `audience` of `concept` would reach now, in signup order. */
export function listAudience(db: Database, concept: string, audience: AnnouncementAudience): AudienceMember[] {
  return db
    .select({ email: signups.email, lang: signups.lang, variant: signups.variant })
    .from(signups)
    .where(audienceWhere(concept, audience))
    .orderBy(signups.id)
    .all();
}

export type QueuedAnnouncement = { status: "queued" | "already"; announcement: Announcement };

/**
 * Queues an announcement: one outbox row per address of its audience (the idempotency key
 * `announcement/<id>/<signup>`: once per announcement and address), with the announcement,
 * in one transaction — a crash queues all of it or nothing. The same draft again (a second
 * run, a form posted twice) queues nothing and answers the first one.
 */
export function queueAnnouncement(
  db: Database,
  draft: AnnouncementDraft,
  { from, now }: { from: string; now: Date },
): QueuedAnnouncement {
  const key = announcementKey(draft);
  return db.transaction((tx) => {
    const existing = tx.select().from(announcements).where(eq(announcements.key, key)).get();
    if (existing) return { status: "already", announcement: existing };
    const created = tx
      .insert(announcements)
      .values({ key, ...draft, from, queued: 0, createdAt: now })
      .returning()
      .get();
    const audience = tx
      .select({ id: signups.id, email: signups.email })
      .from(signups)
      .where(audienceWhere(draft.concept, draft.audience))
      .orderBy(signups.id)
      .all();
    // Row by row rather than insert … select: each address is mailed in its delivery form
    // (an ASCII domain), which only the domain code can write.
    for (const member of audience) {
      tx.insert(outbox)
        .values({
          kind: "announcement",
          idempotencyKey: `announcement/${created.id}/${member.id}`,
          to: [deliveryAddress(member.email)],
          from,
          signupId: member.id,
          announcementId: created.id,
          nextAttemptAt: now,
          createdAt: now,
        })
        .run();
    }
    const queued = audience.length;
    const announcement = tx
      .update(announcements)
      .set({ queued })
      .where(eq(announcements.id, created.id))
      .returning()
      .get();
    return { status: "queued", announcement };
  });
}

export function getAnnouncement(db: Database, id: number): Announcement | undefined {
  return db.select().from(announcements).where(eq(announcements.id, id)).get();
}

export function getAnnouncementByKey(db: Database, key: string): Announcement | undefined {
  return db.select().from(announcements).where(eq(announcements.key, key)).get();
}

/** The announcements, newest first: all of them, or one concept's. */
export function listAnnouncements(db: Database, { concept, limit = 20 }: { concept?: string; limit?: number } = {}) {
  return db
    .select()
    .from(announcements)
    .where(concept === undefined ? undefined : eq(announcements.concept, concept))
    .orderBy(desc(announcements.id))
    .limit(limit)
    .all();
}

/**
 * Sent, failed and unsubscribed-since per announcement, from its outbox rows; queued is the
 * count recorded when it was queued (an address erased since has no row left to count).
 */
export function countAnnouncements(
  db: Database,
  list: readonly Pick<Announcement, "id" | "queued">[],
): Map<number, AnnouncementCounts> {
  const counts = new Map<number, AnnouncementCounts>(
    list.map((a) => [a.id, { queued: a.queued, sent: 0, failed: 0, unsubscribed: 0 }]),
  );
  if (list.length === 0) return counts;
  const rows = db
    .select({
      id: outbox.announcementId,
      status: outbox.status,
      unsubscribed: sql<number>`${outbox.lastError} = 'unsubscribed'`,
      n: sql<number>`count(*)`,
    })
    .from(outbox)
    .where(
      inArray(
        outbox.announcementId,
        list.map((a) => a.id),
      ),
    )
    .groupBy(outbox.announcementId, outbox.status, sql`3`)
    .all();
  for (const row of rows) {
    const entry = row.id === null ? undefined : counts.get(row.id);
    if (!entry) continue;
    if (row.status === "sent") entry.sent += row.n;
    else if (row.status === "failed" && row.unsubscribed) entry.unsubscribed += row.n;
    else if (row.status === "failed") entry.failed += row.n;
  }
  return counts;
}

/**
 * Composes an announcement's email for the outbox when it sends it: the founder's words,
 * in the signup's language, with an unsubscribe link dated from the announcement (the same
 * bytes on every retry). The last announcement's rendered body is kept: a batch is one announcement.
 */
export function createAnnouncementComposer(db: Database, concepts: readonly Concept[], links: EmailLinks) {
  let cached: { announcement: Announcement; body: RenderedBody } | undefined;
  return (email: Pick<OutboxRow, "announcementId" | "signupId">): EmailContent | undefined => {
    if (email.announcementId === null || email.signupId === null) return undefined;
    if (cached?.announcement.id !== email.announcementId) {
      const announcement = getAnnouncement(db, email.announcementId);
      if (!announcement) return undefined;
      cached = { announcement, body: renderMarkdown(announcement.body) };
    }
    const { announcement, body } = cached;
    const signup = db
      .select({ lang: signups.lang, concept: signups.concept })
      .from(signups)
      .where(eq(signups.id, email.signupId))
      .get();
    const concept = concepts.find((c) => c.slug === signup?.concept);
    if (!signup || !concept) return undefined;
    return composeAnnouncement(
      { lang: signup.lang, title: concept.title, subject: announcement.subject, body },
      links.unsubscribeUrl(email.signupId, announcement.createdAt),
    );
  };
}
