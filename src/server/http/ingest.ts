/**
 * The ingestion path: POST /api/signup and POST /api/view on bare node:http, outside
 * Astro's request pipeline (a plain Astro endpoint measured ~0.18× the throughput of
 * node:http here). Each handler reads as parse → check → record → respond.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { utcDay } from "../../domain/calendar";
import { type Concept, controlVariant, isPublished, type Lang } from "../../domain/concept";
import { consentOf } from "../../domain/confirmation-email";
import { contentSecurityPolicy } from "../../domain/csp";
import { renderFormError } from "../../domain/form-page";
import { langFromAcceptLanguage, type MessageKey, t } from "../../domain/i18n";
import { thanksPath, variantPath } from "../../domain/paths";
import {
  emailKey,
  type FieldErrors,
  fieldErrors,
  looksAutomated,
  pickUtm,
  referrerHost,
  SignupInput,
  UTM_FIELDS,
  type Utm,
  ViewInput,
} from "../../domain/signup";
import { isBot } from "../../domain/visitor";
import type { IngestStore, QueuedEmail } from "../store/ingest-store";
import type { RateLimits } from "./rate-limits";
import {
  type BodyKind,
  badRequest,
  bodyKind,
  HttpError,
  notFound,
  parseBody,
  readBody,
  sendError,
  sendJson,
  tooManyRequests,
  wantsJson,
} from "./toolkit";
import type { VisitorIdentity } from "./visitor-identity";

export interface IngestDeps {
  store: IngestStore;
  /** The double opt-in email of a new signup (for concepts that ask for it). */
  confirmationEmail: (email: string, signupId: number) => QueuedEmail;
  /** Called after an email was queued, so the worker sends it now rather than at its next tick. */
  onQueued: () => void;
  rateLimit: RateLimits;
  visitorOf: VisitorIdentity;
  concepts: readonly Concept[];
  /** The prerendered landing page of a concept's variant, to show a form error without JavaScript. */
  landingHtml: (slug: string, variant: string | undefined) => string | undefined;
  notFoundHtml: () => string;
  now: () => Date;
}

/** A refusal on a known concept (invalid input, too many attempts): answered in the concept's language. */
class SignupRejected extends Error {
  constructor(
    readonly concept: Concept,
    readonly errors: FieldErrors,
    readonly values: Record<string, unknown>,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super("signup rejected");
  }
}

export function createIngest(deps: IngestDeps) {
  const { store, concepts, now } = deps;
  const bySlug = new Map(concepts.map((concept) => [concept.slug, concept]));
  function liveConcept(slug: unknown, lang: Lang, { acceptPublished = false } = {}): Concept {
    const concept = typeof slug === "string" ? bySlug.get(slug) : undefined;
    const open = concept && (concept.status === "live" || (acceptPublished && isPublished(concept)));
    if (!concept || !open) throw notFound({ concept: t(lang, "error.concept.unknown") });
    return concept;
  }

  function variantOf(concept: Concept, requested: string | undefined, lang: Lang): string {
    if (requested === undefined) return controlVariant(concept).id;
    if (!concept.variants.some((variant) => variant.id === requested)) {
      throw badRequest({ variant: t(lang, "error.variant.unknown") });
    }
    return requested;
  }

  /** Without JavaScript the form carries no UTM fields; the landing URL in Referer has them. */
  function utmFromReferer(req: IncomingMessage): Utm {
    try {
      const query = new URL(req.headers.referer ?? "").searchParams;
      return pickUtm(Object.fromEntries(UTM_FIELDS.map((field) => [field, query.get(field) ?? undefined])));
    } catch {
      return {};
    }
  }

  async function signup(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
    const guessedLang = langFromAcceptLanguage(req.headers["accept-language"]);
    let kind: BodyKind = "json";
    try {
      kind = bodyKind(req.headers["content-type"]);
      // Counted before the body is read; the (bounded) body still names the concept whose language answers.
      const decision = deps.rateLimit("signup", client, now().getTime());
      const raw = parseBody(kind, await readBody(req), t(guessedLang, "error.request.invalid"));
      const concept = liveConcept(raw.concept, guessedLang);
      if (!decision.allowed) {
        throw new SignupRejected(concept, { request: "error.rate_limited" }, raw, 429, {
          "retry-after": String(decision.retryAfter),
        });
      }
      const parsed = SignupInput.safeParse(raw);
      if (!parsed.success) throw new SignupRejected(concept, fieldErrors(parsed.error), raw);
      const input = parsed.data;
      const variant = variantOf(concept, input.variant, concept.lang);
      // A bot gets the same answer as a person, and nothing is stored.
      if (!looksAutomated(input)) {
        const at = now();
        const utm = pickUtm(input);
        const queued = await store.recordSignup(
          {
            concept: concept.slug,
            variant,
            email: input.email,
            emailKey: emailKey(input.email),
            name: input.name || undefined,
            lang: concept.lang,
            visitorHash: deps.visitorOf(req, client, concept.slug, at),
            createdAt: at,
            utm: kind === "form" && Object.keys(utm).length === 0 ? utmFromReferer(req) : utm,
            referrerHost: referrerHost(input.referrer),
            consent: { ...consentOf(t(concept.lang, "form.privacy")), pagePath: variantPath(concept.slug, variant) },
          },
          concept.doubleOptIn ? (id) => deps.confirmationEmail(input.email, id) : undefined,
        );
        if (queued && concept.doubleOptIn) deps.onQueued();
      }
      // The same answer whether the address was new or already listed: nothing leaks.
      if (wantsJson(req, kind)) sendJson(res, 201, { ok: true });
      else {
        res.writeHead(303, { location: thanksPath(concept.slug, concept.lang), "cache-control": "no-store" });
        res.end();
      }
    } catch (error) {
      answerSignupError(req, res, kind, error);
    }
  }

  function answerSignupError(req: IncomingMessage, res: ServerResponse, kind: BodyKind, error: unknown): void {
    const json = wantsJson(req, kind);
    if (error instanceof SignupRejected) {
      const { concept, values, status, headers } = error;
      const errors = localise(concept.lang, error.errors);
      const variant = typeof values.variant === "string" ? values.variant : undefined;
      const page = json
        ? undefined
        : (deps.landingHtml(concept.slug, variant) ?? deps.landingHtml(concept.slug, undefined));
      if (!page) {
        sendJson(res, status, { ok: false, errors }, headers);
        return;
      }
      const message = errors.email ?? Object.values(errors)[0] ?? t(concept.lang, "error.request.invalid");
      const text = (field: string) => (typeof values[field] === "string" ? values[field] : undefined);
      const html = renderFormError(page, { message, values: { email: text("email"), name: text("name") } });
      sendHtml(res, status, html, headers);
    } else if (error instanceof HttpError) {
      if (!json && error.status === 404) sendHtml(res, 404, deps.notFoundHtml());
      else sendError(res, error);
    } else {
      throw error;
    }
  }

  async function view(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
    try {
      const kind = bodyKind(req.headers["content-type"], { allowTextPlain: true });
      const decision = deps.rateLimit("view", client, now().getTime());
      if (!decision.allowed) throw tooManyRequests(decision.retryAfter);
      const lang = langFromAcceptLanguage(req.headers["accept-language"]);
      const raw = parseBody(kind, await readBody(req), t(lang, "error.request.invalid"));
      const parsed = ViewInput.safeParse(raw);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error);
        if (errors.concept) throw notFound({ concept: t(lang, "error.concept.unknown") });
        throw badRequest(localise(lang, errors));
      }
      const input = parsed.data;
      const concept = liveConcept(input.concept, lang, { acceptPublished: true });
      const variant = variantOf(concept, input.variant, lang);
      // Bots get the same 204 as people, so they have no reason to retry.
      if (!isBot(req.headers["user-agent"])) {
        const at = now();
        store.recordView({
          concept: concept.slug,
          variant,
          visitorHash: deps.visitorOf(req, client, concept.slug, at),
          day: utcDay(at),
          createdAt: at,
          utm: pickUtm(input),
          referrerHost: referrerHost(input.referrer),
        });
      }
      res.writeHead(204, { "cache-control": "no-store" });
      res.end();
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error);
      throw error;
    }
  }

  return { signup, view };
}

function localise(lang: Lang, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, key]: [string, MessageKey]) => [field, t(lang, key)]));
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    "content-security-policy": contentSecurityPolicy(html),
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
  });
  res.end(html);
}
