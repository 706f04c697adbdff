/**
 * The admin pages' figures, gathered as plain data for the domain to compose. The
 * overview: per concept, visitors and signups in the chosen days, in the 7 days up to
 * their end, day by day and by traffic source; and, for the verdicts, the whole test and
 * its last 7 days whatever the chosen days. One grouped query per figure, so the page
 * costs the same whatever the number of concepts. A concept's page: the counts of every
 * window its report reads, its days, its sources and its latest signups.
 */
import type { Database } from "../../../db/client";
import type { Concept } from "../../domain/concept";
import { type ConceptPageData, conceptPageWindows } from "../../domain/concept-page";
import { type AdminPeriod, paceWindow } from "../../domain/experiment-report";
import { type ConceptActivity, lastWeekOf, noActivity, type OverviewData, seriesDays } from "../../domain/overview";
import {
  confirmedByConcept,
  countsGroupedBy,
  countVariantsInWindows,
  dailyByVariant,
  failedEmails,
  latestSignups,
  sourcesByVariant,
} from "./counts";
import { getExperimentEpochs } from "./experiments";
import { recentWebhookDeliveries } from "./webhooks";

function conceptActivity(db: Database, { window, testWindow, today }: AdminPeriod): Map<string, ConceptActivity> {
  const activity = new Map<string, ConceptActivity>();
  const of = (concept: string): ConceptActivity => {
    const entry = activity.get(concept) ?? noActivity();
    activity.set(concept, entry);
    return entry;
  };
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window }, ["concept"])) {
    of(concept).total = { visitors, signups };
  }
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: testWindow }, ["concept"])) {
    of(concept).wholeTest = { visitors, signups };
  }
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: paceWindow(today) }, ["concept"])) {
    of(concept).recentWeek = { visitors, signups };
  }
  for (const { concept, visitors, signups } of countsGroupedBy(db, { window: lastWeekOf(window) }, ["concept"])) {
    of(concept).lastWeek = { visitors, signups };
  }
  const series = { from: seriesDays(window)[0] ?? window.to, to: window.to };
  for (const row of countsGroupedBy(db, { window: series }, ["concept", "day"])) {
    of(row.concept).dailySignups.push({ day: row.day, count: row.signups });
  }
  for (const { concept, source, visitors, signups } of countsGroupedBy(db, { window }, ["concept", "source"])) {
    of(concept).sources.push({ source, visitors, signups });
  }
  return activity;
}

export function gatherOverview(db: Database, period: AdminPeriod): OverviewData {
  return {
    activity: conceptActivity(db, period),
    confirmations: confirmedByConcept(db),
    failedEmails: failedEmails(db),
    webhookDeliveries: recentWebhookDeliveries(db),
  };
}

export function gatherConceptPage(db: Database, concept: Concept, period: AdminPeriod): ConceptPageData {
  const epochs = getExperimentEpochs(db, concept.slug);
  return {
    epochs,
    counts: countVariantsInWindows(db, concept.slug, conceptPageWindows(concept, epochs, period)),
    daily: dailyByVariant(db, concept.slug, period.window),
    sources: sourcesByVariant(db, concept.slug, period.window),
    latest: latestSignups(db, concept.slug),
  };
}
