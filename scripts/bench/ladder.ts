/**
 * `npx tsx scripts/bench/ladder.ts [FILE]`: what the intent ladder costs the admin pages on
 * a big database (1M views, 100k signups, every rung filled and tier clicks: see
 * generateLargeDatabase), built once into FILE and reused (migrated first, should the
 * schema have moved on). Times the overview's and each concept page's gathering, median
 * of 7, with each concept judged on signups and on every other rung: the rungs are read
 * from the raw rows, the signups from the rollups.
 */
import { existsSync } from "node:fs";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { utcDay } from "../../src/domain/calendar";
import { type Concept, RUNGS } from "../../src/domain/concept";
import { adminPeriod } from "../../src/domain/experiment-report";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { gatherConceptPage, gatherOverview } from "../../src/server/store/activity";
import { refreshRollups } from "../../src/server/store/counts";
import { generateLargeDatabase } from "./large-database";

const file = process.argv[2] ?? "/tmp/racine-ladder-bench.db";
if (!existsSync(file)) generateLargeDatabase(file, 1_000_000, 100_000);

const db = openDatabase(file);
migrateDatabase(db);
const today = utcDay(new Date());
refreshRollups(db, today);
const period = adminPeriod({}, today);
const concepts = loadConceptFiles().filter((concept) => concept.status !== "draft");

function median(run: () => void, times = 7): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)] ?? 0;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const judgedOn = (rung: Concept["successCriteria"]["rung"]) =>
  concepts.map((concept) => ({ ...concept, successCriteria: { ...concept.successCriteria, rung } }));

const counts = db.$client
  .prepare(
    "select (select count(*) from views) as views, (select count(*) from signups) as signups, (select count(*) from tier_clicks) as clicks",
  )
  .get() as { views: number; signups: number; clicks: number };
console.log(
  `${file}: ${counts.views.toLocaleString("en")} views, ${counts.signups.toLocaleString("en")} signups, ${counts.clicks.toLocaleString("en")} tier clicks`,
);
for (const rung of RUNGS) {
  const judged = judgedOn(rung).filter((concept) => rung === "signup" || concept.tiers || rung !== "tier");
  const overview = median(() => gatherOverview(db, judged, period));
  const pages = judged.map((concept) => median(() => gatherConceptPage(db, concept, period)));
  console.log(
    `judged on ${rung.padEnd(11)} overview ${ms(overview).padStart(9)}   concept pages ${pages.map(ms).join(", ")}`,
  );
}
db.$client.close();
