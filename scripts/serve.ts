/**
 * The server's entry point, bundled by the build into dist/server/racine.mjs and run with
 * plain node (`npm run serve`): no TypeScript loader in production, less memory.
 */
import { parseEnv } from "../src/server/env";
import { startRacine } from "../src/server/runtime";
import { runMain } from "./lib/cli";

runMain(async () => {
  const { server } = await startRacine(parseEnv());
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
