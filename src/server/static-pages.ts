/**
 * Serves every prerendered page from memory, compressed once at start and with its own
 * Content-Security-Policy (hashes of its inline script and styles). At /c/<slug>/ the
 * visitor gets the bytes of one variant's page, chosen by the weights from the visitor's
 * daily id: the same visitor sees the same variant all day, with no cookie, no redirect
 * and no flicker. /c/<slug>/v/<variant>/ serves one variant directly (for ads).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Concept } from "../domain/concept";
import { contentSecurityPolicy } from "../domain/csp";
import { assignmentBucket, assignVariant } from "../domain/experiments";
import { variantPath } from "../domain/paths";
import type { VisitorIdentity } from "./visitor-identity";

interface CompiledPage {
  html: string;
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
  csp: string;
}

function compile(html: string): CompiledPage {
  const identity = Buffer.from(html);
  return {
    html,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    brotli: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 16)}"`,
    csp: contentSecurityPolicy(html),
  };
}

export interface StaticPages {
  /** Answers GET/HEAD of a prerendered page; false when the path is not one. */
  handle: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** The HTML of a concept variant's page, to re-render a form error. */
  landingHtml: (slug: string, variant: string | undefined) => string | undefined;
  notFoundHtml: () => string;
}

const SPLIT = /^\/c\/([a-z0-9-]+)\/?$/;

/** dist/client/c/origami/merci/index.html → /c/origami/merci/ */
function routeOf(clientDir: string, file: string): string {
  const path = `/${relative(clientDir, file).split(sep).join("/")}`;
  return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith(".html") ? [path] : [];
  });
}

export function loadStaticPages(
  clientDir: string,
  concepts: readonly Concept[],
  visitorOf: VisitorIdentity,
  now: () => Date,
): StaticPages {
  const pages = new Map(
    htmlFiles(clientDir).map((file) => [routeOf(clientDir, file), compile(readFileSync(file, "utf8"))]),
  );
  const published = new Map(concepts.filter((c) => c.status !== "draft").map((concept) => [concept.slug, concept]));
  const variantPage = (slug: string, variant: string) => pages.get(variantPath(slug, variant));

  function send(req: IncomingMessage, res: ServerResponse, page: CompiledPage, cacheControl: string): void {
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
    if (req.headers["if-none-match"] === page.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (encoding !== "identity") headers["content-encoding"] = encoding;
    headers["content-length"] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  return {
    handle(req, res, path) {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      const concept = published.get(SPLIT.exec(path)?.[1] ?? "");
      if (concept) {
        const bucket = assignmentBucket(visitorOf(req, concept.slug, now()));
        const page = variantPage(concept.slug, assignVariant(concept.variants, bucket).id);
        if (page) {
          // The bytes depend on who asks: no shared cache may keep them.
          send(req, res, page, "private, no-cache");
          return true;
        }
      }
      const route = path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
      const page = pages.get(route) ?? pages.get(`${route}/`);
      if (!page || route === "/404.html") return false;
      send(req, res, page, "public, max-age=0, must-revalidate");
      return true;
    },
    landingHtml(slug, variant) {
      const concept = published.get(slug);
      const id = variant ?? concept?.variants[0]?.id ?? "";
      return variantPage(slug, id)?.html;
    },
    notFoundHtml: () => pages.get("/404.html")?.html ?? "<h1>404</h1>",
  };
}
