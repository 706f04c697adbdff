/** What a page weighs on the wire before images: its HTML, and the CSS and JavaScript inside it. */
export interface PageWeight {
  html: number;
  css: number;
  js: number;
}

const bytes = (text: string) => Buffer.byteLength(text);
const sum = (html: string, pattern: RegExp) =>
  [...html.matchAll(pattern)].reduce((total, m) => total + bytes(m[1] ?? ""), 0);

export function pageWeight(html: string): PageWeight {
  return {
    html: bytes(html),
    css: sum(html, /<style[^>]*>([\s\S]*?)<\/style>/g),
    js: sum(html, /<script[^>]*>([\s\S]*?)<\/script>/g),
  };
}

/**
 * The landing-page budget (issue "proof under load"): JavaScript and everything but images.
 * 1.5 KB of script until the intent ladder, whose tier click and thank-you step forms
 * answer in place (no reload) through the waitlist form's own handler: ~0.5 KB more.
 */
export const LANDING_BUDGET = { js: 2048, total: 30 * 1024 };

/**
 * The embed page's budget: the landing page's script plus 256 bytes for the frame's own (its
 * height, posted to the host page), and a third of its weight in all, as it loads inside
 * someone else's page.
 */
export const EMBED_BUDGET = { js: LANDING_BUDGET.js + 256, total: 10 * 1024 };
