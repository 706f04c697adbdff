/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The composition root's App (src/server/runtime.ts), handed over by the edge (src/server/http/server.ts). */
    app: import("./server/runtime").App;
    /** The client's address, computed once by the edge; never Astro.clientAddress. */
    clientAddress: string;
    /** CSP hashes of the build's inline styles (src/domain/csp.ts onDemandPolicy). */
    buildStyleHashes: readonly string[];
    /** True when the request carries a valid admin session cookie (set by the middleware). */
    isAdmin: boolean;
    /** True when the browser carries the founder's "exclude this browser" switch (src/domain/founder-visits.ts). */
    excludedBrowser: boolean;
    /** True when the connection is HTTPS as far as we can know, so cookies are Secure (set by the middleware). */
    secureCookies: boolean;
  }
}

/** Set by astro.config.mjs for the content loader: the absolute folder of the concept files this build reads. */
declare module "virtual:racine/build-options" {
  export const conceptsDir: string;
}
