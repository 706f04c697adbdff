/**
 * On-demand requests only: refuse cross-site writes (our own Origin check, which knows
 * about reverse proxies: Astro's built-in one is turned off in astro.config.mjs), then
 * fill `locals.isAdmin` from the session cookie; last, give pages their CSP.
 */
import { defineMiddleware, sequence } from "astro:middleware";
import { SESSION_COOKIE } from "./domain/admin-session";
import { contentSecurityPolicy } from "./domain/csp";
import { isAdminSession } from "./server/admin-sessions";
import { isAllowedOrigin } from "./server/origin";
import { siteDatabase, siteSettings } from "./server/site-settings";

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

/** On-demand HTML gets a Content-Security-Policy allowing exactly its own inline styles and scripts. */
const addContentSecurityPolicy = defineMiddleware(async ({ isPrerendered }, next) => {
  const response = await next();
  if (isPrerendered || !response.headers.get("content-type")?.includes("text/html")) return response;
  const html = await response.text();
  const headers = new Headers(response.headers);
  headers.set("content-security-policy", contentSecurityPolicy(html));
  return new Response(html, { status: response.status, statusText: response.statusText, headers });
});

export const onRequest = sequence(refuseCrossSite, readAdminSession, addContentSecurityPolicy);
