/**
 * What a waitlist signup may contain, and how an email address is checked and keyed.
 * Error messages are message keys (`email.invalid`), localised by the edge.
 */
import { domainToASCII, domainToUnicode } from "node:url";
import { z } from "zod";
import { Slug } from "./concept";
import { MESSAGES, type MessageKey } from "./i18n";

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 80;

/** The honeypot field's innocuous name: humans never see it, naive bots fill it. */
export const HONEYPOT_FIELD = "website";

/**
 * The time trap: the form's script reports how long the page was open before submitting
 * (`fill_ms`); a person needs more than this. Clients that send no timing (no JavaScript,
 * API clients) are not judged by it.
 */
export const MIN_FILL_MS = 1500;

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;
// C0/C1 control characters, including CR and LF: never part of an address or a name.
const CONTROL = /\p{Cc}/u;

/** True when the address has one @, a sane local part and a domain with a real TLD. */
export function isValidEmail(email: string): boolean {
  if (email.length > EMAIL_MAX_LENGTH || CONTROL.test(email) || !email.isWellFormed()) return false;
  const at = email.indexOf("@");
  if (at < 1 || at !== email.lastIndexOf("@")) return false;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split(".");
  const tld = labels.at(-1) ?? "";
  return (
    local.length <= 64 &&
    ATEXT.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TLD.test(tld.toLowerCase())
  );
}

/**
 * The domain's ASCII (IDNA) form, lower-case, as mail servers read it: `bücher.de` →
 * `xn--bcher-kva.de`; undefined when it has none (bad punycode, a label the IDNA rules
 * refuse, a label longer than 63 characters once encoded). `domainToASCII` is a pure
 * computation (WHATWG URL host parsing), no lookup.
 */
function asciiDomain(domain: string): string | undefined {
  const known = asciiDomains.get(domain);
  if (known !== undefined || asciiDomains.has(domain)) return known;
  const ascii = domainToASCII(domain);
  const labels = ascii.split(".");
  const checked = ascii !== "" && ascii.length <= 253 && labels.every(isAsciiLabel) ? ascii : undefined;
  if (asciiDomains.size >= ASCII_DOMAINS_KEPT) asciiDomains.clear();
  asciiDomains.set(domain, checked);
  return checked;
}

// The answers for the domains seen lately: a signup asks three times (check, key, delivery
// address), and most people share a few providers' domains.
const ASCII_DOMAINS_KEPT = 1024;
const asciiDomains = new Map<string, string | undefined>();

// Node 24's domainToASCII passes an `xn--` label through unchecked: one that does not
// decode (`xn--zz`) is no domain anyone can own.
const isAsciiLabel = (label: string) =>
  label.length >= 1 && label.length <= 63 && (!label.startsWith("xn--") || domainToUnicode(label) !== label);

const splitAddress = (email: string) => {
  const at = email.lastIndexOf("@");
  return { local: email.slice(0, at), domain: email.slice(at + 1) };
};

/**
 * The de-duplication key: one person however the address is written. NFKC (fullwidth
 * `ｇｍａｉｌ.com` is `gmail.com`), lower-cased whole (RFC 5321 lets a server treat the
 * local part as case-sensitive, but no major provider does: `Ann@x.com` and `ann@x.com`
 * are one person, and two rows would count them twice and mail them twice), the domain in
 * its ASCII form. Total, so that a lookup by a malformed address simply finds nothing: a
 * domain with no ASCII form (refused at signup) keys on its lower-cased self.
 */
export function emailKey(email: string): string {
  const { local, domain } = splitAddress(email.normalize("NFKC"));
  const lower = domain.toLowerCase();
  return `${local.toLowerCase()}@${asciiDomain(lower) ?? lower}`;
}

/**
 * Where an email to a stored address is sent: the address as entered (NFKC, as the form
 * keeps it), with its domain in ASCII form, so that no mail server is asked for SMTPUTF8
 * (the local part is ASCII: isValidEmail asks for it).
 */
export function deliveryAddress(email: string): string {
  const { local, domain } = splitAddress(email.normalize("NFKC"));
  return `${local}@${asciiDomain(domain) ?? domain}`;
}

/**
 * An address as the form and the API take it: trimmed and NFKC-normalised (the address
 * kept, and the one mailed), then checked, its domain last (a clear message for a domain
 * that looks right but has no ASCII form).
 */
export const EmailAddress = z
  .string("email.required")
  .normalize("NFKC")
  .trim()
  .min(1, "email.required")
  .max(EMAIL_MAX_LENGTH, "email.too_long")
  .refine(isValidEmail, { message: "email.invalid", abort: true })
  .refine((email) => asciiDomain(splitAddress(email).domain) !== undefined, "email.domain_invalid");

const Name = z
  .string("name.invalid")
  .trim()
  .max(NAME_MAX_LENGTH, "name.too_long")
  .refine((name) => !CONTROL.test(name) && name.isWellFormed(), "name.invalid");

/** Tracking fields never block a signup: a malformed one is dropped, not reported. */
const Tracking = z
  .string()
  .trim()
  .max(200)
  .refine((value) => !CONTROL.test(value) && value.isWellFormed())
  .optional()
  .catch(undefined);

/** Empty form fields mean "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

export const UTM_FIELDS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
export type Utm = Partial<Record<(typeof UTM_FIELDS)[number], string>>;

export const TrackingInput = z.object({
  utm_source: Tracking,
  utm_medium: Tracking,
  utm_campaign: Tracking,
  utm_term: Tracking,
  utm_content: Tracking,
  referrer: Tracking,
});

export const SignupInput = z.strictObject({
  concept: Slug,
  email: EmailAddress,
  variant: optional(Slug),
  name: optional(Name),
  /** The fake-door tier clicked before joining; checked against the tiers the page showed (src/domain/ladder-steps.ts). */
  tier: optional(z.string("tier.unknown").max(80, "tier.unknown")),
  [HONEYPOT_FIELD]: z.string().optional().catch("filled"),
  fill_ms: optional(z.coerce.number().int().min(0)).catch(0),
  ...TrackingInput.shape,
});
export type SignupInput = z.infer<typeof SignupInput>;

/** A honeypot filled in, or a form sent faster than a person can type: answered as a success, never stored. */
export function looksAutomated(input: SignupInput): boolean {
  return Boolean(input[HONEYPOT_FIELD]) || (input.fill_ms !== undefined && input.fill_ms < MIN_FILL_MS);
}

export const ViewInput = z.strictObject({
  concept: Slug,
  variant: optional(Slug),
  /** Which URL served the page: the split of /c/<slug>/, /try/, or the variant's own (the beacon tells; old pages did not). */
  served: optional(z.enum(["split", "try", "direct"])).default("split"),
  ...TrackingInput.shape,
});
export type ViewInput = z.infer<typeof ViewInput>;

/** The objection to the A/B cookie, posted from a concept's page. */
export const AbOptOutInput = z.strictObject({
  concept: Slug,
  /** Posted from /try/: the confirmation is shown there. */
  entry: optional(z.enum(["try"])),
});

export type FieldErrors = Record<string, MessageKey>;

/** One message key per field (the first problem found), for the form and the JSON API. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors[key.slice(0, 40)] ??= "error.field.unknown";
      continue;
    }
    const field = String(issue.path[0] ?? "request");
    const key = `error.${issue.message}`;
    errors[field] ??= isMessageKey(key) ? key : field === "concept" ? "error.concept.unknown" : "error.field.invalid";
  }
  return errors;
}

/** A field's message, when the table has one (error.email.invalid…); zod's own messages are not keys. */
function isMessageKey(key: string): key is MessageKey {
  return key.startsWith("error.") && key in MESSAGES.en;
}

/** The referrer's host, when it is a web URL; the path may hold personal data, so it is dropped. */
export function referrerHost(referrer: string | undefined): string | undefined {
  if (!referrer) return undefined;
  try {
    const url = new URL(referrer);
    return url.protocol === "http:" || url.protocol === "https:" ? url.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function pickUtm(input: Utm): Utm {
  const utm: Utm = {};
  for (const field of UTM_FIELDS) if (input[field]) utm[field] = input[field];
  return utm;
}
