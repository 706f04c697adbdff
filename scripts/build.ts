/**
 * `npm run build`: the static site and the Astro server bundle (astro build), then the
 * racine server itself bundled to dist/server/racine.mjs with its migrations beside it.
 * `npm start`, `npm run demo`, the tests and the benchmarks call buildIfNeeded(), which
 * builds only when the build is missing or older than its sources.
 *
 * A build is of one folder of concepts into one output folder: the founder's concepts into
 * dist/ (SITE_BUILD), or, for the tests, tests/fixtures/concepts into dist-test/. The
 * server finds its build through BUILD_DIR (src/server/env.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { CONCEPTS_DIR, loadConceptFiles } from "../src/server/concepts/files";
import { runMain } from "./lib/cli";
import { writeShareImages } from "./lib/share-images";

// What the build reads (the server bundle starts at scripts/serve.ts and takes scripts/lib/ in).
const SOURCES = ["src", "public", "db", "scripts/serve.ts", "scripts/lib", "astro.config.mjs", "package-lock.json"];

export interface BuildTarget {
  /** The folder of concept files to build pages for. */
  conceptsDir: string;
  /** Where the build goes: client/ (the pages), server/ (the bundles, the concept manifest, the migrations). */
  outDir: string;
}

/** The founder's site: what `npm run build`, `npm start` and `npm run demo` build and serve. */
export const SITE_BUILD: BuildTarget = { conceptsDir: CONCEPTS_DIR, outDir: "dist" };

export function serverBundle({ outDir }: BuildTarget): string {
  return resolve(outDir, "server/racine.mjs");
}
export const SERVER_BUNDLE = serverBundle(SITE_BUILD);
/**
 * V8 heap limits for the server (also in package.json's "serve"): a small young generation
 * and a capped old one keep it near 100 MB resident under load, at no cost in throughput
 * (measured with npm run bench), so it fits the smallest VPS.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=4", "--max-old-space-size=128"];
/**
 * The server's environment defaults (also in package.json's "serve"; a value already set
 * wins): glibc gives each thread that allocates its own malloc arena, and V8's worker
 * threads (compiling, marking) each kept ~7 MB in theirs under load; two arenas in all
 * take ~8 MB off the peak resident memory at the same throughput (measured with npm run bench).
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: "2" } as const;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function buildIsStale(target: BuildTarget = SITE_BUILD): boolean {
  const bundle = serverBundle(target);
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return [...SOURCES, target.conceptsDir].some((source) => newestMtime(resolve(source)) > built);
}

/** Astro's command-line entry, read from its package so that a major upgrade cannot move it under us. */
function astroCli(): string {
  const manifest = JSON.parse(readFileSync(resolve("node_modules/astro/package.json"), "utf8")) as {
    bin: { astro: string };
  };
  return resolve("node_modules/astro", manifest.bin.astro);
}

export async function buildAll(target: BuildTarget = SITE_BUILD): Promise<void> {
  const outDir = resolve(target.outDir);
  const bundle = serverBundle(target);
  console.log(`Building the site of ${target.conceptsDir} into ${target.outDir} (astro build)…`);
  const astro = spawnSync(process.execPath, [astroCli(), "build", "--outDir", outDir], {
    stdio: "inherit",
    // astro.config.mjs reads the concepts folder from RACINE_CONCEPTS_DIR.
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", RACINE_CONCEPTS_DIR: resolve(target.conceptsDir) },
  });
  if (astro.status !== 0) throw new Error("The build failed: see the messages above.");
  const drawing = performance.now();
  const images = await writeShareImages(loadConceptFiles(target.conceptsDir), resolve(outDir, "client"));
  console.log(`Share images: ${images.length} drawn in ${Math.round(performance.now() - drawing)} ms`);
  await build({
    entryPoints: ["scripts/serve.ts"],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    logLevel: "warning",
  });
  // db/migrate.ts finds its migrations beside itself: db/migrations, or next to the bundle.
  cpSync(resolve("db/migrations"), resolve(outDir, "server/migrations"), { recursive: true });
  console.log(`Server bundled: ${bundle}`);
}

export async function buildIfNeeded(target: BuildTarget = SITE_BUILD): Promise<void> {
  if (buildIsStale(target)) await buildAll(target);
}

/** Runs the built server as a child with extra environment, until it exits (Ctrl-C passes through). */
export function runServer(env: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_BUNDLE], {
    stdio: "inherit",
    env: { ...SERVER_ENV, ...process.env, ...env },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolveExit) => child.on("exit", (code) => resolveExit(code ?? 1)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) runMain(() => buildAll());
