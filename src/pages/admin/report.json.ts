/**
 * GET /admin/report.json[?from=YYYY-MM-DD&to=YYYY-MM-DD]: every published concept with its
 * verdict, variants and plan (src/domain/report.ts), for a signed-in founder only. The
 * dates choose the descriptive counts, as on the pages; verdicts read the whole test.
 */
import type { APIRoute } from "astro";
import { DateRangeQuery, parseDateRange } from "../../domain/analytics";
import { utcDay } from "../../domain/calendar";
import { adminPeriodAt } from "../../domain/experiment-report";
import { composeReport } from "../../domain/report";
import { gatherReport } from "../../server/store/report";

export const prerender = false;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

export const GET: APIRoute = ({ locals, url }) => {
  if (!locals.isAdmin) return json(401, { ok: false, error: "Sign in at /admin/login first." });
  const query = DateRangeQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const errors = Object.fromEntries(query.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    return json(400, { ok: false, errors });
  }
  const now = locals.app.now();
  const { range } = parseDateRange(url.searchParams, utcDay(now));
  const period = adminPeriodAt(range, now);
  return json(
    200,
    composeReport(locals.app.concepts, gatherReport(locals.app.db, locals.app.concepts, period), period),
  );
};
