import { describe, expect, test } from "vitest";
import {
  ExcludeBrowserForm,
  exclusionCookie,
  isExcludedBrowser,
  sessionTokenOf,
} from "../../src/domain/founder-visits";

describe("isExcludedBrowser", () => {
  test.each([
    [undefined, false],
    ["", false],
    ["racine_exclude=1", true],
    ["ab_split=control.2026-11-01; racine_exclude=1", true],
    ["racine_exclude=1; no_ab=1", true],
    ["racine_exclude=0", false],
    ["racine_exclude=", false],
    ["xracine_exclude=1", false],
    ["racine_exclude=10", false],
  ])("%s → %s", (cookie, excluded) => {
    expect(isExcludedBrowser(cookie)).toBe(excluded);
  });
});

describe("sessionTokenOf", () => {
  test.each([
    [undefined, undefined],
    ["no_ab=1", undefined],
    ["racine_admin=abc.1.def", "abc.1.def"],
    ["no_ab=1; racine_admin=abc.1.def; racine_exclude=1", "abc.1.def"],
    ["fake_racine_admin=abc", undefined],
  ])("%s → %s", (cookie, token) => {
    expect(sessionTokenOf(cookie)).toBe(token);
  });
});

describe("exclusionCookie", () => {
  test("on: a first-party flag for 390 days, read by the server only; off: cleared", () => {
    expect(exclusionCookie(true, true)).toBe(
      "racine_exclude=1; Max-Age=33696000; Path=/; SameSite=Lax; HttpOnly; Secure",
    );
    expect(exclusionCookie(false, false)).toBe("racine_exclude=; Max-Age=0; Path=/; SameSite=Lax; HttpOnly");
  });
});

describe("ExcludeBrowserForm", () => {
  test.each([
    [{ exclude: "on" }, { exclude: "on", back: "/admin" }],
    [
      { exclude: "off", back: "/admin/c/split" },
      { exclude: "off", back: "/admin/c/split" },
    ],
  ])("%o → %o", (form, parsed) => {
    expect(ExcludeBrowserForm.parse(form)).toEqual(parsed);
  });

  test.each([
    [{}],
    [{ exclude: "yes" }],
    [{ exclude: "on", back: "https://evil.example/admin" }],
    [{ exclude: "on", back: "//evil.example" }],
    [{ exclude: "on", extra: "1" }],
  ])("%o is refused", (form) => {
    expect(ExcludeBrowserForm.safeParse(form).success).toBe(false);
  });
});
