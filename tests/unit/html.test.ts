import { expect, test } from "vitest";
import { escapeHtml } from "../../src/domain/html";

test.each([
  [
    "the five special characters",
    `<a href="x" title='y'>&</a>`,
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  ],
  ["an entity, escaped again (text, not markup)", "&amp;", "&amp;amp;"],
  ["plain text, unchanged", "Pli — la box origami", "Pli — la box origami"],
])("escapeHtml escapes %s", (_name, text, escaped) => {
  expect(escapeHtml(text)).toBe(escaped);
});
