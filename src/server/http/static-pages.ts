/**
 * Serves every prerendered page from memory, compressed once at start and with its own
 * Content-Security-Policy (hashes of its inline script and styles). At /c/<slug>/ the
 * visitor gets the bytes of one variant's page, with no redirect and no flicker: the
 * variant their A/B cookie names, or else one chosen by the weights from the visitor's
 * daily id, and then the cookie is set with the page so that they keep it on later days.
 * Cookieless (AB_COOKIE=off, a concept's `abCookie: false`, or after the visitor objected)
 * the daily choice is all there is: the same variant all day, another one maybe tomorrow.
 * /c/<slug>/v/<variant>/ serves one variant directly (for ads) and sets no cookie. /try/ (the
 * randomised entry point) serves the page of one live concept, the one its `try` cookie names
 * or else one drawn by the concepts' `tryWeight` from the visitor's daily id, with that
 * concept's split inside it; no redirect, so the address, its UTM parameters and the
 * beacon's view of where it is stay /try/'s. The other
 * files of the build (scripts, images) are served from memory too, and unknown paths get
 * the prerendered 404 page, with its own CSP and a 404 status (also at /404.html).
 * /embed/<slug>/ is the one page another site may frame: its CSP's frame-ancestors names
 * the EMBED_ORIGINS (and it drops X-Frame-Options: DENY); with none, it is 'none' as everywhere.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { EARLIEST_DAY, utcDay } from "../../domain/calendar";
import { type Concept, controlVariant, isPublished } from "../../domain/concept";
import { contentSecurityPolicy, NON_HTML_CSP } from "../../domain/csp";
import { frameAncestors } from "../../domain/embed";
import {
  assignmentBucket,
  assignmentCookie,
  assignmentReader,
  assignVariant,
  optedOutOfAbCookie,
  usesAbCookie,
} from "../../domain/experiments";
import { TRY_PATH, variantPath } from "../../domain/paths";
import { assignConcept, tryCandidates, tryEntryCookie, tryEntryReader } from "../../domain/try-entry";
import type { VisitorIdentity } from "./visitor-identity";

interface CompiledPage {
  html: string;
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  csp: string;
  /** Some other site may frame it (an embed page with EMBED_ORIGINS set). */
  framable: boolean;
}

function compile(html: string, embedOrigins: readonly string[] = []): CompiledPage {
  const identity = Buffer.from(html);
  return {
    html,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    brotli: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 16)}"`,
    csp: contentSecurityPolicy(html, frameAncestors(embedOrigins)),
    framable: embedOrigins.length > 0,
  };
}

export interface StaticPages {
  /** Answers GET/HEAD of a prerendered page or a built file; false when the path is neither. */
  handle: (req: IncomingMessage, res: ServerResponse, path: string, client: string) => boolean;
  /** Answers with the 404 page. */
  notFound: (req: IncomingMessage, res: ServerResponse) => void;
  /** The HTML of a concept variant's page, to re-render a form error. */
  landingHtml: (slug: string, variant: string | undefined) => string | undefined;
  notFoundHtml: () => string;
}

const SPLIT = /^\/c\/([a-z0-9-]+)\/?$/;
const TRY = /^\/try\/?$/;
const EMBED = /^\/embed\/[a-z0-9-]+\/$/;

/** dist/client/c/origami/merci/index.html → /c/origami/merci/ */
function routeOf(clientDir: string, file: string): string {
  const path = `/${relative(clientDir, file).split(sep).join("/")}`;
  return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

/** The A/B cookie notice of a landing page (src/components/Landing.astro), for a cookieless site. */
const AB_NOTICE = /<aside class="ab-notice[^"]*"[^>]*>[\s\S]*?<\/aside>/;
/** The notice's opening tag on a page whose own split sets an A/B cookie. */
const AB_NOTICE_OF_SPLIT = /<aside class="ab-notice[^"]*"[^>]*\bdata-ab\b/;
/** The notice's sentence about the `try` cookie (and the field that brings the objection back to /try/). */
const TRY_NOTICE = /<span data-notice="try"[^>]*>[\s\S]*?<\/span>/;

/**
 * A page as served: at /try/ with the whole notice; elsewhere without the `try` sentence,
 * and without a notice at all where no cookie is set (a concept without variants). A
 * cookieless site shows none.
 */
function servedHtml(html: string, cookies: boolean, at: "page" | "try"): string {
  if (!cookies) return html.replace(AB_NOTICE, "");
  if (at === "try") return html;
  return AB_NOTICE_OF_SPLIT.test(html) ? html.replace(TRY_NOTICE, "") : html.replace(AB_NOTICE, "");
}

export interface AbCookiePolicy {
  /** The site's setting (AB_COOKIE): off, no page sets or reads the cookie, nor shows its notice. */
  enabled: boolean;
  /** Whether a cookie set on this request must be Secure (HTTPS). */
  secure: (req: IncomingMessage) => boolean;
  /** Per concept, the first whole day of its current split: older assignments are void (assignmentReader). */
  splitSince: ReadonlyMap<string, string>;
}

export function loadStaticPages(
  clientDir: string,
  concepts: readonly Concept[],
  visitorOf: VisitorIdentity,
  now: () => Date,
  abCookie: AbCookiePolicy,
  /** The origins that may frame the embed pages (EMBED_ORIGINS). */
  embedOrigins: readonly string[] = [],
): StaticPages {
  const files = filesUnder(clientDir);
  const built = new Map(
    files
      .filter((file) => file.endsWith(".html"))
      .map((file) => [routeOf(clientDir, file), readFileSync(file, "utf8")]),
  );
  const pages = new Map(
    [...built].map(([route, html]) => [
      route,
      compile(servedHtml(html, abCookie.enabled, "page"), EMBED.test(route) ? embedOrigins : []),
    ]),
  );
  const assets = new Map<string, Asset>();
  for (const file of files) {
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) continue;
    const route = routeOf(clientDir, file);
    const body = readFileSync(file);
    assets.set(route, {
      body,
      type,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`,
      // Astro's bundles carry a content hash in their name: they never change.
      cacheControl: route.startsWith("/_astro/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    });
  }
  const notFoundPage = pages.get("/404.html") ?? compile("<!doctype html><title>404</title><h1>404</h1>");
  const published = new Map(concepts.filter(isPublished).map((concept) => [concept.slug, concept]));
  const readers = new Map(
    concepts
      .filter((concept) => usesAbCookie(concept, abCookie.enabled))
      .map((concept) => [
        concept.slug,
        assignmentReader(concept.slug, concept.variants, abCookie.splitSince.get(concept.slug) ?? EARLIEST_DAY),
      ]),
  );
  const variantPage = (slug: string, variant: string) => pages.get(variantPath(slug, variant));
  const candidates = tryCandidates([...published.values()]);
  // /try/ serves the variant pages of live concepts with the `try` sentence kept.
  const tryPages = new Map(
    candidates.flatMap((concept) =>
      concept.variants.flatMap((variant) => {
        const route = variantPath(concept.slug, variant.id);
        const html = built.get(route);
        return html === undefined ? [] : [[route, compile(servedHtml(html, abCookie.enabled, "try"))] as const];
      }),
    ),
  );
  const readTryEntry = tryEntryReader(candidates.map((concept) => concept.slug));

  /**
   * The variant /c/<slug>/ serves this visitor, and the cookie to set with it: the one the
   * cookie names, else the daily choice (remembered from now on, unless cookieless).
   */
  function splitVariant(req: IncomingMessage, concept: Concept, client: string): [string, string | undefined] {
    const at = now();
    const read = readers.get(concept.slug);
    const cookie = req.headers.cookie;
    const sticky = read !== undefined && !optedOutOfAbCookie(cookie);
    const today = utcDay(at);
    const kept = sticky ? read(cookie, today) : undefined;
    if (kept) return [kept.variant, undefined];
    const variant = assignVariant(concept.variants, assignmentBucket(visitorOf(req, client, concept.slug, at))).id;
    return [
      variant,
      sticky ? assignmentCookie(concept.slug, { variant, since: today }, abCookie.secure(req)) : undefined,
    ];
  }

  /**
   * The concept /try/ sends this visitor to, and the cookie to set with it: the one the
   * `try` cookie names while it is live, else a draw from the visitor's daily id
   * (remembered from now on, unless the site is cookieless or the visitor objected).
   */
  function tryConcept(req: IncomingMessage, client: string): [Concept, string | undefined] | undefined {
    const at = now();
    const today = utcDay(at);
    const cookie = req.headers.cookie;
    const sticky = abCookie.enabled && !optedOutOfAbCookie(cookie);
    const kept = sticky ? readTryEntry(cookie, today) : undefined;
    const keptConcept = kept && published.get(kept.concept);
    if (keptConcept) return [keptConcept, undefined];
    const drawn = assignConcept(candidates, assignmentBucket(visitorOf(req, client, TRY_PATH, at)));
    if (!drawn) return undefined;
    return [drawn, sticky ? tryEntryCookie({ concept: drawn.slug, since: today }, abCookie.secure(req)) : undefined];
  }

  function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
    const headers = {
      "content-type": asset.type,
      "cache-control": asset.cacheControl,
      "content-security-policy": NON_HTML_CSP,
      etag: asset.etag,
    };
    if (req.headers["if-none-match"] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "content-length": asset.body.length });
    res.end(req.method === "HEAD" ? undefined : asset.body);
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    page: CompiledPage,
    cacheControl: string,
    status = 200,
    setCookie: readonly string[] = [],
  ): void {
    const accepted = String(req.headers["accept-encoding"] ?? "");
    const [encoding, body] = /\bbr\b/.test(accepted)
      ? (["br", page.brotli] as const)
      : /\bgzip\b/.test(accepted)
        ? (["gzip", page.gzip] as const)
        : (["identity", page.identity] as const);
    const headers: Record<string, string | number | string[]> = {
      "content-type": "text/html; charset=utf-8",
      "cache-control": cacheControl,
      "content-security-policy": page.csp,
      vary: "Accept-Encoding",
      etag: page.etag,
    };
    if (setCookie.length > 0) headers["set-cookie"] = [...setCookie];
    // Browsers ignore X-Frame-Options beside frame-ancestors, but an old one would refuse the frame.
    if (page.framable) res.removeHeader("x-frame-options");
    if (status === 200 && req.headers["if-none-match"] === page.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (encoding !== "identity") headers["content-encoding"] = encoding;
    headers["content-length"] = body.length;
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  return {
    handle(req, res, path, client) {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      const concept = published.get(SPLIT.exec(path)?.[1] ?? "");
      if (concept) {
        const [variant, setCookie] = splitVariant(req, concept, client);
        const page = variantPage(concept.slug, variant);
        if (page) {
          // The bytes depend on who asks: no shared cache may keep them.
          send(req, res, page, "private, no-cache", 200, setCookie ? [setCookie] : []);
          return true;
        }
      }
      if (TRY.test(path)) {
        const entry = tryConcept(req, client);
        if (!entry) {
          send(req, res, notFoundPage, "no-store", 404);
          return true;
        }
        const [drawn, entryCookie] = entry;
        const [variant, splitCookie] = splitVariant(req, drawn, client);
        const page = tryPages.get(variantPath(drawn.slug, variant));
        if (page) {
          const cookies = [entryCookie, splitCookie].filter((cookie) => cookie !== undefined);
          send(req, res, page, "private, no-cache", 200, cookies);
          return true;
        }
      }
      const route = path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
      const page = pages.get(route) ?? pages.get(`${route}/`);
      if (page === notFoundPage || route === "/404/") {
        send(req, res, notFoundPage, "no-store", 404);
        return true;
      }
      if (page) {
        send(req, res, page, "public, max-age=0, must-revalidate");
        return true;
      }
      const asset = assets.get(path);
      if (!asset) return false;
      sendAsset(req, res, asset);
      return true;
    },
    notFound(req, res) {
      send(req, res, notFoundPage, "no-store", 404);
    },
    landingHtml(slug, variant) {
      const concept = published.get(slug);
      return concept && variantPage(slug, variant ?? controlVariant(concept).id)?.html;
    },
    notFoundHtml: () => notFoundPage.html,
  };
}
