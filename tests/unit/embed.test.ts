import { describe, expect, test } from "vitest";
import type { Concept } from "../../src/domain/concept";
import { contentSecurityPolicy } from "../../src/domain/csp";
import { composeEmbedPanel, embedSnippet, frameAncestors } from "../../src/domain/embed";
import { fixture } from "../support/server";

describe("who may frame the embed", () => {
  test.each([
    [[], "'none'"],
    [["https://shop.example.com"], "https://shop.example.com"],
    [["https://shop.example.com", "http://127.0.0.1:8080"], "https://shop.example.com http://127.0.0.1:8080"],
  ])("origins %j: frame-ancestors %s", (origins, expected) => {
    expect(frameAncestors(origins)).toBe(expected);
    expect(contentSecurityPolicy("<p>embed</p>", frameAncestors(origins))).toMatch(
      new RegExp(`(^|; )frame-ancestors ${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(;|$)`),
    );
  });

  test("any other page may be framed by nobody", () => {
    expect(contentSecurityPolicy("<p>landing</p>")).toContain("frame-ancestors 'none'");
  });
});

describe("the snippet", () => {
  const concept = { slug: "origami", title: `Pli <"la box"> & co` };
  const snippet = embedSnippet(concept, "https://ideas.example.com/racine/");

  test("frames the concept's embed page at racine's public URL, titled with the concept, HTML-escaped", () => {
    expect(snippet).toContain('src="https://ideas.example.com/embed/origami/"');
    expect(snippet).toContain('title="Pli &lt;&quot;la box&quot;&gt; &amp; co"');
    expect(snippet).not.toContain('<"la box">');
  });

  test("resizes the frame only on a message from racine's origin sent by that frame", () => {
    expect(snippet).toContain('event.origin !== "https://ideas.example.com"');
    expect(snippet).toContain("event.source !== frame.contentWindow");
  });

  test("resizes the frame it inserted, from a height posted by the framed page", () => {
    // The snippet's script, run against a stand-in document: only the genuine message counts.
    const frame = { contentWindow: {}, style: { height: "" } };
    const listeners: ((event: unknown) => void)[] = [];
    const script = /<script>([\s\S]*)<\/script>/.exec(snippet)?.[1] ?? "";
    new Function("addEventListener", "document", script)(
      (type: string, listener: (event: unknown) => void) => type === "message" && listeners.push(listener),
      { getElementById: (id: string) => (id === "racine-origami" ? frame : null) },
    );
    const send = (event: object) => {
      for (const listener of listeners) listener(event);
    };
    send({ origin: "https://evil.example.com", source: frame.contentWindow, data: 9999 });
    send({ origin: "https://ideas.example.com", source: {}, data: 9999 });
    send({ origin: "https://ideas.example.com", source: frame.contentWindow, data: "9999px" });
    expect(frame.style.height).toBe("");
    send({ origin: "https://ideas.example.com", source: frame.contentWindow, data: 311.2 });
    expect(frame.style.height).toBe("312px");
  });
});

describe("the admin panel", () => {
  const live: Concept = fixture("plain");

  test.each([
    [live, [], "none", /No site may frame this form yet: set EMBED_ORIGINS/],
    [live, ["https://a.example", "https://b.example"], "https://a.example, https://b.example", undefined],
    [
      fixture("paused"),
      ["https://a.example"],
      "https://a.example",
      /is paused: the embed says that the list is closed/,
    ],
    [fixture("draft"), ["https://a.example"], "https://a.example", /A draft has no public page/],
  ])("%#: allowed %s, note %s", (concept, origins, allowed, note) => {
    const panel = composeEmbedPanel(concept, { siteUrl: "http://127.0.0.1:4321", origins });
    expect(panel.allowed).toBe(allowed);
    if (note) expect(panel.note).toMatch(note);
    else expect(panel.note).toBeUndefined();
    expect(panel.snippet).toBe(embedSnippet(concept, "http://127.0.0.1:4321"));
  });
});
