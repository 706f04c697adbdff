/** What the confirm and unsubscribe pages need: the token's signup, its concept and language. */
import type { Concept, Lang } from "../../domain/concept";
import type { TokenPurpose } from "../../domain/email-token";
import { langFromAcceptLanguage } from "../../domain/i18n";
import type { App } from "../../server/runtime";
import { findSignupConcept } from "../../server/store/confirmations";

export type TokenPage =
  | { ok: true; signupId: number; concept: Concept; lang: Lang }
  | { ok: false; reason: "invalid" | "expired"; lang: Lang };

export function readEmailToken(app: App, request: Request, url: URL, purpose: TokenPurpose): TokenPage {
  const guessed = langFromAcceptLanguage(request.headers.get("accept-language") ?? undefined);
  const check = app.links.read(url.searchParams.get("token") ?? "", purpose);
  if (!check.ok) return { ok: false, reason: check.reason, lang: guessed };
  const slug = findSignupConcept(app.db, check.signupId);
  const concept = app.concepts.find((c) => c.slug === slug);
  if (!concept) return { ok: false, reason: "invalid", lang: guessed };
  return { ok: true, signupId: check.signupId, concept, lang: concept.lang };
}
