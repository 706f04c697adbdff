/**
 * `npm run plan -- <slug> [--visitors-per-day N]`: how long until a verdict, for one concept
 * of the build, with the rules the verdicts use (src/domain/planner.ts). At the traffic of
 * the last 7 days in DATABASE_PATH, or at N visitors a day (before a concept has traffic).
 * Exit code 0 when the test can conclude before its deadline, 2 when it cannot, 1 on an error.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { verdictWindow } from "../src/domain/decision";
import { adminPeriodAt } from "../src/domain/experiment-report";
import { composePlan } from "../src/domain/planner";
import { parseEnv } from "../src/server/env";
import { createApp } from "../src/server/runtime";
import { gatherConceptPage } from "../src/server/store/activity";
import { conceptArgument, parseFlags, runMain } from "./lib/cli";

const Flags = z.object({
  "visitors-per-day": z.coerce
    .number("use a number of visitors, such as 120")
    .positive("use a number of visitors above 0, such as 120")
    .max(10_000_000, "use at most 10,000,000")
    .optional(),
});

/** "Not in time" is an answer a script can test for, distinct from a failure. */
const NOT_IN_TIME = 2;

runMain(async () => {
  const { values, positionals } = parseArgs({
    options: { "visitors-per-day": { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const flags = parseFlags(Flags, values);
  const app = await createApp(parseEnv(), { log: () => {} });
  const concept = conceptArgument(
    positionals,
    app.concepts,
    app.settings.buildDir,
    "npm run plan -- <slug> [--visitors-per-day N]",
  );
  const period = adminPeriodAt({}, app.now());
  const data = gatherConceptPage(app.db, concept, period);
  const testWindow = verdictWindow(data.testStart, concept.successCriteria, period.lastDay);
  const plan = composePlan(concept, data, { today: period.today, testWindow }, flags["visitors-per-day"]);
  app.db.$client.close();

  const width = Math.max(...plan.lines.map((line) => line.label.length));
  console.log(`${concept.title} (${concept.slug}, ${concept.status})\n`);
  console.log(plan.summary);
  for (const line of plan.lines) console.log(`  ${line.label.padEnd(width)}  ${line.text}`);
  if (plan.changes.length > 0)
    console.log(`\nWhat would change that:\n${plan.changes.map((c) => `  - ${c}`).join("\n")}`);
  if (!plan.figures.inTime) process.exitCode = NOT_IN_TIME;
});
