/** Plumbing shared by command-line entry points: flag validation and clean failures. */
import type { z } from "zod";
import { type Concept, Slug } from "../../src/domain/concept";
import { requireSupportedNode } from "./node-version";

export class UsageError extends Error {
  override name = "UsageError";
}

/** Validates parsed command-line flags, naming the flag at fault. */
export function parseFlags<T extends z.ZodType>(schema: T, values: unknown): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
}

/**
 * Runs a command's main function: a known error prints its message alone and exits 1.
 * An unsupported Node stops here, before the command opens the database.
 */
export function runMain(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(() => requireSupportedNode())
    .then(main)
    .catch((error: unknown) => {
      const known = error instanceof Error && error.name !== "Error" && /Error$/.test(error.name);
      console.error(known ? error.message : error);
      process.exit(1);
    });
}

/** The one <slug> argument of a command about a concept of the build, or a usage error naming the ones there are. */
export function conceptArgument(
  positionals: readonly string[],
  concepts: readonly Concept[],
  buildDir: string,
  usage: string,
): Concept {
  if (positionals.length !== 1) throw new UsageError(`usage: ${usage}`);
  const slug = Slug.safeParse(positionals[0]);
  if (!slug.success) throw new UsageError(`<slug> ${JSON.stringify(positionals[0])}: ${slug.error.issues[0]?.message}`);
  const concept = concepts.find((candidate) => candidate.slug === slug.data);
  if (!concept)
    throw new UsageError(
      `No concept "${slug.data}" in the build (${buildDir}); there are: ${concepts.map((c) => c.slug).join(", ")}.`,
    );
  return concept;
}
