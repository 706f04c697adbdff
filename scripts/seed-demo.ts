/**
 * `npm run seed:demo [-- --days 42 --seed 7 --now 2026-11-25T12:00:00Z --force]`: fills DATABASE_PATH with simulated
 * traffic up to now. Refuses a database with real visitors or signups unless --force.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv } from "../src/server/env";
import { createApp } from "../src/server/runtime";
import { countRealRows, seedDemoTraffic } from "../src/server/store/demo-seed";
import { parseFlags, runMain, UsageError } from "./lib/cli";
import { progressBar } from "./lib/progress";

const Flags = z.object({
  days: z.coerce.number().int().min(7).max(365).default(42),
  seed: z.coerce.number().int().min(0).default(7),
  force: z.boolean().default(false),
  /** The simulated "now" (ISO 8601), for reproducible demos and tests; default: the clock. */
  now: z.iso.datetime({ offset: true, error: "use an ISO date-time such as 2026-11-25T12:00:00Z" }).optional(),
});

runMain(async () => {
  const { values } = parseArgs({
    options: {
      days: { type: "string" },
      seed: { type: "string" },
      force: { type: "boolean" },
      now: { type: "string" },
    },
    strict: true,
  });
  const flags = parseFlags(Flags, values);
  // The concepts are the build's (the pages that exist), read by the same factory as the server's.
  const { db, concepts, now, settings } = await createApp(parseEnv());
  const file = settings.databaseFile;
  const real = countRealRows(db);
  if (real > 0 && !flags.force) {
    throw new UsageError(
      `${file} holds ${real} real visitors or signups; demo traffic would mix with them.\n` +
        "Seed a separate file (DATABASE_PATH=./data/demo.db npm run seed:demo) or pass --force.",
    );
  }
  const bar = progressBar("Seeding demo traffic", flags.days);
  const summary = seedDemoTraffic(
    db,
    concepts,
    { now: flags.now ? new Date(flags.now) : now(), days: flags.days, seed: flags.seed },
    (done, total) => bar.update(done, `${done}/${total} days`),
  );
  bar.done();
  db.$client.close();
  console.log(
    `Seeded ${file}: ${summary.views} views (first visits, return visits, visitor-days) and ${summary.signups} signups over ${summary.days} days.`,
  );
});
