import { disposableEmailBlocklist } from "disposable-email-domains-js";
import { describe, expect, test } from "vitest";
import { emailKey } from "../../src/domain/signup";
import { throwawayMatcher } from "../../src/domain/throwaway";

describe("throwawayMatcher", () => {
  const isThrowaway = throwawayMatcher(["mailinator.com", "yopmail.fr"]);
  test.each([
    ["temp@mailinator.com", true],
    ["temp@inbox.mailinator.com", true],
    ["temp@a.b.mailinator.com", true],
    ["temp@yopmail.fr", true],
    ["temp@notmailinator.com", false],
    ["temp@mailinator.com.example.org", false],
    ["real@exemple.fr", false],
    ["odd@com", false],
  ])("%s → %s", (key, expected) => {
    expect(isThrowaway(key)).toBe(expected);
  });

  test("reads emailKeys: an address however written (case, fullwidth) is matched through its key", () => {
    expect(isThrowaway(emailKey("Temp@ＭＡＩＬＩＮＡＴＯＲ.com"))).toBe(true);
  });
});

describe("the pinned list", () => {
  test("holds the well-known disposable domains, lower-case ASCII like emailKeys, and no major provider", () => {
    const list = disposableEmailBlocklist();
    expect(list.length).toBeGreaterThan(5000);
    expect(list.every((domain) => /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain))).toBe(true);
    for (const domain of ["mailinator.com", "yopmail.com", "guerrillamail.com"]) expect(list).toContain(domain);
    for (const domain of ["gmail.com", "outlook.com", "yahoo.com", "orange.fr", "free.fr", "proton.me"])
      expect(list).not.toContain(domain);
  });
});
