/** POST /admin/share-links (concept, days): makes a read-only link to that concept's report, open for `days` days. */
import type { APIRoute } from "astro";
import { CreateShareLinkForm, SHARE_DAY_MS } from "../../../domain/share-link";
import { createShareLink } from "../../../server/store/share-links";
import { readAdminForm, toShareLinks } from "../../_lib/admin-form";

export const prerender = false;

export const POST: APIRoute = async ({ locals, request }) => {
  const form = await readAdminForm(locals, request, CreateShareLinkForm);
  if (!form.ok) return form.response;
  const { app } = locals;
  const concept = app.concepts.find((c) => c.slug === form.data.concept);
  if (!concept) return new Response("No such concept", { status: 404 });
  const now = app.now();
  createShareLink(app.db, {
    concept: concept.slug,
    createdAt: now,
    expiresAt: new Date(now.getTime() + form.data.days * SHARE_DAY_MS),
  });
  return toShareLinks(concept.slug);
};
