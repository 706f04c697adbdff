/**
 * Content-Security-Policy for a page: only this origin, and inline scripts and styles
 * allowed by their SHA-256 hashes (no 'unsafe-inline'). Prerendered pages are hashed from
 * their built HTML; pages rendered on demand get the hashes of the inline styles known at
 * build time and no inline script at all (see onDemandPolicy), never hashes of what they
 * happened to render.
 */
import { createHash } from "node:crypto";

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g;
const INLINE_STYLE = /<style[^>]*>([\s\S]*?)<\/style>/g;

export const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

function hashes(html: string, pattern: RegExp): string[] {
  return [...new Set([...html.matchAll(pattern)].map((match) => hashOf(match[1] ?? "")))];
}

/**
 * The policy of a built (trusted) page: its own inline scripts and styles, hashed. No page
 * may frame it unless `ancestors` says otherwise (the embed: see frameAncestors).
 */
export function contentSecurityPolicy(html: string, ancestors = "'none'"): string {
  return policyWith(hashes(html, INLINE_SCRIPT), hashes(html, INLINE_STYLE), ancestors);
}

/**
 * The policy of a page rendered on demand: the inline styles of the build (their hashes,
 * computed once from the build's manifest) and no inline script — none of those pages has
 * one, so a script injected into one would not run.
 */
export function onDemandPolicy(buildStyleHashes: readonly string[]): string {
  return policyWith([], buildStyleHashes);
}

/** The inline style contents the Astro build declares in its server manifest (entry.mjs). */
export function inlineStylesOfBuild(entrySource: string): string[] {
  const found = entrySource.matchAll(/"type":"inline","content":("(?:[^"\\]|\\.)*")/g);
  return [...new Set([...found].map((match) => JSON.parse(match[1] ?? '""') as string))];
}

function policyWith(scriptHashes: readonly string[], styleHashes: readonly string[], ancestors = "'none'"): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(" ")}`.trim(),
    `style-src 'self' ${styleHashes.join(" ")}`.trim(),
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
}

/**
 * The policy of every response that is not a page (JSON, CSV, images, scripts, errors):
 * nothing may load from it, nothing may frame it. Pages replace it with their own.
 */
export const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every response carries (the CSP is replaced by each page's own). */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": NON_HTML_CSP,
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};
