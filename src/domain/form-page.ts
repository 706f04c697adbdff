/**
 * Re-renders a prerendered landing page with a form error, for browsers without
 * JavaScript: the message goes into the form's message slot and the typed values are
 * kept, escaped, so the visitor only fixes what was wrong.
 */
import { escapeHtml } from "./html";

export const MESSAGE_SLOT_ID = "waitlist-msg";

export interface FormErrorView {
  message: string;
  values: Partial<Record<"email" | "name", string>>;
}

export function renderFormError(html: string, view: FormErrorView): string {
  let page = html.replace(
    new RegExp(`<p([^>]*) id="${MESSAGE_SLOT_ID}"([^>]*)></p>`),
    (_match, before: string, after: string) =>
      `<p${before} id="${MESSAGE_SLOT_ID}"${after} data-state="error">${escapeHtml(view.message)}</p>`,
  );
  for (const [field, value] of Object.entries(view.values)) {
    if (value === undefined) continue;
    page = page.replace(
      new RegExp(`<input([^>]*) name="${field}"([^>]*)>`),
      (_match, before: string, after: string) => {
        const invalid = field === "email" ? ` aria-invalid="true" aria-describedby="${MESSAGE_SLOT_ID}"` : "";
        return `<input${before} name="${field}"${after.replace(/\/$/, "")} value="${escapeHtml(value)}"${invalid}>`;
      },
    );
  }
  return page;
}
