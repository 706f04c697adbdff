import { describe, expect, test } from "vitest";
import { createSessionToken, isValidSessionToken, passwordMatches, sessionKey } from "../../src/domain/admin-session";

const key = sessionKey("correct horse battery");
const now = new Date("2026-11-25T10:00:00Z");

describe("admin session tokens", () => {
  test("a fresh token is valid until it expires", () => {
    const token = createSessionToken(key, now, 60_000);
    expect(isValidSessionToken(key, token, now)).toBe(true);
    expect(isValidSessionToken(key, token, new Date(now.getTime() + 59_999))).toBe(true);
    expect(isValidSessionToken(key, token, new Date(now.getTime() + 60_000))).toBe(false);
  });

  test.each([
    ["a changed expiry", (t: string) => t.replace(/^\d+/, (n) => String(Number(n) + 1))],
    ["a changed signature", (t: string) => `${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}`],
    ["garbage", () => "garbage"],
    ["an empty value", () => ""],
  ])("a token with %s is refused", (_name, tamper) => {
    expect(isValidSessionToken(key, tamper(createSessionToken(key, now)), now)).toBe(false);
  });

  test("a token signed with another password's key is refused", () => {
    expect(isValidSessionToken(sessionKey("another password"), createSessionToken(key, now), now)).toBe(false);
  });

  test("SESSION_SECRET, when set, is the key", () => {
    expect(sessionKey("pw", "s".repeat(32))).toBe("s".repeat(32));
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
