/**
 * `npm run demo`: build if needed, reseed a separate demo database (./data/demo.db unless
 * DATABASE_PATH says otherwise) with simulated traffic up to now, and serve it.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { parseEnv } from "../src/server/env";
import { buildIfNeeded, runServer } from "./build";
import { runMain } from "./lib/cli";

export const DEMO_DATABASE = "./data/demo.db";
export const DEMO_PASSWORD = "racine-demo-admin";

async function demo(): Promise<void> {
  const env = parseEnv({
    ...process.env,
    DATABASE_PATH: process.env.DATABASE_PATH || DEMO_DATABASE,
    // Demo data only, so a documented password is friendlier than a random one.
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD || DEMO_PASSWORD,
  });
  await buildIfNeeded();
  // The default demo file holds nothing but demo traffic (and what you tried on it): reseed it
  // freely. A DATABASE_PATH you chose is protected by the seed's check for real data.
  const force = process.env.DATABASE_PATH ? [] : ["--force"];
  const seed = spawnSync(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts", ...force], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH },
  });
  if (seed.status !== 0) process.exit(seed.status ?? 1);
  console.log(`Demo: the admin password is ${env.ADMIN_PASSWORD} (set ADMIN_PASSWORD to choose another).`);
  process.exitCode = await runServer({
    DATABASE_PATH: env.DATABASE_PATH,
    ADMIN_PASSWORD: env.ADMIN_PASSWORD ?? DEMO_PASSWORD,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) runMain(demo);
