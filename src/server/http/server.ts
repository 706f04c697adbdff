/**
 * The HTTP server, and the edge every request passes first: the method and the body
 * (size and content type) are checked here, before any route reads a byte, and the
 * client's address is computed here once and handed to every route, and every POST passes
 * the Origin check here. The ingestion routes
 * run on bare node:http; the on-demand pages go to Astro's handler (with the body already
 * read, bounded, and the address in `locals`); prerendered pages, assets and the 404 are
 * served from memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "../../domain/csp";
import type { App } from "../runtime";
import { isAllowedOrigin, originHeaders } from "./origin";
import type { StaticPages } from "./static-pages";
import {
  BODY_LIMIT_BYTES,
  clientAddress,
  drainBody,
  forbidden,
  HttpError,
  methodNotAllowed,
  readBody,
  sendError,
  sendJson,
  unsupportedMediaType,
} from "./toolkit";

type Handler = (req: IncomingMessage, res: ServerResponse, client: string) => Promise<void>;

/** What the edge hands to Astro's pages (typed in src/env.d.ts as App.Locals; the middleware adds the rest). */
export interface EdgeLocals {
  /** The composition root's App: database, concepts, clock, settings, limits, mailer. */
  app: App;
  /** The client's address, from the socket (or the proxy's last hop with TRUST_PROXY). */
  clientAddress: string;
  /** CSP hashes of the build's inline styles, for the pages Astro renders on demand. */
  buildStyleHashes: readonly string[];
}

export type AstroHandler = (req: IncomingMessage, res: ServerResponse, next: () => void, locals: EdgeLocals) => unknown;

export interface HttpServerDeps {
  app: App;
  ingest: { signup: Handler; view: Handler; abOptOut: Handler };
  /** The intent ladder's routes (ladder.ts): the tier click and the thank-you step. */
  ladder: { tier: Handler; answer: Handler; interview: Handler; reserve: Handler };
  pages: Pick<StaticPages, "handle" | "notFound">;
  astroHandler: AstroHandler;
  /** CSP hashes of the build's inline styles (computed once from the build, see inlineStylesOfBuild). */
  buildStyleHashes: readonly string[];
  /** Time limits and the connection cap of the server (ServerLimits; defaults in DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  /** The request line and headers must arrive within this (Node's default: 60 s). */
  headersTimeoutMs: number;
  /** The whole request must arrive within this (Node's default: 300 s). */
  requestTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1_000,
};

const SECURITY_HEADER_ENTRIES = Object.entries(SECURITY_HEADERS);

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

/** The POST routes, the body types each accepts and, where it differs, its body limit. Nothing else is posted to. */
const POST_ROUTES: Record<string, { accepts: readonly string[]; maxBytes?: number }> = {
  "/api/signup": { accepts: [JSON_TYPE, FORM] },
  // Beacons send JSON as text/plain to avoid a CORS preflight.
  "/api/view": { accepts: [JSON_TYPE, FORM, "text/plain"] },
  "/api/ab-opt-out": { accepts: [FORM] },
  // A tier click with JavaScript is a beacon too; without, a form.
  "/api/tier": { accepts: [JSON_TYPE, FORM, "text/plain"] },
  "/api/answer": { accepts: [JSON_TYPE, FORM] },
  "/api/interview": { accepts: [JSON_TYPE, FORM] },
  "/api/reserve": { accepts: [JSON_TYPE, FORM] },
  "/admin/login": { accepts: [FORM] },
  "/admin/logout": { accepts: [FORM] },
  "/admin/exclude-browser": { accepts: [FORM] },
  "/admin/share-links": { accepts: [FORM] },
  "/admin/share-links/revoke": { accepts: [FORM] },
  // An announcement's Markdown (20,000 characters, percent-encoded: up to 9 bytes each).
  "/admin/announcements": { accepts: [FORM], maxBytes: 192 * 1024 },
  "/api/resend-confirmation": { accepts: [FORM] },
  "/api/confirm": { accepts: [FORM] },
  // RFC 8058: a mail provider's one-click POST should be multipart/form-data.
  "/api/unsubscribe": { accepts: [FORM, "multipart/form-data"] },
};

const mimeOf = (contentType: string | undefined) => (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** A body-less request (a form with no fields) may come without a Content-Type. */
const hasNoBody = (req: IncomingMessage) =>
  req.headers["content-length"] === "0" ||
  (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined);

export function createHttpServer({
  app,
  ingest,
  ladder,
  pages,
  astroHandler,
  buildStyleHashes,
  limits = {},
}: HttpServerDeps): Server {
  const { logError } = app;
  const { origin } = app.settings;
  const locals = (client: string): EdgeLocals => ({ app, clientAddress: client, buildStyleHashes });
  const { headersTimeoutMs, requestTimeoutMs, maxConnections } = { ...DEFAULT_SERVER_LIMITS, ...limits };
  const ingestRoutes: Record<string, Handler> = {
    "/api/signup": ingest.signup,
    "/api/view": ingest.view,
    "/api/ab-opt-out": ingest.abOptOut,
    "/api/tier": ladder.tier,
    "/api/answer": ladder.answer,
    "/api/interview": ladder.interview,
    "/api/reserve": ladder.reserve,
  };

  const ingestPaths = new Set(Object.keys(ingestRoutes));

  const fail = (req: IncomingMessage, path: string, error: unknown, res: ServerResponse) => {
    if (error instanceof HttpError) {
      // Refused before its body was read (405, 415, 403): drop the body first, as readBody does.
      if (req.complete) return sendError(res, error);
      void drainBody(req).then((drained) => {
        sendError(res, error);
        if (!drained) res.once("finish", () => req.socket.destroy());
      });
      return;
    }
    // Client mistakes are HttpErrors answered by the routes; anything else is our bug.
    logError(
      `${req.method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    if (!res.headersSent) sendError(res, new HttpError(500, { request: "internal error" }));
    else res.destroy();
  };

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const client = clientAddress(req, origin.trustProxy);
    const method = req.method ?? "";
    const post = POST_ROUTES[path];
    if (method === "GET" || method === "HEAD") {
      if (path === "/healthz") return sendJson(res, 200, { ok: true });
      if (ingestRoutes[path]) throw methodNotAllowed("POST");
      if (pages.handle(req, res, path, client)) return;
      return void astroHandler(req, res, () => pages.notFound(req, res), locals(client));
    }
    if (method !== "POST") throw methodNotAllowed(post ? "GET, HEAD, POST" : "GET, HEAD");
    if (!post) throw methodNotAllowed("GET, HEAD");
    if (!post.accepts.includes(mimeOf(req.headers["content-type"])) && !hasNoBody(req))
      throw unsupportedMediaType(post.accepts);
    // Every POST, to the ingestion routes and to Astro's pages alike, passes the one Origin check.
    if (!isAllowedOrigin(originHeaders(req), origin)) throw forbidden("cross-site requests are not accepted");
    const route = ingestRoutes[path];
    if (route) return route(req, res, client);
    // Astro's pages get the body already read, whole and bounded (the node adapter uses req.body when set).
    (req as IncomingMessage & { body?: Buffer }).body = await readBody(req, post.maxBytes ?? BODY_LIMIT_BYTES);
    return void astroHandler(req, res, () => pages.notFound(req, res), locals(client));
  }

  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    // The ingestion routes send them with their answer (withSecurityHeaders); every other response gets them here.
    if (!ingestPaths.has(path)) for (const [name, value] of SECURITY_HEADER_ENTRIES) res.setHeader(name, value);
    handle(req, res, path).catch((error: unknown) => fail(req, path, error, res));
  });
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  server.maxConnections = maxConnections;
  return server;
}
