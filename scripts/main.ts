/** Shared entry-point plumbing for the scripts. */
import type { z } from "zod";
import type { Env } from "../src/server/env";
import { type Running, startRacine } from "../src/server/runtime";

export class UsageError extends Error {
  override name = "UsageError";
}

/** Validates parsed command-line flags, naming the flag at fault. */
export function parseFlags<T extends z.ZodType>(schema: T, values: unknown): z.infer<T> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
}

/** Runs a script's main function: a known error prints its message alone and exits 1. */
export function runMain(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      const known = error instanceof Error && error.name !== "Error" && /Error$/.test(error.name);
      console.error(known ? error.message : error);
      process.exit(1);
    });
}

/** Starts the server and closes it cleanly on Ctrl-C or SIGTERM. */
export async function serveUntilStopped(env: Env): Promise<Running> {
  const running = await startRacine(env);
  const { server } = running;
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return running;
}
