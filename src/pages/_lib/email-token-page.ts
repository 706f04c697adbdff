/** What the confirm and unsubscribe pages need: the token's signup, its concept and language. */
import { eq } from "drizzle-orm";
import { signups } from "../../../db/schema";
import type { Concept, Lang } from "../../domain/concept";
import { type TokenPurpose, verifyEmailToken } from "../../domain/email-token";
import { langFromAcceptLanguage } from "../../domain/i18n";
import { siteDatabase } from "../../server/site-settings";
import { appSecret } from "../../server/store/secrets";
import { getConcepts } from "./concepts";

export type TokenPage =
  | { ok: true; signupId: number; concept: Concept; lang: Lang }
  | { ok: false; reason: "invalid" | "expired"; lang: Lang };

export async function readEmailToken(request: Request, url: URL, purpose: TokenPurpose): Promise<TokenPage> {
  const guessed = langFromAcceptLanguage(request.headers.get("accept-language") ?? undefined);
  const db = siteDatabase();
  const check = verifyEmailToken(
    appSecret(db, "email-links"),
    url.searchParams.get("token") ?? "",
    purpose,
    new Date(),
  );
  if (!check.ok) return { ok: false, reason: check.reason, lang: guessed };
  const row = db.select({ concept: signups.concept }).from(signups).where(eq(signups.id, check.signupId)).get();
  const concept = (await getConcepts()).find((c) => c.slug === row?.concept);
  if (!row || !concept) return { ok: false, reason: "invalid", lang: guessed };
  return { ok: true, signupId: check.signupId, concept, lang: concept.lang };
}
