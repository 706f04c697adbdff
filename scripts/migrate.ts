/** `npm run db:migrate`: applies pending migrations to DATABASE_PATH. */
import { resolve } from "node:path";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { parseEnv } from "../src/server/env";
import { runMain } from "./lib/cli";

runMain(() => {
  const file = resolve(parseEnv().DATABASE_PATH);
  const db = openDatabase(file);
  migrateDatabase(db);
  db.$client.close();
  console.log(`Migrations applied to ${file}`);
});
