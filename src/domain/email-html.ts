/**
 * Building blocks of HTML email that renders in Gmail and Outlook: table layout, inline
 * CSS, no script, no SVG. Every text goes through escapeHtml.
 */
import { escapeHtml } from "./html";
import type { VerdictStatus } from "./verdict";

export const emailColors = { ink: "#1c2321", muted: "#4d5a54", paper: "#fffaf3", accent: "#1f4e3d", line: "#e7dccb" };

/** The colour of a verdict's words (dark enough on white for contrast). */
export const VERDICT_COLOR: Record<VerdictStatus, string> = {
  validated: "#14532d",
  "not validated": "#7f1d1d",
  "keep testing": "#713f12",
};

/**
 * The outer frame: a centred card on a paper background, fluid up to 600 px. Mail apps
 * ignore max-width on a table with a fixed width (a phone then shrinks the whole email),
 * so the card is width 100 % with max-width 600 px, and Outlook on Windows, which ignores
 * max-width, gets a 600 px "ghost" table in conditional comments.
 */
export function emailFrame(lang: string, title: string, body: string, footer: string): string {
  const c = emailColors;
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:${c.paper};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${c.paper};"><tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid ${c.line};border-radius:12px;">
<tr><td style="padding:24px 20px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:${c.ink};">${body}</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
<p style="font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:${c.muted};max-width:600px;">${footer}</p>
</td></tr></table></body></html>`;
}

/** A bulletproof button: a link inside a coloured table cell. */
export function emailButton(href: string, label: string): string {
  const c = emailColors;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:20px 0;"><tr><td bgcolor="${c.accent}" style="border-radius:8px;background:${c.accent};"><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;font-family:Arial,Helvetica,sans-serif;font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;">${escapeHtml(label)}</a></td></tr></table>`;
}

/** A horizontal bar of `fraction` (0–1) built from two table cells. */
export function emailBar(fraction: number, color: string, width = 220): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  const rest = width - filled;
  const cell = (w: number, bg: string) =>
    w > 0
      ? `<td width="${w}" height="10" bgcolor="${bg}" style="width:${w}px;height:10px;background:${bg};font-size:0;line-height:0;">&nbsp;</td>`
      : "";
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="width:${width}px;"><tr>${cell(filled, color)}${cell(rest, "#eee6da")}</tr></table>`;
}
