import { describe, expect, test } from "vitest";
import { contentSecurityPolicy, hashOf, inlineStylesOfBuild, onDemandPolicy } from "../../src/domain/csp";

describe("Content-Security-Policy", () => {
  const injected = "<html><style>p{}</style><script>alert(1)</script></html>";

  test("a built page's policy allows exactly its own inline script and style", () => {
    const policy = contentSecurityPolicy(injected);
    expect(policy).toContain(`script-src 'self' ${hashOf("alert(1)")}`);
    expect(policy).toContain(`style-src 'self' ${hashOf("p{}")}`);
  });

  test("an on-demand page's policy depends on the build only: no inline script, whatever the page holds", () => {
    const policy = onDemandPolicy([hashOf("p{}")]);
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain(hashOf("alert(1)"));
    expect(policy).toContain(`style-src 'self' ${hashOf("p{}")};`);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  test("the build's inline styles are read from the server manifest, escapes decoded, each once", () => {
    const entry = String.raw`{"styles":[{"type":"inline","content":"a{content:\"x\"}"},{"type":"external","src":"/x.css"},{"type":"inline","content":"a{content:\"x\"}"},{"type":"inline","content":"b\\c{}"}]}`;
    expect(inlineStylesOfBuild(entry)).toEqual(['a{content:"x"}', "b\\c{}"]);
  });
});
