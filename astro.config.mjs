// @ts-check
import node from "@astrojs/node";
import { defineConfig } from "astro/config";
import { MANIFEST_FILE, writeConceptManifest } from "./src/server/concepts/manifest.ts";

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
        if (serverDir) writeConceptManifest(new URL(MANIFEST_FILE, serverDir));
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
  trailingSlash: "ignore",
  // Replaced by our own Origin check (src/server/origin.ts): Astro's compares with a URL
  // whose host it cannot know behind a proxy, and refuses every form post there.
  security: { checkOrigin: false },
  build: { inlineStylesheets: "always", format: "directory" },
  compressHTML: true,
  devToolbar: { enabled: false },
});
