/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The client's address, computed once by the edge (src/server/app.ts); never Astro.clientAddress. */
    clientAddress: string;
    /** True when the request carries a valid admin session cookie. */
    isAdmin: boolean;
  }
}
