import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { LANDING_BUDGET, pageWeight } from "../../src/domain/page-weight";
import { variantPath } from "../../src/domain/paths";
import { loadConceptFiles } from "../../src/server/concepts/files";

// The founder's own pages, as built into dist/ (the global setup builds when sources changed).
const pages = loadConceptFiles()
  .filter((concept) => concept.status !== "draft")
  .flatMap((concept) => concept.variants.map((variant) => variantPath(concept.slug, variant.id)));

describe("landing page weight", () => {
  test.each(pages)("%s: ≤ 1.5 KB of JavaScript and ≤ 30 KB in all, no external script or stylesheet", (path) => {
    const html = readFileSync(join("dist/client", path, "index.html"), "utf8");
    const weight = pageWeight(html);
    expect(weight.js).toBeGreaterThan(0);
    expect(weight.js).toBeLessThanOrEqual(LANDING_BUDGET.js);
    expect(weight.html).toBeLessThanOrEqual(LANDING_BUDGET.total);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+rel="stylesheet"/);
  });
});
