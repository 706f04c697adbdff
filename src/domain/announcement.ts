/**
 * Announcements: one email from the founder to a concept's confirmed waitlist (a launch, a
 * date). What is asked (`parseAnnouncement`: a subject, a Markdown body, maybe one variant),
 * the Markdown made safe (`renderMarkdown`: every character escaped, a small subset turned
 * into tags), the email as each signup gets it (`composeAnnouncement`, in the signup's
 * language, with RFC 8058 one-click unsubscribe), who it goes to (`summariseAudience`) and how
 * far it went (`announcementProgress`). Pure: the store gathers, the outbox sends.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Concept, Lang } from "./concept";
import { unsubscribeHeaders } from "./confirmation-email";
import type { EmailContent } from "./email";
import { emailColors, emailFrame } from "./email-html";
import { escapeHtml } from "./html";
import { t } from "./i18n";
import { tiersShown } from "./ladder-steps";

/**
 * Which confirmed, still-subscribed signups of the concept an announcement is for: all of
 * them, or those of one variant, or of one fake-door tier (the tier they joined with), or
 * both. A new filter is one more optional field here and one more condition in the store's
 * audience query; stored as JSON, it needs no migration.
 */
export const AnnouncementAudience = z
  .object({ variant: z.string().min(1).optional(), tier: z.string().min(1).optional() })
  .strict();
export type AnnouncementAudience = z.infer<typeof AnnouncementAudience>;

export const ANNOUNCEMENT_LIMITS = { subject: 150, body: 20_000 } as const;
/** Gmail clips a message whose HTML passes 102 KB: the reader would lose the unsubscribe link at the foot. */
export const EMAIL_HTML_LIMIT_BYTES = 102 * 1024;

// No control characters in a subject: a CR or LF would end the header and start another.
const Subject = z
  .string("write a subject")
  .trim()
  .min(1, "write a subject")
  .max(ANNOUNCEMENT_LIMITS.subject, `keep the subject to ${ANNOUNCEMENT_LIMITS.subject} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), "the subject must be one line, without control characters");

// A form posts CRLF line ends, a file may hold LF: the same text is the same announcement.
const Body = z
  .string("write the email's text")
  .transform((text) => text.replace(/\r\n?/g, "\n"))
  .pipe(
    z
      .string()
      .trim()
      .min(1, "write the email's text")
      .max(ANNOUNCEMENT_LIMITS.body, `keep the text to ${ANNOUNCEMENT_LIMITS.body.toLocaleString("en")} characters`),
  );

/** A filter as the CLI and the form read it: empty is no filter. */
const Filter = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((value) => value || undefined);

/** What the founder asks for, as the CLI and the form read it. */
export const AnnouncementRequest = z.object({ subject: Subject, body: Body, variant: Filter, tier: Filter });
export type AnnouncementRequest = z.infer<typeof AnnouncementRequest>;

export interface AnnouncementDraft {
  concept: string;
  audience: AnnouncementAudience;
  subject: string;
  /** Markdown, as written. */
  body: string;
}

export type ParsedAnnouncement =
  | { ok: true; draft: AnnouncementDraft }
  | { ok: false; errors: Partial<Record<keyof AnnouncementRequest, string>> };

/** Reads a request for `concept`: the fields' rules, a variant the concept has, an email that fits. */
export function parseAnnouncement(concept: Concept, raw: unknown): ParsedAnnouncement {
  const parsed = AnnouncementRequest.safeParse(raw);
  if (!parsed.success) {
    const errors: Partial<Record<keyof AnnouncementRequest, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof AnnouncementRequest;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { subject, body, variant, tier } = parsed.data;
  const ids = concept.variants.map((v) => v.id);
  if (variant !== undefined && !ids.includes(variant))
    return { ok: false, errors: { variant: `${concept.slug} has no variant "${variant}"; it has ${ids.join(", ")}` } };
  const tiers = tierIds(concept);
  if (tier !== undefined && !tiers.includes(tier))
    return {
      ok: false,
      errors: {
        tier:
          tiers.length === 0
            ? `${concept.slug} shows no tiers`
            : `${concept.slug} has no tier "${tier}"; it has ${tiers.join(", ")}`,
      },
    };
  // The longest footer, the longest link: if this fits, every signup's email fits.
  const longest = composeAnnouncement(
    { lang: "fr", title: concept.title, subject, body: renderMarkdown(body) },
    `https://${"x".repeat(200)}`,
  );
  if (Buffer.byteLength(longest.html) > EMAIL_HTML_LIMIT_BYTES)
    return { ok: false, errors: { body: "the email would pass 102 KB, where Gmail cuts it: shorten the text" } };
  const audience = { ...(variant ? { variant } : {}), ...(tier ? { tier } : {}) };
  return { ok: true, draft: { concept: concept.slug, audience, subject, body } };
}

/** The ids of every tier one of the concept's variants shows, once each: what `tier` may name. */
export const tierIds = (concept: Concept): string[] => tiersShown(concept, undefined).map((tier) => tier.id);

/** The filters of an audience in words: "variant prix-doux, tier passion", or "" for everyone. */
function audienceFilters(audience: AnnouncementAudience): string {
  return [audience.variant && `variant ${audience.variant}`, audience.tier && `tier ${audience.tier}`]
    .filter(Boolean)
    .join(", ");
}

/** The same concept, audience, subject and body: the same announcement (a second run or post resumes it). */
export function announcementKey(draft: AnnouncementDraft): string {
  const { concept, audience, subject, body } = draft;
  // Every field of the audience, in a fixed order: a filter added later is part of the key by itself.
  const filters = Object.entries(audience).sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(JSON.stringify([concept, filters, subject, body]))
    .digest("hex");
}

export interface RenderedBody {
  html: string;
  text: string;
}

const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

/** A link's address if it is one a reader can safely follow (http, https, mailto); otherwise none. */
function safeHref(address: string): string | undefined {
  if (!URL.canParse(address)) return undefined;
  const url = new URL(address);
  return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : undefined;
}

/** `**bold**` and `*italic*` in text already escaped (escaping leaves the stars alone). */
const emphasis = (escaped: string) =>
  escaped.replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>").replace(/\*([^*\n]+)\*/g, "<em>$1</em>");
const plainEmphasis = (text: string) => text.replace(/\*\*([^*\n]+)\*\*/g, "$1").replace(/\*([^*\n]+)\*/g, "$1");

/** One line of inline Markdown: links (written or bare), bold and italic; everything else is text. */
function renderInline(line: string, linkStyle: string): RenderedBody {
  let html = "";
  let text = "";
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    const before = line.slice(last, match.index);
    html += emphasis(escapeHtml(before));
    text += plainEmphasis(before);
    last = match.index + match[0].length;
    const [whole, label, address, bare] = match;
    const href = safeHref(bare ?? address ?? "");
    if (!href) {
      html += emphasis(escapeHtml(whole));
      text += plainEmphasis(whole);
    } else if (bare) {
      html += `<a href="${escapeHtml(href)}"${linkStyle}>${escapeHtml(bare)}</a>`;
      text += bare;
    } else {
      html += `<a href="${escapeHtml(href)}"${linkStyle}>${emphasis(escapeHtml(label ?? ""))}</a>`;
      text += `${plainEmphasis(label ?? "")} (${href.replace(/^mailto:/, "")})`;
    }
  }
  const rest = line.slice(last);
  return { html: html + emphasis(escapeHtml(rest)), text: text + plainEmphasis(rest) };
}

const HEADING = /^(#{1,3})\s+(.*)$/;
const BULLET = /^[-*]\s+(.*)$/;
const NUMBERED = /^\d+[.)]\s+(.*)$/;

/**
 * A small Markdown, made safe: paragraphs (a single line break stays one), `#` headings, `-`
 * and `1.` lists, links, `**bold**`, `*italic*`. Raw HTML is text: every character is escaped
 * before any tag is added, and a link that is not http, https or mailto stays text. Mail apps
 * need inline styles; the admin's preview goes without (its Content-Security-Policy allows none).
 */
export function renderMarkdown(
  markdown: string,
  { inlineStyles = true }: { inlineStyles?: boolean } = {},
): RenderedBody {
  const style = (css: string) => (inlineStyles ? ` style="${css}"` : "");
  const inline = (line: string) => renderInline(line, style(`color:${emailColors.accent};`));
  const html: string[] = [];
  const text: string[] = [];
  const blocks = markdown
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  for (const block of blocks) {
    const lines = block.split("\n").map((line) => line.trim());
    const heading = lines.length === 1 ? HEADING.exec(lines[0] ?? "") : null;
    if (heading) {
      const title = inline(heading[2] ?? "");
      const size = heading[1]?.length === 1 ? 22 : 18;
      html.push(
        `<h2${style(`margin:0 0 12px;font-size:${size}px;line-height:1.3;color:${emailColors.ink};`)}>${title.html}</h2>`,
      );
      text.push(title.text);
      continue;
    }
    const list = lines.every((line) => BULLET.test(line))
      ? { tag: "ul", pattern: BULLET }
      : lines.every((line) => NUMBERED.test(line))
        ? { tag: "ol", pattern: NUMBERED }
        : undefined;
    if (list) {
      const items = lines.map((line) => inline(list.pattern.exec(line)?.[1] ?? ""));
      const lis = items.map((item) => `<li${style("margin:0 0 4px;")}>${item.html}</li>`).join("");
      html.push(`<${list.tag}${style("margin:0 0 16px;padding-left:24px;")}>${lis}</${list.tag}>`);
      text.push(items.map((item, index) => `${list.tag === "ul" ? "-" : `${index + 1}.`} ${item.text}`).join("\n"));
      continue;
    }
    const paragraph = lines.map(inline);
    html.push(`<p${style("margin:0 0 16px;")}>${paragraph.map((line) => line.html).join("<br>")}</p>`);
    text.push(paragraph.map((line) => line.text).join("\n"));
  }
  return { html: html.join("\n"), text: text.join("\n\n") };
}

export interface AnnouncementEmail {
  /** The signup's language: the footer, the unsubscribe link and the page's language attribute. */
  lang: Lang;
  /** The concept's title (why this person gets it). */
  title: string;
  subject: string;
  body: RenderedBody;
}

/** The email one signup gets: the founder's words, the reason they get it, a way out in one click. */
export function composeAnnouncement(email: AnnouncementEmail, unsubscribeUrl: string): EmailContent {
  const { lang, title, subject, body } = email;
  const footerText = t(lang, "email.announcement.footer", { title });
  const footer = `${escapeHtml(footerText)} <a href="${escapeHtml(unsubscribeUrl)}" style="color:${emailColors.muted};">${escapeHtml(t(lang, "email.unsubscribe"))}</a>`;
  return {
    subject,
    html: emailFrame(lang, subject, body.html, footer),
    text: [body.text, "", "--", footerText, `${t(lang, "email.unsubscribe")}: ${unsubscribeUrl}`].join("\n"),
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
}

export interface AudienceMember {
  email: string;
  lang: Lang;
  variant: string;
}

export interface AudienceSummary {
  total: number;
  byLang: { lang: Lang; count: number }[];
  /** "" is a signup whose variant is unknown (an API signup without one). */
  byVariant: { variant: string; count: number }[];
}

const tally = <K extends string>(keys: readonly K[]) => {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
};

/** Who an announcement would reach: how many, per language and per variant. */
export function summariseAudience(members: readonly AudienceMember[]): AudienceSummary {
  return {
    total: members.length,
    byLang: tally(members.map((m) => m.lang)).map(([lang, count]) => ({ lang, count })),
    byVariant: tally(members.map((m) => m.variant)).map(([variant, count]) => ({ variant, count })),
  };
}

/** An audience in words: "all 20 confirmed signups" or "the 7 confirmed signups of variant prix-doux". */
export function describeAudience(audience: AnnouncementAudience, total: number): string {
  const who = `${total.toLocaleString("en")} confirmed signup${total === 1 ? "" : "s"}`;
  const filters = audienceFilters(audience);
  return filters ? `the ${who} of ${filters}` : `all ${who}`;
}

/** An announcement's outbox rows by state, as the store counts them. */
export interface AnnouncementCounts {
  queued: number;
  sent: number;
  /** Failed after every retry, or refused by the provider. */
  failed: number;
  /** Not sent because the person unsubscribed after it was queued. */
  unsubscribed: number;
}

export interface AnnouncementProgress extends AnnouncementCounts {
  /** Still to send (waiting, or between retries). */
  pending: number;
  /** Settled (sent, failed or unsubscribed), in whole percents. */
  percent: number;
  done: boolean;
  /** "18 of 20 sent, 1 failed, 1 unsubscribed since". */
  summary: string;
}

export function announcementProgress(counts: AnnouncementCounts): AnnouncementProgress {
  const { queued, sent, failed, unsubscribed } = counts;
  const settled = sent + failed + unsubscribed;
  const pending = Math.max(0, queued - settled);
  const parts = [`${sent.toLocaleString("en")} of ${queued.toLocaleString("en")} sent`];
  if (failed > 0) parts.push(`${failed.toLocaleString("en")} failed`);
  if (unsubscribed > 0) parts.push(`${unsubscribed.toLocaleString("en")} unsubscribed since`);
  if (pending > 0) parts.push(`${pending.toLocaleString("en")} to go`);
  return {
    ...counts,
    pending,
    percent: queued === 0 ? 100 : Math.floor((settled / queued) * 100),
    done: pending === 0,
    summary: parts.join(", "),
  };
}

/** An announcement as the admin pages list it. */
export interface AnnouncementRow {
  id: number;
  concept: string;
  subject: string;
  /** "all", "variant cheaper", "tier passion" or both. */
  audience: string;
  /** When it was queued, to the minute (UTC). */
  queuedAt: string;
  progress: AnnouncementProgress;
}

export function composeAnnouncementList(
  list: readonly { id: number; concept: string; subject: string; audience: AnnouncementAudience; createdAt: Date }[],
  counts: ReadonlyMap<number, AnnouncementCounts>,
): AnnouncementRow[] {
  return list.map((announcement) => ({
    id: announcement.id,
    concept: announcement.concept,
    subject: announcement.subject,
    audience: audienceFilters(announcement.audience) || "all",
    queuedAt: `${announcement.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    progress: announcementProgress(counts.get(announcement.id) ?? { queued: 0, sent: 0, failed: 0, unsubscribed: 0 }),
  }));
}

/**
 * POST /admin/announcements: the concept, the step (a preview that counts, or the send
 * confirmed at that count) and the fields as typed, checked by parseAnnouncement after.
 */
export const AnnouncementForm = z.object({
  concept: z.string().min(1).max(200),
  step: z.enum(["preview", "send"]).default("preview"),
  /** The count the founder saw and confirmed. */
  expected: z.coerce.number().int().min(0).optional(),
  subject: z.string().default(""),
  body: z.string().default(""),
  variant: z.string().default(""),
  tier: z.string().default(""),
});
