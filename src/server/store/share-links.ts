/** Share links in the database: made and revoked by the admin's POSTs, read by every open of a link. */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { shareLinks } from "../../../db/schema";
import type { ShareLink } from "../../domain/share-link";

export function createShareLink(db: Database, link: Omit<ShareLink, "id" | "revokedAt">): ShareLink {
  return db.insert(shareLinks).values(link).returning().get();
}

export function getShareLink(db: Database, id: number): ShareLink | undefined {
  return db.select().from(shareLinks).where(eq(shareLinks.id, id)).get();
}

/** Every link of `concept`, open or not, newest first (the domain picks the open ones). */
export function listShareLinks(db: Database, concept: string): ShareLink[] {
  return db.select().from(shareLinks).where(eq(shareLinks.concept, concept)).orderBy(desc(shareLinks.id)).all();
}

/** Revokes a link (a second revoke keeps the first time); the link's concept, if it exists. */
export function revokeShareLink(db: Database, id: number, at: Date): string | undefined {
  db.update(shareLinks)
    .set({ revokedAt: at })
    .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
    .run();
  return getShareLink(db, id)?.concept;
}
