/**
 * Reads the concept files (src/content/concepts/<slug>.yaml by default) and validates each
 * one. Used by the Astro content collection at build time and by scripts that need the
 * concepts (the seed, the digest); a broken file fails with its path and the offending field.
 * The tests build and seed another folder, tests/fixtures/concepts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { type Concept, ConceptFileError, parseConcept } from "../../domain/concept";

export const CONCEPTS_DIR = "src/content/concepts";
const CONCEPT_FILE = /^(.+)\.ya?ml$/;

/** A `--concepts <dir>` flag: an existing folder, the founder's concepts by default. */
export const ConceptsDirFlag = z
  .string()
  .refine((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true, {
    error: `use a folder of concept files, such as ${CONCEPTS_DIR}`,
  })
  .default(CONCEPTS_DIR);

export function loadConceptFile(path: string, slug: string): Concept {
  const file = relative(process.cwd(), path) || path;
  let data: unknown;
  try {
    data = parse(readFileSync(path, "utf8"), { prettyErrors: true });
  } catch (error) {
    throw new ConceptFileError(file, `  (YAML): ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseConcept(file, slug, data);
}

export function loadConceptFiles(dir: string = CONCEPTS_DIR): Concept[] {
  return readdirSync(dir)
    .map((name) => CONCEPT_FILE.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([name, slug = ""]) => loadConceptFile(join(dir, name), slug))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
