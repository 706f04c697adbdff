/** The visitor pages' inline scripts, minified at build time so they stay within the page budget. */
import { transformSync } from "esbuild";
import embedSource from "../scripts/embed-frame.js?raw";
import landingSource from "../scripts/landing.js?raw";

const minified = (source: string) =>
  transformSync(source, { minify: true, target: "es2020", loader: "js" }).code.trim();

export const landingScript = minified(landingSource);

/** The embed page's second script: its height, posted to the page that frames it. */
export const embedFrameScript = minified(embedSource);
