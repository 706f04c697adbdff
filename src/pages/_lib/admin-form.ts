/** The admin's form POSTs: signed in or sent to the login page, the form read with its zod schema or a 400. */
import type { z } from "zod";

export type AdminForm<T> = { ok: true; data: T } | { ok: false; response: Response };

const badRequest = (errors: Record<string, string>) =>
  new Response(JSON.stringify({ ok: false, errors }), {
    status: 400,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

export async function readAdminForm<Schema extends z.ZodType>(
  locals: App.Locals,
  request: Request,
  schema: Schema,
): Promise<AdminForm<z.infer<Schema>>> {
  // As the admin pages do for a GET: no session, no answer but the way to sign in.
  if (!locals.isAdmin)
    return { ok: false, response: new Response(null, { status: 303, headers: { location: "/admin/login" } }) };
  // The edge has bounded the body and checked its type; an empty or broken one reads as no fields.
  const form = await request.formData().catch(() => new FormData());
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    response: badRequest(Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]))),
  };
}

/** Back to a concept's page, at its share links. */
export const toShareLinks = (slug: string) =>
  new Response(null, { status: 303, headers: { location: `/admin/c/${encodeURIComponent(slug)}#share-links` } });
