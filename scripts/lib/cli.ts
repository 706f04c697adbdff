/** Plumbing shared by command-line entry points: flag validation and clean failures. */
import type { z } from "zod";
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
