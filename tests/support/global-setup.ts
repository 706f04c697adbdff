/**
 * Integration and browser tests run the real built server on the test concepts (dist-test/);
 * the tests about the founder's own pages (their weight, `npm run demo`) read dist/. Each is
 * built once, when it is stale; one after the other, as both builds share Astro's caches.
 */
import { buildIfNeeded } from "../../scripts/build";
import { FIXTURE_BUILD } from "./server";

export default async function setup(): Promise<void> {
  await buildIfNeeded(FIXTURE_BUILD);
  await buildIfNeeded();
}
