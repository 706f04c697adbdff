/** The history of each concept's traffic split (experiment epochs): recorded at start, read by the admin. */
import { asc, desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { experimentEpochs } from "../../../db/schema";
import type { Counts } from "../../domain/analytics";
import { type Concept, isPublished } from "../../domain/concept";
import {
  addDays,
  composeExperimentReport,
  type DayWindow,
  type ExperimentReport,
  experimentWindows,
  windowKey,
} from "../../domain/experiment-report";
import { type ExperimentEpoch, sameWeights, weightsOf } from "../../domain/experiments";
import { countByVariant } from "./counts";

/**
 * Opens a new epoch for every published concept whose variants or weights differ from the
 * last recorded split. A concept's first epoch starts at 0: traffic from before racine
 * knew its split counts as that split's.
 */
export function recordExperimentEpochs(db: Database, concepts: readonly Concept[], now: Date): void {
  db.transaction((tx) => {
    for (const concept of concepts) {
      if (!isPublished(concept)) continue;
      const weights = weightsOf(concept.variants);
      const latest = tx
        .select()
        .from(experimentEpochs)
        .where(eq(experimentEpochs.concept, concept.slug))
        .orderBy(desc(experimentEpochs.startedAt), desc(experimentEpochs.id))
        .limit(1)
        .get();
      if (latest && sameWeights(latest.weights, weights)) continue;
      tx.insert(experimentEpochs)
        .values({ concept: concept.slug, weights, startedAt: latest ? now : new Date(0) })
        .run();
    }
  });
}

export function getExperimentEpochs(db: Database, concept: string): ExperimentEpoch[] {
  return db
    .select()
    .from(experimentEpochs)
    .where(eq(experimentEpochs.concept, concept))
    .orderBy(asc(experimentEpochs.startedAt), asc(experimentEpochs.id))
    .all()
    .map((row) => ({ startedAt: row.startedAt.getTime(), weights: row.weights }));
}

export interface GatheredExperiment {
  report: ExperimentReport;
  /** Visitors and signups per variant over a window (each window counted once). */
  countsIn: (window: DayWindow) => ReadonlyMap<string, Counts>;
  /** The concept's visitors per day over the 7 days that end `today`. */
  visitorsPerDay: number;
}

/**
 * One concept's experiment over `window`: the counts of each comparison window (a variant
 * added mid-test is compared from its first whole day), composed into verdicts by the
 * domain. The admin page and the weekly digest both read it, so they cannot disagree.
 */
export function gatherExperiment(db: Database, concept: Concept, window: DayWindow, today: string): GatheredExperiment {
  const counted = new Map<string, Map<string, Counts>>();
  const countsIn = (w: DayWindow) => {
    const key = windowKey(w);
    const known = counted.get(key) ?? countByVariant(db, concept.slug, w);
    counted.set(key, known);
    return known;
  };
  const lastWeek = [...countsIn({ from: addDays(today, -6), to: today }).values()];
  const visitorsPerDay = lastWeek.reduce((sum, c) => sum + c.visitors, 0) / 7;
  const windows = experimentWindows(concept, getExperimentEpochs(db, concept.slug), window);
  return { report: composeExperimentReport({ concept, windows, countsIn, visitorsPerDay }), countsIn, visitorsPerDay };
}
