/**
 * Builds the site when the build is missing or older than its sources, so `npm start`
 * and `npm run demo` always serve what the concept files say.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const SOURCES = ["src", "public", "db/schema.ts", "astro.config.mjs", "package-lock.json"];
const BUILD_MARK = resolve("dist/server/entry.mjs");

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILD_MARK)) return true;
  const built = statSync(BUILD_MARK).mtimeMs;
  return SOURCES.some((source) => newestMtime(resolve(source)) > built);
}

export function buildIfNeeded(): void {
  if (!buildIsStale()) return;
  console.log("Building the site (astro build)…");
  const result = spawnSync(process.execPath, [resolve("node_modules/astro/astro.js"), "build"], {
    stdio: "inherit",
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("The build failed: see the messages above.");
}
