import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { isSupportedNode, MINIMUM_NODE, requireSupportedNode } from "../../scripts/lib/node-version";

describe("the supported Node versions", () => {
  test.each([
    ["20.20.2", false],
    ["v20.19.0", false],
    ["22.11.0", false],
    ["22.12.0", true],
    ["22.20.1", true],
    ["v24.21.0", true],
    ["26.0.0", true],
  ])("Node %s is supported: %s", (version, supported) => {
    expect(isSupportedNode(version)).toBe(supported);
  });

  test("an older Node is refused with a message that names both versions and how to get Node 24", () => {
    expect(() => requireSupportedNode("20.20.2")).toThrow(/needs Node 22\.12\.0 or newer .*this is Node 20\.20\.2/);
    expect(() => requireSupportedNode("20.20.2")).toThrow(/node@24/);
    expect(() => requireSupportedNode("24.21.0")).not.toThrow();
  });

  test("package.json's engines state the same minimum, and npm enforces it", () => {
    const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(`>=${MINIMUM_NODE.replace(/\.0$/, "")}`);
    expect(readFileSync(".npmrc", "utf8")).toMatch(/^engine-strict=true$/m);
  });

  test("this test run itself is on a supported Node", () => {
    expect(isSupportedNode(process.versions.node)).toBe(true);
  });
});
