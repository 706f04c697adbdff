/**
 * The concept manifest: the concepts exactly as they were built, written next to the
 * server bundle so the ingestion path accepts signups for the pages that exist.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { type Concept, ConceptSchema, Slug } from "../../domain/concept";
import { loadConceptFiles } from "./files";

export const MANIFEST_FILE = "concepts.json";

const Manifest = z.array(z.object({ slug: Slug, data: ConceptSchema }));

export function writeConceptManifest(file: URL | string, conceptsDir: string): void {
  const entries = loadConceptFiles(conceptsDir).map(({ slug, ...data }) => ({ slug, data }));
  writeFileSync(file, JSON.stringify(entries));
}

export function readConceptManifest(file: URL | string): Concept[] {
  return Manifest.parse(JSON.parse(readFileSync(file, "utf8"))).map(({ slug, data }) => ({ slug, ...data }));
}
