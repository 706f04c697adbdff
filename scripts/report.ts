/**
 * `npm run report [-- --json --from YYYY-MM-DD --to YYYY-MM-DD]`: every published concept of
 * the build with its verdict, variants and plan, from DATABASE_PATH — the same report as
 * /admin/report.json (src/domain/report.ts). A compact table per concept, or JSON.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { DateRangeQuery, parseDateRange } from "../src/domain/analytics";
import { utcDay } from "../src/domain/calendar";
import { adminPeriodAt } from "../src/domain/experiment-report";
import { composeReport, formatReport } from "../src/domain/report";
import { parseEnv } from "../src/server/env";
import { createApp } from "../src/server/runtime";
import { gatherReport } from "../src/server/store/report";
import { parseFlags, runMain } from "./lib/cli";

const Flags = z.object({ json: z.boolean().default(false) }).and(DateRangeQuery);

runMain(async () => {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, from: { type: "string" }, to: { type: "string" } },
    strict: true,
  });
  const flags = parseFlags(Flags, values);
  const app = await createApp(parseEnv(), { log: () => {} });
  const now = app.now();
  const query = new URLSearchParams();
  if (flags.from) query.set("from", flags.from);
  if (flags.to) query.set("to", flags.to);
  const { range, notice } = parseDateRange(query, utcDay(now));
  if (notice) console.error(notice);
  const period = adminPeriodAt(range, now);
  const report = composeReport(app.concepts, gatherReport(app.db, app.concepts, period), period);
  app.db.$client.close();
  console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
});
