/**
 * The HTTP server: the ingestion routes run on bare node:http, everything else (static
 * files, prerendered pages, admin) goes to Astro's handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "../domain/csp";
import { HttpError, methodNotAllowed, sendError, sendJson } from "./http";
import type { StaticPages } from "./static-pages";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface AppDeps {
  ingest: { signup: Handler; view: Handler };
  pages: Pick<StaticPages, "handle">;
  astroHandler: (req: IncomingMessage, res: ServerResponse) => unknown;
  logError: (message: string) => void;
}

export function createAppServer({ ingest, pages, astroHandler, logError }: AppDeps): Server {
  const routes: Record<string, Handler> = { "/api/signup": ingest.signup, "/api/view": ingest.view };

  return createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const route = routes[path];
    if (!route) {
      if (path === "/healthz") return sendJson(res, 200, { ok: true });
      if (pages.handle(req, res, path)) return;
      return void astroHandler(req, res);
    }
    if (req.method !== "POST") return sendError(res, methodNotAllowed("POST"));
    route(req, res).catch((error: unknown) => {
      // Client mistakes are HttpErrors answered by the routes; anything else is our bug.
      logError(
        `${req.method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent) sendError(res, new HttpError(500, { request: "internal error" }));
      else res.destroy();
    });
  });
}
