import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { isAllowedOrigin } from "../../src/server/http/origin";
import { bodyKind, clientAddress, HttpError, parseBody } from "../../src/server/http/toolkit";

describe("bodyKind", () => {
  test.each([
    ["application/json", false, "json"],
    ["application/json; charset=utf-8", false, "json"],
    ["application/x-www-form-urlencoded", false, "form"],
    ["text/plain;charset=UTF-8", true, "json"],
  ] as const)("%s (text/plain allowed: %s) → %s", (type, allowTextPlain, kind) => {
    expect(bodyKind(type, { allowTextPlain })).toBe(kind);
  });

  test.each([["text/plain"], ["multipart/form-data; boundary=x"], [undefined]])("%s → 415", (type) => {
    expect(() => bodyKind(type)).toThrow(expect.objectContaining({ status: 415 }));
  });
});

describe("parseBody", () => {
  test("decodes a form and JSON into a record", () => {
    expect(parseBody("form", Buffer.from("a=1&b=%C3%A9"), "bad")).toEqual({ a: "1", b: "é" });
    expect(parseBody("json", Buffer.from('{"a":1}'), "bad")).toEqual({ a: 1 });
  });

  test.each([
    ["json", "{"],
    ["json", "[]"],
    ["json", '"text"'],
    ["form", "a=1&a=2"],
  ] as const)("%s body %s → 400", (kind, body) => {
    expect(() => parseBody(kind, Buffer.from(body), "bad")).toThrow(HttpError);
  });
});

describe("isAllowedOrigin", () => {
  const direct = { trustProxy: false, publicOrigin: undefined };
  test.each([
    ["no Origin (curl, servers)", { origin: undefined, host: "a.test", forwardedHost: undefined }, direct, true],
    ["same host", { origin: "http://a.test:4321", host: "a.test:4321", forwardedHost: undefined }, direct, true],
    ["another site", { origin: "https://evil.test", host: "a.test", forwardedHost: undefined }, direct, false],
    ["opaque origin", { origin: "null", host: "a.test", forwardedHost: undefined }, direct, false],
    [
      "proxy: forwarded host trusted",
      { origin: "https://ideas.test", host: "127.0.0.1:4321", forwardedHost: "ideas.test" },
      { trustProxy: true, publicOrigin: undefined },
      true,
    ],
    [
      "proxy: forwarded host not trusted",
      { origin: "https://ideas.test", host: "127.0.0.1:4321", forwardedHost: "ideas.test" },
      direct,
      false,
    ],
    [
      "proxy: SITE_URL",
      { origin: "https://ideas.test", host: "127.0.0.1:4321", forwardedHost: undefined },
      { trustProxy: false, publicOrigin: "https://ideas.test" },
      true,
    ],
  ])("%s → %s", (_name, headers, policy, expected) => {
    expect(isAllowedOrigin(headers, policy)).toBe(expected);
  });
});

describe("clientAddress", () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
    }) as unknown as IncomingMessage;

  test.each([
    ["without TRUST_PROXY, X-Forwarded-For is ignored", false, "203.0.113.9, 10.0.0.1", "127.0.0.1"],
    [
      "behind a trusted proxy, the last hop (the one the proxy added) counts",
      true,
      "6.6.6.6, 203.0.113.9",
      "203.0.113.9",
    ],
    ["behind a trusted proxy with no header, the socket counts", true, undefined, "127.0.0.1"],
  ])("%s", (_name, trustProxy, forwarded, expected) => {
    expect(clientAddress(request("127.0.0.1", forwarded), trustProxy)).toBe(expected);
  });
});
