/** The history of each concept's traffic split and offers (experiment epochs): recorded at start, read by the admin. */
import { asc, desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { experimentEpochs } from "../../../db/schema";
import { firstWholeDay } from "../../domain/calendar";
import { type Concept, isPublished } from "../../domain/concept";
import { type DayWindow, type ExperimentData, reportWindows } from "../../domain/experiment-report";
import { contentOf, type ExperimentEpoch, sameEntries, weightsOf } from "../../domain/experiments";
import { countVariantsInWindows } from "./counts";

/**
 * Opens a new epoch for every published concept whose variants, weights or offers differ
 * from the last recorded ones. A concept's first epoch starts at 0: traffic from before
 * racine knew its split counts as that split's. The latest epoch of a database from
 * before offers were fingerprinted gets this build's fingerprints, not a new epoch: what
 * it offered cannot be known, and restarting every comparison would throw its data away.
 */
export function recordExperimentEpochs(db: Database, concepts: readonly Concept[], now: Date): void {
  db.transaction((tx) => {
    for (const concept of concepts) {
      if (!isPublished(concept)) continue;
      const weights = weightsOf(concept.variants);
      const content = contentOf(concept);
      const latest = tx
        .select()
        .from(experimentEpochs)
        .where(eq(experimentEpochs.concept, concept.slug))
        .orderBy(desc(experimentEpochs.startedAt), desc(experimentEpochs.id))
        .limit(1)
        .get();
      if (latest && sameEntries(latest.weights, weights)) {
        if (latest.content === null)
          tx.update(experimentEpochs).set({ content }).where(eq(experimentEpochs.id, latest.id)).run();
        if (latest.content === null || sameEntries(latest.content, content)) continue;
      }
      tx.insert(experimentEpochs)
        .values({ concept: concept.slug, weights, content, startedAt: latest ? now : new Date(0) })
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
    .map((row) => ({
      startedAt: row.startedAt.getTime(),
      weights: row.weights,
      ...(row.content === null ? {} : { content: row.content }),
    }));
}

/**
 * One concept's split history and the counts of every window its report over `testWindow`
 * reads (a variant added mid-test is compared from its first whole day). The admin page
 * and the weekly digest both compose their verdicts from it, so they cannot disagree. It
 * counts the rung the concept's criteria judge (signups unless they name another).
 */
export function gatherExperiment(db: Database, concept: Concept, testWindow: DayWindow, today: string): ExperimentData {
  const epochs = getExperimentEpochs(db, concept.slug);
  const windows = reportWindows(concept, epochs, testWindow, today);
  return {
    epochs,
    counts: countVariantsInWindows(db, concept.slug, windows, undefined, concept.successCriteria.rung),
    split: countVariantsInWindows(db, concept.slug, windows, "split", concept.successCriteria.rung),
  };
}

/**
 * Per published concept, the first whole day of its current split (its latest epoch): the
 * day from which A/B assignments count (assignmentReader). Epochs change at start only.
 */
export function currentSplitStarts(db: Database, concepts: readonly Concept[]): Map<string, string> {
  return new Map(
    concepts.filter(isPublished).map((concept) => {
      const latest = getExperimentEpochs(db, concept.slug).at(-1);
      return [concept.slug, firstWholeDay(latest?.startedAt ?? 0)];
    }),
  );
}
