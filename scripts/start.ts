/** `npm start`: build if needed, migrate, and serve on DATABASE_PATH (./data/racine.db by default). */
import { parseEnv } from "../src/server/env";
import { buildIfNeeded } from "./build";
import { runMain, serveUntilStopped } from "./main";

runMain(async () => {
  const env = parseEnv();
  buildIfNeeded();
  await serveUntilStopped(env);
});
