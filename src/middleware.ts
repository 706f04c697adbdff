/** Fills `locals.isAdmin` from the session cookie on on-demand requests; nothing else. */
import { defineMiddleware } from "astro:middleware";
import { isValidSessionToken, SESSION_COOKIE } from "./domain/admin-session";
import { adminSettings } from "./server/admin-settings";

export const onRequest = defineMiddleware((context, next) => {
  context.locals.isAdmin =
    !context.isPrerendered &&
    isValidSessionToken(adminSettings().sessionKey, context.cookies.get(SESSION_COOKIE)?.value, new Date());
  return next();
});
