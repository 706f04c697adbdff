/** The concepts as Astro pages see them: the content collection, typed. */
import { getCollection } from "astro:content";
import { type Concept, isPublished, parseConcept } from "../../domain/concept";

export async function getConcepts(): Promise<Concept[]> {
  const entries = await getCollection("concepts");
  // The loader validated every file already; parsing again gives the precise type.
  return entries.map((entry) => parseConcept(`concepts/${entry.id}`, entry.id, entry.data));
}

/** Concepts that have a public page: everything but drafts. */
export async function getPublishedConcepts(): Promise<Concept[]> {
  return (await getConcepts()).filter(isPublished);
}
