/**
 * The Node versions racine runs on. better-sqlite3 13 (N-API) loads on Node 20 but dies with
 * a segmentation fault at the first query, and Astro 7 needs 22.12: every entry point checks
 * first and stops with a message that says how to get Node 24 instead.
 * package.json's "engines" states the same minimum (a unit test keeps the two equal).
 */
export const MINIMUM_NODE = "22.12.0";

export class UnsupportedNodeError extends Error {
  override name = "UnsupportedNodeError";
}

function parts(version: string): number[] {
  return version
    .replace(/^v/, "")
    .split(".")
    .map((part) => Number.parseInt(part, 10) || 0);
}

export function isSupportedNode(version: string): boolean {
  const have = parts(version);
  const need = parts(MINIMUM_NODE);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export function requireSupportedNode(version: string = process.versions.node): void {
  if (isSupportedNode(version)) return;
  throw new UnsupportedNodeError(
    [
      `racine needs Node ${MINIMUM_NODE} or newer (24 LTS recommended); this is Node ${version}.`,
      "Install Node 24 from https://nodejs.org, with your version manager (`nvm install` reads .nvmrc),",
      'or from the npm registry: `npm install -g --prefix "$HOME/.node24" node@24 && export PATH="$HOME/.node24/bin:$PATH"`;',
      "then run the command again.",
    ].join("\n"),
  );
}
