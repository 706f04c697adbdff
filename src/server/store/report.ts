/** The report's data: the overview's and every published concept's page data, gathered by the pages' own queries. */
import type { Database } from "../../../db/client";
import { type Concept, isPublished } from "../../domain/concept";
import type { AdminPeriod } from "../../domain/experiment-report";
import type { ReportData } from "../../domain/report";
import { gatherConceptPage, gatherOverview } from "./activity";

export function gatherReport(db: Database, concepts: readonly Concept[], period: AdminPeriod): ReportData {
  return {
    overview: gatherOverview(db, concepts, period),
    pages: new Map(
      concepts.filter(isPublished).map((concept) => [concept.slug, gatherConceptPage(db, concept, period)]),
    ),
  };
}
