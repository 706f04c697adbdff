/** POST /admin/logout: ends the session on the server (every session issued until now), not only in the browser. */
import type { APIRoute } from "astro";
import { SESSION_COOKIE } from "../../domain/admin-session";
import { endAdminSessions } from "../../server/store/admin-sessions";

export const prerender = false;

export const POST: APIRoute = ({ cookies, locals, redirect }) => {
  // Only a signed-in admin may end the sessions: a stranger's POST must not sign the admin out.
  if (locals.isAdmin) endAdminSessions(locals.app.db, locals.app.now());
  cookies.delete(SESSION_COOKIE, { path: "/" });
  return redirect("/admin/login", 303);
};
