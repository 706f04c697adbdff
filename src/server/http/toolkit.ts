/**
 * The small HTTP toolkit of the ingestion server: bounded body reading, body parsing by
 * content type, the client address, and the one JSON error shape
 * `{ ok: false, errors: { field: message } }` with helpers named after the status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "../../domain/csp";

export const BODY_LIMIT_BYTES = 8 * 1024;

export type JsonErrors = Record<string, string>;

/** A failure a client caused, with the status and the JSON errors it is answered with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: JsonErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(Object.values(errors).join("; "));
    this.name = "HttpError";
  }
}

export const badRequest = (errors: JsonErrors) => new HttpError(400, errors);
export const forbidden = (message: string) => new HttpError(403, { request: message });
export const notFound = (errors: JsonErrors) => new HttpError(404, errors);
export const methodNotAllowed = (allow: string) => new HttpError(405, { request: `use ${allow}` }, { allow });
export const payloadTooLarge = (limit = BODY_LIMIT_BYTES) =>
  new HttpError(413, { request: `the body must be at most ${limit} bytes` });
export const tooManyRequests = (retryAfter: number) =>
  new HttpError(429, { request: "too many requests: slow down" }, { "retry-after": String(retryAfter) });
export const unsupportedMediaType = (
  accepted: readonly string[] = ["application/json", "application/x-www-form-urlencoded"],
) => new HttpError(415, { request: `send ${accepted.join(" or ")}` });

/**
 * An answer's headers with the security headers of every response (SECURITY_HEADERS) first:
 * the ingestion routes send them in their one writeHead rather than have the edge set them
 * one setHeader at a time (an array and a header table per response on the hottest path).
 */
export function withSecurityHeaders(headers: Record<string, string | number | string[]>) {
  return { ...SECURITY_HEADERS, ...headers };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { ok: false, errors: error.errors }, error.headers);
}

/**
 * How long, and how much, of a refused body is read and dropped before the refusal is sent.
 * A socket closed with unread bytes is reset, and a reset makes the client discard the
 * answer it had not read yet: the 413 must arrive after the body, as nginx's lingering close
 * does. A client still sending past these bounds is cut off.
 */
export const LINGER_MS = 5_000;
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/** Reads and drops the rest of a request's body; true when it ended within the bounds. */
export function drainBody(req: IncomingMessage): Promise<boolean> {
  if (req.complete || req.destroyed) return Promise.resolve(req.complete);
  return new Promise((resolve) => {
    let size = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      req.off("data", count);
      req.off("end", ended);
      req.off("close", closed);
      resolve(drained);
    };
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) finish(false);
    };
    const ended = () => finish(true);
    const closed = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), LINGER_MS);
    req.on("data", count);
    req.once("end", ended);
    req.once("close", closed);
    req.resume();
  });
}

/** A 413, once the rest of the body is drained; a client still sending past the bounds is cut off. */
async function refuseTooLarge(req: IncomingMessage, limit: number): Promise<never> {
  if (!(await drainBody(req))) req.socket.destroy();
  throw payloadTooLarge(limit);
}

/** Reads the whole body, refusing (413, once the rest is drained) as soon as it passes the limit. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return refuseTooLarge(req, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.off("end", onEnd);
        refuseTooLarge(req, limit).catch(reject);
        return;
      }
      chunks.push(chunk);
    };
    // A beacon or a form arrives in one chunk: no copy then.
    const onEnd = () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

export type BodyKind = "json" | "form";

/** Not fatal: a malformed byte becomes U+FFFD and the schema judges the text. One decoder for every body. */
const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** The body's kind from its Content-Type; beacons may send JSON as text/plain. */
export function bodyKind(contentType: string | undefined, { allowTextPlain = false } = {}): BodyKind {
  const mime = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (mime === "application/json" || (allowTextPlain && mime === "text/plain")) return "json";
  if (mime === "application/x-www-form-urlencoded") return "form";
  throw unsupportedMediaType();
}

/**
 * Decodes a body into a plain record. Form fields repeated or JSON that is not an object
 * are refused, so the schema only ever sees one value per field.
 */
export function parseBody(kind: BodyKind, body: Buffer, invalidMessage: string): Record<string, unknown> {
  const text = UTF8.decode(body);
  if (kind === "form") {
    const record: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      if (key in record) throw badRequest({ [key.slice(0, 40)]: invalidMessage });
      record[key] = value;
    }
    return record;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest({ request: invalidMessage });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw badRequest({ request: invalidMessage });
  return parsed as Record<string, unknown>;
}

/**
 * The client's address: the socket's, or behind a trusted proxy the nearest X-Forwarded-For
 * hop (the one the proxy added; the hops before it are whatever the client claimed).
 * Computed once per request at the edge (src/server/http/server.ts) and handed to every route.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",");
    const nearest = hops.at(-1)?.trim();
    if (nearest) return nearest;
  }
  return req.socket.remoteAddress ?? "";
}

/** True when the request asks for a JSON answer (a script) rather than a page (a browser form). */
export function wantsJson(req: IncomingMessage, kind: BodyKind): boolean {
  return kind === "json" || (req.headers.accept ?? "").includes("application/json");
}
