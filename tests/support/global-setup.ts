/** Integration and browser tests run the real built server: build once if the build is stale. */
import { buildIfNeeded } from "../../scripts/build";

export default async function setup(): Promise<void> {
  await buildIfNeeded();
}
