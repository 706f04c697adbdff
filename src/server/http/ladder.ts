/**
 * The intent ladder's routes on bare node:http, beside the ingestion path (ingest.ts):
 * POST /api/tier (a fake-door tier click, counted like a view) and the thank-you step's
 * POST /api/answer, /api/interview and /api/reserve, each allowed only to the signup whose
 * step token it carries. JSON gets JSON (4xx with a message per field); a form (no
 * JavaScript) gets a redirect to the page that shows the result. Each reads as parse →
 * authorise → record → respond.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database } from "../../../db/client";
import { utcDay } from "../../domain/calendar";
import { type Concept, controlVariant, isPublished } from "../../domain/concept";
import type { Served } from "../../domain/experiment-report";
import { langFromAcceptLanguage, type MessageKey, t } from "../../domain/i18n";
import {
  ANSWER_MESSAGES,
  answerSchema,
  InterviewInput,
  ReservationInput,
  TierClickInput,
  tiersShown,
} from "../../domain/ladder-steps";
import { stepsPath, tierPath } from "../../domain/paths";
import { fieldErrors } from "../../domain/signup";
import type { StepTokens } from "../../domain/step-token";
import { isBot } from "../../domain/visitor";
import { answerSignup, recordInterview, recordReservation, recordTierClick } from "../store/ladder";
import type { FounderCheck } from "./founder";
import { parsedInput } from "./ingest";
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

export interface LadderDeps {
  db: Database;
  concepts: readonly Concept[];
  steps: StepTokens;
  visitorOf: VisitorIdentity;
  rateLimit: RateLimits;
  now: () => Date;
  /** The founder's own browser: its tier clicks are not counted either. */
  isFounder: FounderCheck;
}

/** A refusal of a step in the concept's language: JSON with its status, or the page again with the message. */
class StepRefused extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    readonly key: MessageKey,
    readonly back?: { concept: Concept; token: string },
  ) {
    super("step refused");
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, "cache-control": "no-store" });
  res.end();
}

/** How a page without JavaScript was served, from its URL in Referer (the form cannot know it). */
function servedFromReferer(req: IncomingMessage): Served {
  try {
    const path = new URL(req.headers.referer ?? "").pathname;
    return path.startsWith("/try") ? "try" : path.includes("/v/") ? "direct" : "split";
  } catch {
    return "split";
  }
}

export function createLadder(deps: LadderDeps) {
  const { db, now } = deps;
  const bySlug = new Map(deps.concepts.filter(isPublished).map((concept) => [concept.slug, concept]));

  /** JSON gets 200 and the message; a form, a 303 to the page that shows it (a GET: reloading sends nothing again). */
  function respond(req: IncomingMessage, res: ServerResponse, kind: BodyKind, location: string, json: object): void {
    if (wantsJson(req, kind)) sendJson(res, 200, { ok: true, ...json });
    else redirect(res, location);
  }

  async function readInput(req: IncomingMessage, client: string, allowTextPlain = false) {
    const kind = bodyKind(req.headers["content-type"], { allowTextPlain });
    const decision = deps.rateLimit("view", client, now().getTime());
    if (!decision.allowed) throw tooManyRequests(decision.retryAfter);
    const lang = langFromAcceptLanguage(req.headers["accept-language"]);
    return { kind, lang, raw: parseBody(kind, await readBody(req), t(lang, "error.request.invalid")) };
  }

  /**
   * A click on a fake-door tier: stored once per visitor-day and tier (like a view: the
   * visitor hash, the day, the variant shown, how it was served), then the join form
   * remembers the tier — in place with JavaScript, at the tier's own join page without.
   */
  async function tier(req: IncomingMessage, res: ServerResponse, client: string): Promise<void> {
    try {
      const { kind, lang, raw } = await readInput(req, client, true);
      const input = parsedInput(TierClickInput, raw, lang);
      const concept = bySlug.get(input.concept);
      if (concept?.status !== "live") throw notFound({ concept: t(lang, "error.concept.unknown") });
      const variant = input.variant ?? (concept.variants.length === 1 ? controlVariant(concept).id : undefined);
      if (variant !== undefined && !concept.variants.some((candidate) => candidate.id === variant))
        throw badRequest({ variant: t(concept.lang, "error.variant.unknown") });
      if (!tiersShown(concept, variant).some((shown) => shown.id === input.tier))
        throw badRequest({ tier: t(concept.lang, "error.tier.unknown") });
      // Bots and the founder get the same answer as people and are not counted, as with views.
      if (!isBot(req.headers["user-agent"]) && !deps.isFounder(req)) {
        const at = now();
        recordTierClick(db, {
          concept: concept.slug,
          variant: variant ?? "",
          tier: input.tier,
          visitorHash: deps.visitorOf(req, client, concept.slug, at),
          day: utcDay(at),
          served: input.served ?? servedFromReferer(req),
          createdAt: at,
        });
      }
      if (wantsJson(req, kind)) {
        res.writeHead(204, { "cache-control": "no-store" });
        res.end();
      } else redirect(res, `${tierPath(concept.slug, variant ?? controlVariant(concept).id, input.tier)}#join`);
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error);
      throw error;
    }
  }

  /** The signup a step token names and its concept; a refusal in the right language otherwise. */
  function authorise(raw: Record<string, unknown>) {
    const token = typeof raw.step === "string" ? raw.step : "";
    const check = deps.steps.open(token);
    const concept = check.ok || check.reason === "expired" ? bySlug.get(check.concept) : undefined;
    if (!concept) throw new StepRefused(400, "step", "error.step.invalid");
    if (!check.ok) throw new StepRefused(410, "step", "error.step.expired", { concept, token });
    return { concept, signupId: check.signupId, token };
  }

  /** Parse → authorise → record → respond, for the three steps of the thank-you page. */
  function stepRoute(
    record: (
      concept: Concept,
      signupId: number,
      raw: Record<string, unknown>,
      refuse: (status: number, field: string, key: MessageKey) => StepRefused,
    ) => MessageKey,
  ) {
    return async (req: IncomingMessage, res: ServerResponse, client: string): Promise<void> => {
      let kind: BodyKind = "json";
      try {
        const input = await readInput(req, client);
        kind = input.kind;
        const { concept, signupId, token } = authorise(input.raw);
        const refuse = (status: number, field: string, key: MessageKey) =>
          new StepRefused(status, field, key, { concept, token });
        // Signup 0 (a repeat signup, a bot): the same answers, nothing stored.
        const said = record(concept, signupId, input.raw, refuse);
        respond(req, res, kind, stepsPath(concept.slug, concept.lang, token, said), {
          message: t(concept.lang, said),
        });
      } catch (error) {
        if (!(error instanceof StepRefused)) {
          if (error instanceof HttpError) return sendError(res, error);
          throw error;
        }
        const { back } = error;
        const lang = back?.concept.lang ?? langFromAcceptLanguage(req.headers["accept-language"]);
        if (back && !wantsJson(req, kind)) {
          // The page reads the token again: an expired one shows why its forms are gone.
          const said = error.field === "step" ? undefined : error.key;
          return redirect(res, stepsPath(back.concept.slug, back.concept.lang, back.token, said));
        }
        sendJson(res, error.status, { ok: false, errors: { [error.field]: t(lang, error.key) } });
      }
    };
  }

  const answer = stepRoute((concept, signupId, raw, refuse) => {
    const { question } = concept;
    if (!question) throw refuse(404, "answer", "error.step.unavailable");
    const parsed = answerSchema(question).safeParse(raw);
    if (!parsed.success) {
      const [field = "answer", key = "error.field.invalid"] = Object.entries(fieldErrors(parsed.error))[0] ?? [];
      throw refuse(400, field === "step" ? "step" : "answer", key);
    }
    const outcome = signupId === 0 ? "saved" : (answerSignup(db, signupId, parsed.data.answer, now()) ?? "saved");
    if (outcome === "locked") throw refuse(409, "answer", ANSWER_MESSAGES.locked);
    return ANSWER_MESSAGES[outcome];
  });

  const interview = stepRoute((concept, signupId, raw, refuse) => {
    if (!concept.interview) throw refuse(404, "step", "error.step.unavailable");
    const parsed = InterviewInput.safeParse(raw);
    if (!parsed.success) {
      const [, key = "error.field.invalid"] = Object.entries(fieldErrors(parsed.error))[0] ?? [];
      throw refuse(400, "when", key);
    }
    if (signupId !== 0) recordInterview(db, signupId, parsed.data.when, now());
    return "interview.done";
  });

  const reserve = stepRoute((concept, signupId, raw, refuse) => {
    if (!concept.reservation) throw refuse(404, "step", "error.step.unavailable");
    if (!ReservationInput.safeParse(raw).success) throw refuse(400, "step", "error.step.invalid");
    if (signupId !== 0) recordReservation(db, signupId, now());
    return "reserve.done";
  });

  return { tier, answer, interview, reserve };
}
