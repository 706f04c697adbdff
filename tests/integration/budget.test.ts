import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { EMBED_BUDGET, LANDING_BUDGET, pageWeight } from "../../src/domain/page-weight";
import { embedPath, variantPath } from "../../src/domain/paths";
import { loadConceptFiles } from "../../src/server/concepts/files";

// The founder's own pages, as built into dist/ (the global setup builds when sources changed).
const published = loadConceptFiles().filter((concept) => concept.status !== "draft");
const pages = published.flatMap((concept) => concept.variants.map((variant) => variantPath(concept.slug, variant.id)));

function expectWithin(path: string, budget: { js: number; total: number }): void {
  const html = readFileSync(join("dist/client", path, "index.html"), "utf8");
  const weight = pageWeight(html);
  expect(weight.js).toBeGreaterThan(0);
  expect(weight.js).toBeLessThanOrEqual(budget.js);
  expect(weight.html).toBeLessThanOrEqual(budget.total);
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"/);
}

describe("landing page weight", () => {
  test.each(pages)("%s: ≤ 2 KB of JavaScript and ≤ 30 KB in all, no external script or stylesheet", (path) =>
    expectWithin(path, LANDING_BUDGET),
  );
});

describe("embed page weight", () => {
  test.each(published.map((concept) => embedPath(concept.slug)))(
    "%s: ≤ 2.25 KB of JavaScript and ≤ 10 KB in all, no external script or stylesheet",
    (path) => expectWithin(path, EMBED_BUDGET),
  );
});
