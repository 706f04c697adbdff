/** POST /admin/share-links/revoke (id): the link stops opening at once (checked on every open). */
import type { APIRoute } from "astro";
import { RevokeShareLinkForm } from "../../../domain/share-link";
import { revokeShareLink } from "../../../server/store/share-links";
import { readAdminForm, toShareLinks } from "../../_lib/admin-form";

export const prerender = false;

export const POST: APIRoute = async ({ locals, request }) => {
  const form = await readAdminForm(locals, request, RevokeShareLinkForm);
  if (!form.ok) return form.response;
  const concept = revokeShareLink(locals.app.db, form.data.id, locals.app.now());
  if (!concept) return new Response("No such link", { status: 404 });
  return toShareLinks(concept);
};
