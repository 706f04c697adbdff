import { describe, expect, test } from "vitest";
import {
  announcementKey,
  announcementProgress,
  composeAnnouncement,
  parseAnnouncement,
  renderMarkdown,
  summariseAudience,
} from "../../src/domain/announcement";
import { loadConceptFiles } from "../../src/server/concepts/files";

const split = loadConceptFiles("tests/fixtures/concepts").find((concept) => concept.slug === "split");
if (!split) throw new Error("no split fixture");

describe("renderMarkdown", () => {
  test.each([
    [
      "a paragraph, a line break kept",
      "Bonjour\nà tous",
      '<p style="margin:0 0 16px;">Bonjour<br>à tous</p>',
      "Bonjour\nà tous",
    ],
    ["bold and italic", "**Vite** et *bien*", "<strong>Vite</strong> et <em>bien</em>", "Vite et bien"],
    [
      "raw HTML is text",
      "<script>alert(1)</script> <b>x</b>",
      "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;",
      "<script>alert(1)</script> <b>x</b>",
    ],
    [
      "a link",
      "[Le site](https://pli.example.com/a?b=1&c=2)",
      'href="https://pli.example.com/a?b=1&amp;c=2"',
      "Le site (https://pli.example.com/a?b=1&c=2)",
    ],
    [
      "a bare address, without its full stop",
      "Voir https://pli.example.com.",
      '<a href="https://pli.example.com/" style="color:#1f4e3d;">https://pli.example.com</a>.',
      "Voir https://pli.example.com.",
    ],
    [
      "a javascript: link stays text",
      "[x](javascript:alert(1))",
      "[x](javascript:alert(1))",
      "[x](javascript:alert(1))",
    ],
    [
      "a quote cannot leave the attribute",
      '[x](https://a.example/"onmouseover="x)',
      'href="https://a.example/%22onmouseover=%22x"',
      "x (https://a.example/%22onmouseover=%22x)",
    ],
    ["a heading", "# Lancement", ">Lancement</h2>", "Lancement"],
    [
      "a list",
      "- un\n- deux",
      '<li style="margin:0 0 4px;">un</li><li style="margin:0 0 4px;">deux</li>',
      "- un\n- deux",
    ],
    ["a numbered list", "1. un\n2. deux", "<ol", "1. un\n2. deux"],
  ])("%s", (_name, markdown, html, text) => {
    const rendered = renderMarkdown(markdown);
    expect(rendered.html).toContain(html);
    expect(rendered.text).toBe(text);
  });

  test("without inline styles (the admin's preview) it is the same markup, unstyled", () => {
    expect(renderMarkdown("# A\n\n[b](https://b.example)", { inlineStyles: false }).html).toBe(
      '<h2>A</h2>\n<p><a href="https://b.example/">b</a></p>',
    );
  });
});

describe("parseAnnouncement", () => {
  test("a subject, a text and an existing variant make a draft; an empty variant is everyone", () => {
    expect(parseAnnouncement(split, { subject: " On lance ", body: "Texte\r\n", variant: "cheaper" })).toEqual({
      ok: true,
      draft: { concept: "split", audience: { variant: "cheaper" }, subject: "On lance", body: "Texte" },
    });
    expect(parseAnnouncement(split, { subject: "On lance", body: "Texte", variant: "" })).toMatchObject({
      ok: true,
      draft: { audience: {} },
    });
  });

  test.each([
    [{ subject: "", body: "x" }, { subject: "write a subject" }],
    [{ subject: "a\rb", body: "x" }, { subject: "the subject must be one line, without control characters" }],
    [{ subject: "x".repeat(151), body: "x" }, { subject: "keep the subject to 150 characters" }],
    [{ subject: "x", body: "  " }, { body: "write the email's text" }],
    [{ subject: "x", body: "x", variant: "nope" }, { variant: 'split has no variant "nope"; it has control, cheaper' }],
    [{}, { subject: "write a subject", body: "write the email's text" }],
  ])("%j is refused: %j", (raw, errors) => {
    expect(parseAnnouncement(split, raw)).toEqual({ ok: false, errors });
  });

  test("the same announcement from a file (LF) and from a form (CRLF) has the same key; another subject another", () => {
    const draft = (subject: string, body: string) => {
      const parsed = parseAnnouncement(split, { subject, body });
      if (!parsed.ok) throw new Error("refused");
      return parsed.draft;
    };
    expect(announcementKey(draft("A", "un\ndeux"))).toBe(announcementKey(draft("A", "un\r\ndeux")));
    expect(announcementKey(draft("A", "un"))).not.toBe(announcementKey(draft("B", "un")));
    const everyone = draft("A", "un");
    expect(announcementKey(everyone)).not.toBe(announcementKey({ ...everyone, audience: { variant: "cheaper" } }));
  });
});

describe("composeAnnouncement", () => {
  test("speaks the signup's language around the founder's words, with RFC 8058 headers", () => {
    const body = renderMarkdown("Bonjour");
    const url = "https://ideas.example.com/api/unsubscribe?token=t";
    const en = composeAnnouncement({ lang: "en", title: "Pli", subject: "Live", body }, url);
    expect(en.html).toContain('<html lang="en">');
    expect(en.text).toBe(
      "Bonjour\n\n--\nYou are receiving this email because you confirmed your place on the waitlist for Pli.\nUnsubscribe: https://ideas.example.com/api/unsubscribe?token=t",
    );
    expect(en.headers).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    const fr = composeAnnouncement({ lang: "fr", title: "Pli", subject: "Live", body }, url);
    expect(fr.html).toContain(">Se désinscrire</a>");
  });
});

describe("summariseAudience and announcementProgress", () => {
  test("counts per language and variant, most first", () => {
    expect(
      summariseAudience([
        { email: "a@x.fr", lang: "fr", variant: "control" },
        { email: "b@x.fr", lang: "en", variant: "cheaper" },
        { email: "c@x.fr", lang: "fr", variant: "" },
      ]),
    ).toEqual({
      total: 3,
      byLang: [
        { lang: "fr", count: 2 },
        { lang: "en", count: 1 },
      ],
      byVariant: [
        { variant: "", count: 1 },
        { variant: "cheaper", count: 1 },
        { variant: "control", count: 1 },
      ],
    });
  });

  test.each([
    [{ queued: 20, sent: 8, failed: 0, unsubscribed: 0 }, 40, false, "8 of 20 sent, 12 to go"],
    [{ queued: 20, sent: 18, failed: 1, unsubscribed: 1 }, 100, true, "18 of 20 sent, 1 failed, 1 unsubscribed since"],
    [{ queued: 0, sent: 0, failed: 0, unsubscribed: 0 }, 100, true, "0 of 0 sent"],
  ])("%j → %i %%, done %s", (counts, percent, done, summary) => {
    expect(announcementProgress(counts)).toMatchObject({ percent, done, summary });
  });
});
