/**
 * The ingestion path: POST /api/signup, POST /api/view and POST /api/ab-opt-out on bare
 * node:http, outside Astro's request pipeline (a plain Astro endpoint measured ~0.18× the
 * throughput of node:http here). Each handler reads as parse → check → record → respond.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { EARLIEST_DAY, utcDay } from "../../domain/calendar";
import { type Concept, controlVariant, isPublished, type Lang } from "../../domain/concept";
import { consentOf } from "../../domain/confirmation-email";
import { contentSecurityPolicy } from "../../domain/csp";
import {
  type Assignment,
  assignmentReader,
  attributeSignup,
  exposureOf,
  optedOutOfAbCookie,
  optOutCookies,
  usesAbCookie,
} from "../../domain/experiments";
import { renderFormError } from "../../domain/form-page";
import { langFromAcceptLanguage, type MessageKey, t } from "../../domain/i18n";
import { hasSteps, tiersShown } from "../../domain/ladder-steps";
import { landingPath, optedOutPath, stepsPath, thanksPath, variantPath } from "../../domain/paths";
import {
  AbOptOutInput,
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
import type { StepTokens } from "../../domain/step-token";
import type { IngestStore, QueuedEmail } from "../store/ingest-store";
import type { FounderCheck } from "./founder";
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
  withSecurityHeaders,
} from "./toolkit";
import { createBotFilter, type VisitorIdentity } from "./visitor-identity";

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
  /** The site's A/B cookie setting (AB_COOKIE); a concept can still be cookieless on its own. */
  abCookie: boolean;
  /** Whether cookies set on this request must be Secure (HTTPS). */
  secureCookies: (req: IncomingMessage) => boolean;
  /** Per concept, the first whole day of its current split (the pages' own: assignmentReader). */
  splitSince: ReadonlyMap<string, string>;
  /** Whether an address (its emailKey) is a throwaway one: accepted, flagged, counted apart. */
  isThrowaway: (emailKey: string) => boolean;
  /** The founder's own browser (src/server/http/founder.ts): nothing of it is counted. */
  isFounder: FounderCheck;
  /** The thank-you step's tokens: a signup answers its question, and only its own (ladder.ts). */
  steps: StepTokens;
}

/** The beacon's answer, built once: it is the same for every view. */
const NO_CONTENT_HEADERS = withSecurityHeaders({ "cache-control": "no-store" });

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
  // Built once: the view path reads a concept's cookie on every page view.
  const readers = new Map(
    concepts
      .filter((concept) => usesAbCookie(concept, deps.abCookie))
      .map((concept) => [
        concept.slug,
        assignmentReader(concept.slug, concept.variants, deps.splitSince.get(concept.slug) ?? EARLIEST_DAY),
      ]),
  );
  function conceptNamed(slug: unknown, lang: Lang, accepts: (concept: Concept) => boolean): Concept {
    const concept = typeof slug === "string" ? bySlug.get(slug) : undefined;
    if (!concept || !accepts(concept)) throw notFound({ concept: t(lang, "error.concept.unknown") });
    return concept;
  }
  const isLive = (concept: Concept) => concept.status === "live";
  const isBot = createBotFilter();
  // The wording next to the form and its version (a hash), per language: the same for every signup.
  const consents = new Map<Lang, { text: string; version: string }>();
  const consentIn = (lang: Lang) => {
    const consent = consents.get(lang) ?? consentOf(t(lang, "form.privacy"));
    consents.set(lang, consent);
    return consent;
  };

  /** A variant the request names must be one of the concept's; naming none is allowed. */
  function checkedVariant(concept: Concept, requested: string | undefined, lang: Lang): string | undefined {
    if (requested !== undefined && !concept.variants.some((variant) => variant.id === requested)) {
      throw badRequest({ variant: t(lang, "error.variant.unknown") });
    }
    return requested;
  }

  /**
   * The variant a view shows (the beacon always names it). Without one, a single-variant
   * concept's; on an A/B concept none (""): the idea counts the visitor, no arm does, as
   * with a signup.
   */
  function viewedVariant(concept: Concept, requested: string | undefined, lang: Lang): string {
    const [only, ...others] = concept.variants;
    return checkedVariant(concept, requested, lang) ?? (others.length === 0 && only ? only.id : "");
  }

  /** The visitor's A/B cookie for `concept`, unless the concept or site is cookieless or the visitor objected. */
  function assignmentOf(req: IncomingMessage, concept: Concept, today: string): Assignment | undefined {
    const read = readers.get(concept.slug);
    const cookie = req.headers.cookie;
    if (!read || cookie === undefined || optedOutOfAbCookie(cookie)) return undefined;
    return read(cookie, today);
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
      const concept = conceptNamed(raw.concept, guessedLang, isLive);
      if (!decision.allowed) {
        throw new SignupRejected(concept, { request: "error.rate_limited" }, raw, 429, {
          "retry-after": String(decision.retryAfter),
        });
      }
      const parsed = SignupInput.safeParse(raw);
      if (!parsed.success) throw new SignupRejected(concept, fieldErrors(parsed.error), raw);
      const input = parsed.data;
      const requested = checkedVariant(concept, input.variant, concept.lang);
      if (input.tier !== undefined && !tiersShown(concept, requested).some((tier) => tier.id === input.tier))
        throw new SignupRejected(concept, { tier: "error.tier.unknown" }, raw);
      let signupId: number | undefined;
      // A bot gets the same answer as a person, and nothing is stored.
      if (!looksAutomated(input)) {
        const at = now();
        const today = utcDay(at);
        const utm = pickUtm(input);
        const visitorHash = deps.visitorOf(req, client, concept.slug, at);
        const assignment = assignmentOf(req, concept, today);
        const only = concept.variants.length === 1 ? controlVariant(concept).id : undefined;
        const key = emailKey(input.email);
        const row = {
          concept: concept.slug,
          email: input.email,
          emailKey: key,
          throwaway: deps.isThrowaway(key),
          name: input.name || undefined,
          tier: input.tier,
          lang: concept.lang,
          visitorHash,
          createdAt: at,
          utm: kind === "form" && Object.keys(utm).length === 0 ? utmFromReferer(req) : utm,
          referrerHost: referrerHost(input.referrer),
        };
        const consent = consentIn(concept.lang);
        // The founder trying their own form: kept (and mailed), but their visit was not
        // counted, so neither is the signup (an A/B cookie from an earlier day would make it a return).
        const founder = deps.isFounder(req);
        // Attributed in the write's transaction, from the visits recorded for this visitor-day.
        signupId = await store.recordSignup(
          visitorHash,
          (visits) => {
            const attributed = attributeSignup({ requested, only, assignment, visits, today });
            const attribution: typeof attributed = founder ? { ...attributed, exposure: "none" } : attributed;
            const pagePath = attribution.variant
              ? variantPath(concept.slug, attribution.variant)
              : landingPath(concept.slug);
            return { ...row, ...attribution, consent: { ...consent, pagePath } };
          },
          concept.doubleOptIn ? (id) => deps.confirmationEmail(input.email, id) : undefined,
        );
        if (signupId !== undefined && concept.doubleOptIn) deps.onQueued();
      }
      // The same answer whether the address was new or already listed, or a bot's: nothing
      // leaks, the step token included (sealed on signup 0, it stores nothing).
      const step = hasSteps(concept) ? deps.steps.seal(signupId ?? 0, concept.slug) : undefined;
      if (wantsJson(req, kind)) sendJson(res, 201, { ok: true, ...(step ? { step } : {}) });
      else {
        const location = step ? stepsPath(concept.slug, concept.lang, step) : thanksPath(concept.slug, concept.lang);
        res.writeHead(303, withSecurityHeaders({ location, "cache-control": "no-store" }));
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
      const input = parsedInput(ViewInput, raw, lang);
      const concept = conceptNamed(input.concept, lang, isPublished);
      const variant = viewedVariant(concept, input.variant, lang);
      // Bots get the same 204 as people, so they have no reason to retry; and so does the page
      // of a paused or ended concept: nobody can sign up there, so its views would only
      // lower its conversion; and so does the founder looking at their own page.
      if (isLive(concept) && !isBot(req.headers["user-agent"]) && !deps.isFounder(req)) {
        const at = now();
        const day = utcDay(at);
        const { served } = input;
        // Answered after its batch's commit: a view acknowledged is a view stored.
        await store.recordView({
          concept: concept.slug,
          variant,
          visitorHash: deps.visitorOf(req, client, concept.slug, at),
          day,
          createdAt: at,
          served,
          exposure: exposureOf(assignmentOf(req, concept, day), { variant, served, day }),
          utm: pickUtm(input),
          referrerHost: referrerHost(input.referrer),
        });
      }
      res.writeHead(204, NO_CONTENT_HEADERS);
      res.end();
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error);
      throw error;
    }
  }

  /**
   * The objection to the A/B cookie, one click, no JavaScript: clears every A/B cookie (and the
   * /try/ one) the browser sent, keeps only the flag that records the objection, and goes back
   * to the page it was made on.
   */
  async function abOptOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const lang = langFromAcceptLanguage(req.headers["accept-language"]);
      const raw = parseBody(
        bodyKind(req.headers["content-type"]),
        await readBody(req),
        t(lang, "error.request.invalid"),
      );
      const input = parsedInput(AbOptOutInput, raw, lang);
      const concept = conceptNamed(input.concept, lang, isPublished);
      res.writeHead(
        303,
        withSecurityHeaders({
          location: optedOutPath(concept.slug, input.entry ?? "page"),
          "set-cookie": optOutCookies(req.headers.cookie, deps.secureCookies(req)),
          "cache-control": "no-store",
        }),
      );
      res.end();
    } catch (error) {
      if (error instanceof HttpError && error.status === 404 && !wantsJson(req, "form"))
        return sendHtml(res, 404, deps.notFoundHtml());
      if (error instanceof HttpError) return sendError(res, error);
      throw error;
    }
  }

  return { signup, view, abOptOut };
}

/** A beacon's or a small form's input: a missing or malformed concept is a 404, any other problem a 400 naming its fields. */
export function parsedInput<T>(schema: z.ZodType<T>, raw: unknown, lang: Lang): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error);
  if (errors.concept) throw notFound({ concept: t(lang, "error.concept.unknown") });
  throw badRequest(localise(lang, errors));
}

export function localise(lang: Lang, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, key]: [string, MessageKey]) => [field, t(lang, key)]));
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(
    status,
    withSecurityHeaders({
      ...headers,
      "content-security-policy": contentSecurityPolicy(html),
      "content-type": "text/html; charset=utf-8",
      "content-length": Buffer.byteLength(html),
      "cache-control": "no-store",
    }),
  );
  res.end(html);
}
