/**
 * Content-Security-Policy for a page: only this origin, and inline scripts and styles
 * allowed by their SHA-256 hashes (no 'unsafe-inline'), computed from the HTML itself.
 */
import { createHash } from "node:crypto";

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g;
const INLINE_STYLE = /<style[^>]*>([\s\S]*?)<\/style>/g;

const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

function hashes(html: string, pattern: RegExp): string[] {
  return [...new Set([...html.matchAll(pattern)].map((match) => hashOf(match[1] ?? "")))];
}

export function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes(html, INLINE_SCRIPT).join(" ")}`.trim(),
    `style-src 'self' ${hashes(html, INLINE_STYLE).join(" ")}`.trim(),
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
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
