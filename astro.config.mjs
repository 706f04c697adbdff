// @ts-check
import { resolve } from "node:path";
import node from "@astrojs/node";
import { defineConfig } from "astro/config";
import { CONCEPTS_DIR } from "./src/server/concepts/files.ts";
import { MANIFEST_FILE, writeConceptManifest } from "./src/server/concepts/manifest.ts";

/**
 * The concept files this build turns into pages: the founder's, unless scripts/build.ts
 * builds another folder (the tests' site, from tests/fixtures/concepts). The output folder
 * is Astro's own outDir (`astro build --outDir`).
 */
const conceptsDir = resolve(process.env.RACINE_CONCEPTS_DIR || CONCEPTS_DIR);

/** Hands the concepts folder to the content loader (src/content.config.ts) as `virtual:racine/build-options`. */
function buildOptions() {
  const id = "virtual:racine/build-options";
  return /** @type {import("vite").Plugin} */ ({
    name: "racine-build-options",
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load: (resolved) =>
      resolved === `\0${id}` ? `export const conceptsDir = ${JSON.stringify(conceptsDir)};` : undefined,
  });
}

/** Writes the built concepts next to the server bundle for the ingestion server. */
function conceptManifest() {
  /** @type {URL | undefined} */
  let serverDir;
  return /** @type {import("astro").AstroIntegration} */ ({
    name: "racine-concept-manifest",
    hooks: {
      "astro:config:done": ({ config }) => {
        serverDir = config.build.server;
      },
      "astro:build:done": () => {
        if (serverDir) writeConceptManifest(new URL(MANIFEST_FILE, serverDir), conceptsDir);
      },
    },
  });
}

export default defineConfig({
  // Used for absolute Open Graph URLs; set SITE_URL when building for production.
  site: process.env.SITE_URL || "http://127.0.0.1:4321",
  output: "static",
  // Middleware mode: our server (src/server/app.ts) serves the built files, reads bodies
  // (bounded) and passes the client's address in locals; the adapter's limit stays as a
  // second line.
  adapter: node({ mode: "middleware", bodySizeLimit: 16 * 1024 }),
  integrations: [conceptManifest()],
  vite: { plugins: [buildOptions()] },
  trailingSlash: "ignore",
  // Replaced by our own Origin check (src/server/origin.ts): Astro's compares with a URL
  // whose host it cannot know behind a proxy, and refuses every form post there.
  security: { checkOrigin: false },
  build: { inlineStylesheets: "always", format: "directory" },
  compressHTML: true,
  devToolbar: { enabled: false },
});
