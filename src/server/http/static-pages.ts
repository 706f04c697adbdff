/**
 * Serves every prerendered page from memory, compressed once at start and with its own
 * Content-Security-Policy (hashes of its inline script and styles). At /c/<slug>/ the
 * visitor gets the bytes of one variant's page, with no redirect and no flicker: the
 * variant their A/B cookie names, or else one chosen by the weights from the visitor's
 * daily id, and then the cookie is set with the page so that they keep it on later days.
 * Cookieless (AB_COOKIE=off, a concept's `abCookie: false`, or after the visitor objected)
 * the daily choice is all there is: the same variant all day, another one maybe tomorrow.
 * /c/<slug>/v/<variant>/ serves one variant directly (for ads) and sets no cookie. The other
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
import { utcDay } from "../../domain/calendar";
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
import { variantPath } from "../../domain/paths";
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

export interface AbCookiePolicy {
  /** The site's setting (AB_COOKIE): off, no page sets or reads the cookie, nor shows its notice. */
  enabled: boolean;
  /** Whether a cookie set on this request must be Secure (HTTPS). */
  secure: (req: IncomingMessage) => boolean;
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
  const pages = new Map(
    files
      .filter((file) => file.endsWith(".html"))
      .map((file) => {
        const html = readFileSync(file, "utf8");
        const route = routeOf(clientDir, file);
        const page = abCookie.enabled ? html : html.replace(AB_NOTICE, "");
        return [route, compile(page, EMBED.test(route) ? embedOrigins : [])];
      }),
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
      .map((concept) => [concept.slug, assignmentReader(concept.slug, concept.variants)]),
  );
  const variantPage = (slug: string, variant: string) => pages.get(variantPath(slug, variant));

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
    setCookie?: string,
  ): void {
    const accepted = String(req.headers["accept-encoding"] ?? "");
    const [encoding, body] = /\bbr\b/.test(accepted)
      ? (["br", page.brotli] as const)
      : /\bgzip\b/.test(accepted)
        ? (["gzip", page.gzip] as const)
        : (["identity", page.identity] as const);
    const headers: Record<string, string | number> = {
      "content-type": "text/html; charset=utf-8",
      "cache-control": cacheControl,
      "content-security-policy": page.csp,
      vary: "Accept-Encoding",
      etag: page.etag,
    };
    if (setCookie) headers["set-cookie"] = setCookie;
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
          send(req, res, page, "private, no-cache", 200, setCookie);
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
