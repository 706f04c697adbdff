/**
 * The embeddable form: who may frame /embed/<slug>/ (the frame-ancestors of its CSP, from
 * EMBED_ORIGINS), the copy-paste snippet a founder puts on another site, and the admin
 * panel that shows both. Pure: the settings come in, text goes out.
 */
import type { Concept } from "./concept";
import { escapeHtml } from "./html";
import { embedPath } from "./paths";

/** The traffic source of everything the embed counts (its view beacon and its form send it as utm_source). */
export const EMBED_SOURCE = "embed";

/** The frame's height before its first message (or for ever, if the host page sends no referrer). */
const INITIAL_HEIGHT = 420;

export interface EmbedSettings {
  /** The public URL of racine (SITE_URL, else where it listens): the snippet's frame points there. */
  siteUrl: string;
  /** The origins allowed to frame the embed (EMBED_ORIGINS); none: embedding is refused. */
  origins: readonly string[];
}

/** The CSP frame-ancestors value: the configured origins, or 'none' (no page may frame it) without any. */
export function frameAncestors(origins: readonly string[]): string {
  return origins.length > 0 ? origins.join(" ") : "'none'";
}

/**
 * The snippet: the frame alone works (at a fixed height); the script beside it resizes the
 * frame to the form, trusting only a message from racine's origin sent by that very frame
 * (the frame posts its height, a number, to the host's origin only: src/scripts/embed-frame.js).
 */
export function embedSnippet(concept: Pick<Concept, "slug" | "title">, siteUrl: string): string {
  const origin = new URL(siteUrl).origin;
  const src = new URL(embedPath(concept.slug), siteUrl).href;
  const id = `racine-${concept.slug}`;
  return [
    `<iframe id="${id}" src="${escapeHtml(src)}" title="${escapeHtml(concept.title)}" height="${INITIAL_HEIGHT}" style="width:100%;max-width:640px;border:0" loading="lazy"></iframe>`,
    "<script>",
    `  addEventListener("message", (event) => {`,
    `    const frame = document.getElementById(${JSON.stringify(id)});`,
    `    if (!frame || event.origin !== ${JSON.stringify(origin)} || event.source !== frame.contentWindow) return;`,
    `    if (Number.isFinite(event.data) && event.data > 0) frame.style.height = \`\${Math.ceil(event.data)}px\`;`,
    "  });",
    "</script>",
  ].join("\n");
}

export interface EmbedPanel {
  snippet: string;
  /** The allowed origins in words: "https://a.example, https://b.example", or "none". */
  allowed: string;
  /** Set when the snippet cannot work yet: why, and the fix. */
  note: string | undefined;
}

export function composeEmbedPanel(concept: Concept, settings: EmbedSettings): EmbedPanel {
  const note =
    settings.origins.length === 0
      ? "No site may frame this form yet: set EMBED_ORIGINS to the origins of your sites (such as https://shop.example.com) and restart."
      : concept.status === "draft"
        ? "A draft has no public page: the embed answers 404 until the concept is published."
        : concept.status !== "live"
          ? `This concept is ${concept.status}: the embed says that the list is closed.`
          : undefined;
  return {
    snippet: embedSnippet(concept, settings.siteUrl),
    allowed: settings.origins.length > 0 ? settings.origins.join(", ") : "none",
    note,
  };
}
