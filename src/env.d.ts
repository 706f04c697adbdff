/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The client's address, computed once by the edge (src/server/http/server.ts); never Astro.clientAddress. */
    clientAddress: string;
    /** CSP hashes of the build's inline styles (src/domain/csp.ts onDemandPolicy); absent under `astro dev`. */
    buildStyleHashes?: readonly string[];
    /** True when the request carries a valid admin session cookie. */
    isAdmin: boolean;
  }
}

/** Set by astro.config.mjs for the content loader: the absolute folder of the concept files this build reads. */
declare module "virtual:racine/build-options" {
  export const conceptsDir: string;
}
