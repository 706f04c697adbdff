/**
 * The concepts as the prerendered pages see them at build time: the content collection
 * (whose loader reads and validates the concept files). At run time every edge reads the
 * App's concepts instead: the build's manifest of these same entries.
 */
import { getCollection } from "astro:content";
import { type Concept, isPublished, parseConcept } from "../../domain/concept";

/** Concepts that have a public page: everything but drafts. */
export async function getPublishedConcepts(): Promise<Concept[]> {
  const entries = await getCollection("concepts");
  // The loader validated every file already; parsing again gives the precise type.
  return entries.map((entry) => parseConcept(`concepts/${entry.id}`, entry.id, entry.data)).filter(isPublished);
}
