/**
 * Reads the concept files (src/content/concepts/<slug>.yaml by default) and validates each
 * one, at build time: for the content collection and the build's manifest (which the server
 * and every command read). A broken file fails with its path and the offending field. The
 * tests build another folder, tests/fixtures/concepts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { type Concept, ConceptFileError, parseConcept } from "../../domain/concept";

export const CONCEPTS_DIR = "src/content/concepts";
const CONCEPT_FILE = /^(.+)\.ya?ml$/;

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
