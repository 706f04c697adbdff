/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH. */
import { resolve } from "node:path";
import { parseEnv } from "../src/server/env";
import { openAppDatabase } from "../src/server/runtime";
import { runMain } from "./lib/cli";

runMain(async () => {
  const env = parseEnv();
  const db = await openAppDatabase(env);
  db.$client.close();
  const file = resolve(env.DATABASE_PATH);
  console.log(`Migrations applied to ${file}`);
});
