/**
 * Read-only share links to one concept's report. A link is a row (id, concept, expiry,
 * revocation) and a token that names it, signed (signed-token.ts) with the key of share
 * links: the signature proves the server made the token, the row says whether it still
 * opens — revoking is a row update, effective on the next open. Also the forms that
 * create and revoke links, and the shared page's view model (the concept page without
 * its signups).
 */
import { z } from "zod";
import type { ConceptPage } from "./concept-page";
import { readSignedClaims, signClaims } from "./signed-token";

export const SHARE_DAYS = { default: 7, min: 1, max: 90 } as const;
export const SHARE_DAY_MS = 24 * 60 * 60 * 1000;

/** What a share token names: its link, the link's concept and expiry (ms since the epoch). */
export interface ShareClaims {
  linkId: number;
  concept: string;
  expiresAt: number;
}

/** A link as the store keeps it. */
export interface ShareLink {
  id: number;
  concept: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

const SHARE = "share";

/** A token is two base64url parts; anything longer than a few hundred characters is not one of ours. */
const ShareToken = z
  .string()
  .max(512)
  .regex(/^[\w-]+\.[\w-]+$/);
const ShareClaimsTuple = z.tuple([z.literal(SHARE), z.number().int().positive(), z.string().min(1), z.number().int()]);

export function createShareToken(key: string, claims: ShareClaims): string {
  return signClaims(key, [SHARE, claims.linkId, claims.concept, claims.expiresAt]);
}

/** The claims of a genuine share token; undefined for anything a client may send otherwise. */
export function readShareToken(key: string, token: string): ShareClaims | undefined {
  const shape = ShareToken.safeParse(token);
  if (!shape.success) return undefined;
  const claims = ShareClaimsTuple.safeParse(readSignedClaims(key, shape.data));
  if (!claims.success) return undefined;
  const [, linkId, concept, expiresAt] = claims.data;
  return { linkId, concept, expiresAt };
}

const minute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export type ShareAccess =
  | { status: "open"; concept: string; expiresAt: Date /** As printed. */; expires: string }
  | { status: "expired" | "not-found" };

/**
 * Whether a token opens its report now. Revoked, forged or naming another link's concept
 * read "not-found", like an unknown link, so a client cannot tell which; only a genuine,
 * unrevoked link past its expiry says "expired".
 */
export function shareAccess(claims: ShareClaims | undefined, link: ShareLink | undefined, now: Date): ShareAccess {
  if (
    !claims ||
    !link ||
    link.id !== claims.linkId ||
    link.concept !== claims.concept ||
    link.expiresAt.getTime() !== claims.expiresAt ||
    link.revokedAt !== null
  )
    return { status: "not-found" };
  if (link.expiresAt.getTime() <= now.getTime()) return { status: "expired" };
  return { status: "open", concept: link.concept, expiresAt: link.expiresAt, expires: minute(link.expiresAt) };
}

/** POST /admin/share-links: a concept and a lifetime in whole days (7 unless chosen). */
export const CreateShareLinkForm = z.object({
  concept: z.string().min(1).max(200),
  days: z.coerce.number().int().min(SHARE_DAYS.min).max(SHARE_DAYS.max).default(SHARE_DAYS.default),
});

/** POST /admin/share-links/revoke: the link's id. */
export const RevokeShareLinkForm = z.object({ id: z.coerce.number().int().positive() });

/** A concept's links still open at `now` (neither revoked nor expired), newest first. */
export const activeShareLinks = <Link extends ShareLink>(links: readonly Link[], now: Date): Link[] =>
  links
    .filter((link) => link.revokedAt === null && link.expiresAt.getTime() > now.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);

/** The admin's list of a concept's open links, as printed. */
export function composeShareLinkList(
  links: readonly (ShareLink & { url: string })[],
  now: Date,
): { id: number; url: string; created: string; expires: string }[] {
  return activeShareLinks(links, now).map((link) => ({
    id: link.id,
    url: link.url,
    created: minute(link.createdAt),
    expires: minute(link.expiresAt),
  }));
}

/** The report a share link shows: the concept page without its signups (no address, no name). */
export type SharedReport = Omit<ConceptPage, "latest" | "interviews" | "answerTexts">;

/** The report without what names a person: the signups, the interview opt-ins and the free-text answers. */
export function sharedReport(page: ConceptPage): SharedReport {
  const { latest: _signups, interviews: _interviews, answerTexts: _texts, ...report } = page;
  return report;
}
