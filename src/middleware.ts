/**
 * On-demand requests only: fills typed `locals` — whether the request carries a valid
 * admin session, whether the founder excluded this browser from the counts, whether its
 * cookies must be Secure — and gives the page its CSP. The edge
 * (src/server/http/server.ts) has already checked the Origin of every POST and put the
 * App, the client's address and the build's style hashes in `locals`.
 */
import { defineMiddleware, sequence } from "astro:middleware";
import { SESSION_COOKIE } from "./domain/admin-session";
import { onDemandPolicy } from "./domain/csp";
import { isExcludedBrowser } from "./domain/founder-visits";
import { isHttps } from "./server/http/origin";
import { isAdminSession } from "./server/store/admin-sessions";

/** Under `astro dev` no composition root runs: on-demand pages need `npm start`. */
const requireApp = defineMiddleware(({ isPrerendered, locals }, next) => {
  if (isPrerendered || (locals as Partial<App.Locals>).app) return next();
  return new Response("racine's admin and email pages need the server: start it with `npm start`.", {
    status: 503,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
});

const readRequest = defineMiddleware((context, next) => {
  const { app } = context.locals;
  if (context.isPrerendered) {
    context.locals.isAdmin = false;
    context.locals.excludedBrowser = false;
    return next();
  }
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  context.locals.isAdmin = isAdminSession(app.db, app.session, token, app.now());
  context.locals.excludedBrowser = isExcludedBrowser(context.request.headers.get("cookie") ?? undefined);
  context.locals.secureCookies = isHttps(
    app.settings.origin,
    context.request.headers.get("x-forwarded-proto") ?? undefined,
  );
  return next();
});

/**
 * On-demand HTML gets a Content-Security-Policy made from what the build knows (its inline
 * styles, hashed once by the edge; no inline script), never from what the page rendered.
 */
const addContentSecurityPolicy = defineMiddleware(async ({ isPrerendered, locals }, next) => {
  const response = await next();
  if (isPrerendered || !response.headers.get("content-type")?.includes("text/html")) return response;
  const headers = new Headers(response.headers);
  headers.set("content-security-policy", onDemandPolicy(locals.buildStyleHashes));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});

export const onRequest = sequence(requireApp, readRequest, addContentSecurityPolicy);
