/**
 * The cross-site request check the edge applies to every POST (ingestion routes and Astro
 * pages alike): a browser's POST carries Origin, and it must name this site. Behind a reverse proxy the
 * Host seen here is the proxy's upstream, so X-Forwarded-Host (with TRUST_PROXY) or the
 * SITE_URL host is accepted too. Requests without Origin (curl, servers) pass.
 */
import type { IncomingMessage } from "node:http";

export interface OriginPolicy {
  trustProxy: boolean;
  publicOrigin: string | undefined;
}

export interface OriginHeaders {
  origin: string | undefined;
  host: string | undefined;
  forwardedHost: string | undefined;
}

export function isAllowedOrigin(headers: OriginHeaders, policy: OriginPolicy): boolean {
  if (headers.origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(headers.origin).host;
  } catch {
    return false; // "null" and other opaque origins
  }
  const allowed = [
    headers.host,
    policy.trustProxy ? headers.forwardedHost?.split(",")[0]?.trim() : undefined,
    policy.publicOrigin ? new URL(policy.publicOrigin).host : undefined,
  ];
  return allowed.some((host) => host !== undefined && host.toLowerCase() === originHost);
}

export function originHeaders(req: IncomingMessage): OriginHeaders {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { origin: header("origin"), host: header("host"), forwardedHost: header("x-forwarded-host") };
}

/** Whether the visitor's connection is HTTPS (then cookies are Secure), as far as we can know. */
export function isHttps(policy: OriginPolicy, forwardedProto: string | undefined): boolean {
  if (policy.publicOrigin?.startsWith("https:")) return true;
  return policy.trustProxy && forwardedProto?.split(",")[0]?.trim() === "https";
}

/** The same, for a request the ingestion server reads (the A/B cookie is Secure on HTTPS). */
export function isHttpsRequest(policy: OriginPolicy, req: IncomingMessage): boolean {
  const proto = req.headers["x-forwarded-proto"];
  return isHttps(policy, Array.isArray(proto) ? proto[0] : proto);
}
