/** GET /admin/export.csv: every signup as an Excel-safe CSV file, for a signed-in founder only. */

import type { APIRoute } from "astro";
import { utcDay } from "../../domain/calendar";
import { signupCsvLines } from "../../server/store/data-rights";

export const prerender = false;

export const GET: APIRoute = ({ locals }) => {
  if (!locals.isAdmin) {
    return new Response("Sign in at /admin/login first.", { status: 401, headers: { "content-type": "text/plain" } });
  }
  const lines = signupCsvLines(locals.app.db, locals.app.concepts);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const day = utcDay(locals.app.now());
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="racine-signups-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
};
