/**
 * On-demand requests only: refuse cross-site writes (our own Origin check, which knows
 * about reverse proxies: Astro's built-in one is turned off in astro.config.mjs), then
 * fill `locals.isAdmin` from the session cookie; last, give pages their CSP. The edge
 * (src/server/http/server.ts) has already put the client's address and the build's style hashes
 * in `locals`.
 */
import { defineMiddleware, sequence } from "astro:middleware";
import { SESSION_COOKIE } from "./domain/admin-session";
import { onDemandPolicy } from "./domain/csp";
import { isAllowedOrigin } from "./server/http/origin";
import { siteDatabase, siteSettings } from "./server/site-settings";
import { isAdminSession } from "./server/store/admin-sessions";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const refuseCrossSite = defineMiddleware(({ request, isPrerendered }, next) => {
  if (isPrerendered || SAFE_METHODS.has(request.method)) return next();
  const headers = {
    origin: request.headers.get("origin") ?? undefined,
    host: request.headers.get("host") ?? undefined,
    forwardedHost: request.headers.get("x-forwarded-host") ?? undefined,
  };
  if (isAllowedOrigin(headers, siteSettings())) return next();
  return new Response("Cross-site requests are not accepted.", { status: 403 });
});

const readAdminSession = defineMiddleware((context, next) => {
  context.locals.isAdmin =
    !context.isPrerendered &&
    isAdminSession(siteDatabase(), siteSettings().session, context.cookies.get(SESSION_COOKIE)?.value, new Date());
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
  headers.set("content-security-policy", onDemandPolicy(locals.buildStyleHashes ?? []));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});

export const onRequest = sequence(refuseCrossSite, readAdminSession, addContentSecurityPolicy);
