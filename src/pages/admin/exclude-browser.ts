/** POST /admin/exclude-browser (exclude=on|off): the founder's switch, this browser's visits left out of the counts or counted again. */
import type { APIRoute } from "astro";
import { ExcludeBrowserForm, exclusionCookie } from "../../domain/founder-visits";
import { readAdminForm } from "../_lib/admin-form";

export const prerender = false;

export const POST: APIRoute = async ({ locals, request }) => {
  const form = await readAdminForm(locals, request, ExcludeBrowserForm);
  if (!form.ok) return form.response;
  return new Response(null, {
    status: 303,
    headers: {
      location: `${form.data.back}#exclude-browser`,
      "set-cookie": exclusionCookie(form.data.exclude === "on", locals.secureCookies),
      "cache-control": "no-store",
    },
  });
};
