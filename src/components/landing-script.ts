/** The landing page's inline script, minified at build time so it stays within the page budget. */
import { transformSync } from "esbuild";
import source from "../scripts/landing.js?raw";

export const landingScript = transformSync(source, { minify: true, target: "es2020", loader: "js" }).code.trim();
