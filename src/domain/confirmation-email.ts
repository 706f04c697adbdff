/** The double opt-in email, in the visitor's language: a confirm button and a way out. */
import { createHash } from "node:crypto";
import type { Lang } from "./concept";
import type { EmailContent } from "./email";
import { emailButton, emailColors, emailFrame } from "./email-html";
import { escapeHtml } from "./html";
import { t } from "./i18n";

/** RFC 8058 one-click unsubscribe: mail providers POST `List-Unsubscribe=One-Click` to the URL. */
export function unsubscribeHeaders(unsubscribeUrl: string): EmailContent["headers"] {
  return { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

export function composeConfirmation({
  lang,
  title,
  confirmUrl,
  unsubscribeUrl,
}: {
  lang: Lang;
  title: string;
  confirmUrl: string;
  unsubscribeUrl: string;
}): EmailContent {
  const vars = { title };
  const footer = `${escapeHtml(t(lang, "email.footer", vars))} <a href="${escapeHtml(unsubscribeUrl)}" style="color:${emailColors.muted};">${escapeHtml(t(lang, "email.unsubscribe"))}</a>`;
  const body = `<p style="margin:0 0 6px;font-weight:bold;color:${emailColors.accent};">${escapeHtml(title)}</p>
<p style="margin:0;">${escapeHtml(t(lang, "email.confirm.intro", vars))}</p>
${emailButton(confirmUrl, t(lang, "email.confirm.button"))}
<p style="margin:0;font-size:14px;color:${emailColors.muted};">${escapeHtml(t(lang, "email.confirm.ignore"))}</p>`;
  return {
    subject: t(lang, "email.confirm.subject", vars),
    html: emailFrame(lang, t(lang, "email.confirm.subject", vars), body, footer),
    text: [
      t(lang, "email.confirm.intro", vars),
      "",
      confirmUrl,
      "",
      t(lang, "email.confirm.ignore"),
      "",
      "--",
      t(lang, "email.footer", vars),
      `${t(lang, "email.unsubscribe")}: ${unsubscribeUrl}`,
    ].join("\n"),
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
}

/** The wording a visitor agreed to next to the form, and a short version id of it. */
export function consentOf(text: string): { text: string; version: string } {
  return { text, version: createHash("sha256").update(text).digest("hex").slice(0, 12) };
}
