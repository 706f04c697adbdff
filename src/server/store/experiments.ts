/** The history of each concept's traffic split (experiment epochs): recorded at start, read by the admin. */
import { asc, desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { experimentEpochs } from "../../../db/schema";
import { type Concept, isPublished } from "../../domain/concept";
import { type DayWindow, type ExperimentData, reportWindows } from "../../domain/experiment-report";
import { type ExperimentEpoch, sameWeights, weightsOf } from "../../domain/experiments";
import { countVariantsInWindows } from "./counts";

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

/**
 * One concept's split history and the counts of every window its report over `testWindow`
 * reads (a variant added mid-test is compared from its first whole day). The admin page
 * and the weekly digest both compose their verdicts from it, so they cannot disagree.
 */
export function gatherExperiment(db: Database, concept: Concept, testWindow: DayWindow, today: string): ExperimentData {
  const epochs = getExperimentEpochs(db, concept.slug);
  const windows = reportWindows(concept, epochs, testWindow, today);
  return {
    epochs,
    counts: countVariantsInWindows(db, concept.slug, windows),
    split: countVariantsInWindows(db, concept.slug, windows, "split"),
  };
}
