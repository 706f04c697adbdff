/**
 * The server's entry point, bundled by the build into dist/server/racine.mjs and run with
 * plain node (`npm run serve`): no TypeScript loader in production, less memory.
 */
import { parseEnv } from "../src/server/env";
import { startRacine } from "../src/server/runtime";
import { runMain } from "./lib/cli";

/** How long a stop waits for requests in flight (a browser's keep-alive connection may never close). */
const SHUTDOWN_GRACE_MS = 5_000;

runMain(async () => {
  const { server } = await startRacine(parseEnv());
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
