/** `npm start`: build if needed, then migrate and serve DATABASE_PATH (./data/racine.db by default). */

import { parseEnv } from "../src/server/env";
import { buildIfNeeded, runServer } from "./build";
import { runMain } from "./lib/cli";

runMain(async () => {
  parseEnv(); // fail fast on a bad setting, before a build
  await buildIfNeeded();
  process.exitCode = await runServer();
});
