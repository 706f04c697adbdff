/**
 * Writes simulated demo traffic. Demo rows are marked (visitor hashes `demo:…`, addresses
 * at demo.racine.invalid), so reseeding replaces them and never touches real data.
 */
import { count, inArray, like, not } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { conceptTests, decisions, experimentEpochs, signups, tierClicks, views } from "../../../db/schema";
import type { Concept } from "../../domain/concept";
import { DEMO_EMAIL_DOMAIN, DEMO_VISITOR_PREFIX, simulateTraffic } from "../../domain/demo-traffic";
import { invalidateRollups } from "./counts";

const demoView = like(views.visitorHash, `${DEMO_VISITOR_PREFIX}%`);
const demoSignup = like(signups.emailKey, `%@${DEMO_EMAIL_DOMAIN}`);
const demoTierClick = like(tierClicks.visitorHash, `${DEMO_VISITOR_PREFIX}%`);

/** Rows that were not made by the demo seed: visitors and signups of real people. */
export function countRealRows(db: Database): number {
  const realViews = db.select({ n: count() }).from(views).where(not(demoView)).get()?.n ?? 0;
  const realSignups = db.select({ n: count() }).from(signups).where(not(demoSignup)).get()?.n ?? 0;
  return realViews + realSignups;
}

export interface SeedSummary {
  days: number;
  views: number;
  signups: number;
}

export function seedDemoTraffic(
  db: Database,
  concepts: readonly Concept[],
  options: { now: Date; days: number; seed: number },
  onDay: (done: number, total: number) => void = () => {},
): SeedSummary {
  const { days: simulated, epochs } = simulateTraffic(concepts, options);
  db.transaction((tx) => {
    tx.delete(views).where(demoView).run();
    tx.delete(signups).where(demoSignup).run();
    tx.delete(tierClicks).where(demoTierClick).run();
    // The simulated history of each split replaces the recorded one of these concepts; their
    // tests start again with the simulated data (the server records the start and the
    // decisions of the new history at its next start).
    const simulatedConcepts = [...new Set(epochs.map((epoch) => epoch.concept))];
    if (simulatedConcepts.length > 0) {
      tx.delete(experimentEpochs).where(inArray(experimentEpochs.concept, simulatedConcepts)).run();
      tx.insert(experimentEpochs).values(epochs).run();
      tx.delete(conceptTests).where(inArray(conceptTests.concept, simulatedConcepts)).run();
      tx.delete(decisions).where(inArray(decisions.concept, simulatedConcepts)).run();
    }
  });
  const summary: SeedSummary = { days: simulated.length, views: 0, signups: 0 };
  simulated.forEach((day, index) => {
    db.transaction((tx) => {
      // SQLite takes at most 32,766 parameters per statement: insert in slices.
      for (let i = 0; i < day.views.length; i += 500)
        tx.insert(views)
          .values(day.views.slice(i, i + 500))
          .run();
      for (let i = 0; i < day.signups.length; i += 500)
        tx.insert(signups)
          .values(day.signups.slice(i, i + 500))
          .run();
      const clicks = day.tierClicks ?? [];
      for (let i = 0; i < clicks.length; i += 500)
        tx.insert(tierClicks)
          .values(clicks.slice(i, i + 500))
          .run();
    });
    summary.views += day.views.length;
    summary.signups += day.signups.length;
    onDay(index + 1, simulated.length);
  });
  // The past changed: the rollups are rebuilt on the next look.
  invalidateRollups(db);
  return summary;
}
