import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConceptFiles } from "../../src/server/concepts/files";

function conceptDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "racine-concepts-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("loadConceptFiles (what the content collection runs at build time)", () => {
  test("a YAML syntax error names the file and the line", () => {
    const dir = conceptDir({ "pli.yaml": "title: Pli\nlang: [fr\n" });
    expect(() => loadConceptFiles(dir)).toThrow(/Invalid concept file .*pli\.yaml:\n {2}\(YAML\): .*line 3/s);
  });

  test("a schema error names the file and the field", () => {
    const dir = conceptDir({ "pli.yaml": "title: Pli\nlang: de\n" });
    expect(() => loadConceptFiles(dir)).toThrow(/pli\.yaml:[\s\S]*lang: Invalid option/);
  });

  test("files other than .yaml/.yml are ignored", () => {
    const dir = conceptDir({ "notes.md": "# not a concept", ".DS_Store": "" });
    expect(loadConceptFiles(dir)).toEqual([]);
  });
});
