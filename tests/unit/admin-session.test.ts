import { describe, expect, test } from "vitest";
import { createSessionToken, isValidSessionToken, passwordMatches } from "../../src/domain/admin-session";

const keys = { key: "k".repeat(43), password: "correct horse battery" };
const id = "AAAAAAAAAAAAAAAAAAAAAA";
const now = new Date("2026-11-25T10:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const check = (token: string, when = now, notBefore = 0) =>
  isValidSessionToken(keys, token, { now: when, notBefore, ttlMs: 60_000 });

describe("admin session tokens", () => {
  test("a fresh token is valid for the TTL from its issue time", () => {
    const token = createSessionToken(keys, id, now);
    expect(check(token)).toBe(true);
    expect(check(token, at(59_999))).toBe(true);
    expect(check(token, at(60_000))).toBe(false);
  });

  test("a token that claims to be issued in the future (to last for centuries) is refused", () => {
    expect(check(createSessionToken(keys, id, new Date("2230-01-01T00:00:00Z")))).toBe(false);
    expect(check(createSessionToken(keys, id, at(1)))).toBe(false);
  });

  test("signing out (a not-before stamp) ends every session issued until then", () => {
    const token = createSessionToken(keys, id, now);
    expect(check(token, at(10), now.getTime())).toBe(false);
    expect(check(createSessionToken(keys, id, at(5)), at(10), now.getTime())).toBe(true);
  });

  test.each([
    ["a changed issue time", (t: string) => t.replace(/\.(\d+)\./, (_m, n: string) => `.${Number(n) - 1}.`)],
    ["a changed id", (t: string) => `B${t.slice(1)}`],
    ["a changed signature", (t: string) => `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`],
    ["the old <expiry>.<signature> form", () => `${now.getTime() + 1000}.${"a".repeat(43)}`],
    ["garbage", () => "garbage"],
    ["an empty value", () => ""],
  ])("a token with %s is refused", (_name, tamper) => {
    expect(check(tamper(createSessionToken(keys, id, now)))).toBe(false);
  });

  test("a password change ends the sessions signed before it, even with the same key", () => {
    const token = createSessionToken(keys, id, now);
    expect(isValidSessionToken({ ...keys, password: "a new password!" }, token, { now, notBefore: 0 })).toBe(false);
  });

  test("a token signed with another key is refused", () => {
    const token = createSessionToken({ ...keys, key: "x".repeat(43) }, id, now);
    expect(check(token)).toBe(false);
  });
});

describe("passwordMatches", () => {
  test.each([
    ["correct horse battery", true],
    ["correct horse batter", false],
    ["", false],
    ["correct horse battery ", false],
  ])("%j → %s", (given, expected) => {
    expect(passwordMatches(given, "correct horse battery")).toBe(expected);
  });
});
