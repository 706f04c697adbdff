/**
 * Escaping for HTML built as strings (the no-JavaScript form page, emails): a text or
 * attribute value becomes inert markup. Astro templates escape on their own.
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe in element content and in quoted attribute values (single or double quotes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}
