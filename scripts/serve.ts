/** `npm run serve`: migrate and serve an existing build. */
import { parseEnv } from "../src/server/env";
import { runMain, serveUntilStopped } from "./main";

runMain(async () => {
  await serveUntilStopped(parseEnv());
});
