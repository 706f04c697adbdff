/**
 * Serves the prerendered landing pages from memory, compressed once at start. At
 * /c/<slug>/ the visitor gets the bytes of one variant's page, chosen by the weights from
 * the visitor's daily id: the same visitor sees the same variant all day, with no cookie,
 * no redirect and no flicker. /c/<slug>/v/<variant>/ serves one variant directly (ads).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Concept } from "../domain/concept";
import { assignmentBucket, assignVariant } from "../domain/experiments";
import { variantPath } from "../domain/paths";
import type { VisitorIdentity } from "./visitor-identity";

interface CompiledPage {
  html: string;
  identity: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
}

function compile(html: string): CompiledPage {
  const identity = Buffer.from(html);
  return {
    html,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    brotli: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 16)}"`,
  };
}

export interface LandingPages {
  /** Answers GET/HEAD of a landing URL; false when the path is not one of ours. */
  handle: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** The HTML of a variant's page, to re-render a form error. */
  html: (slug: string, variant: string | undefined) => string | undefined;
}

const SPLIT = /^\/c\/([a-z0-9-]+)(?:\/|\/index\.html)?$/;
const DIRECT = /^\/c\/([a-z0-9-]+)\/v\/([a-z0-9-]+)(?:\/|\/index\.html)?$/;

export function loadLandingPages(
  clientDir: string,
  concepts: readonly Concept[],
  visitorOf: VisitorIdentity,
  now: () => Date,
): LandingPages {
  const pages = new Map<string, CompiledPage>();
  const published = new Map<string, Concept>();
  for (const concept of concepts) {
    if (concept.status === "draft") continue;
    published.set(concept.slug, concept);
    for (const variant of concept.variants) {
      const file = join(clientDir, variantPath(concept.slug, variant.id), "index.html");
      if (existsSync(file)) pages.set(`${concept.slug}/${variant.id}`, compile(readFileSync(file, "utf8")));
    }
  }

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
      const direct = DIRECT.exec(path);
      if (direct) {
        const page = pages.get(`${direct[1]}/${direct[2]}`);
        if (!page) return false;
        send(req, res, page, "public, max-age=0, must-revalidate");
        return true;
      }
      const split = SPLIT.exec(path);
      const concept = split?.[1] ? published.get(split[1]) : undefined;
      if (!concept) return false;
      const bucket = assignmentBucket(visitorOf(req, concept.slug, now()));
      const page = pages.get(`${concept.slug}/${assignVariant(concept.variants, bucket).id}`);
      if (!page) return false;
      // The bytes depend on who asks: no shared cache may keep them.
      send(req, res, page, "private, no-cache");
      return true;
    },
    html(slug, variant) {
      const concept = published.get(slug);
      const id = variant ?? concept?.variants[0]?.id;
      return pages.get(`${slug}/${id}`)?.html;
    },
  };
}
