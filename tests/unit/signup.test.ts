import { describe, expect, test } from "vitest";
import { emailKey, fieldErrors, isValidEmail, referrerHost, SignupInput } from "../../src/domain/signup";

describe("isValidEmail", () => {
  test.each([
    ["camille@exemple.fr", true],
    ["camille+box@exemple.fr", true],
    ["first.last@sub.domain.co.uk", true],
    ["o'neil@example.ie", true],
    ["lea@café.fr", true],
    ["user@xn--caf-dma.fr", true],
    ["a@b", false],
    ["@exemple.fr", false],
    ["camille@", false],
    ["a@b@c.fr", false],
    ["a..b@exemple.fr", false],
    [".a@exemple.fr", false],
    ["a@-exemple.fr", false],
    ["a@exemple-.fr", false],
    ["a@exemple..fr", false],
    ["a@exemple.f", false],
    ["a@exemple.123", false],
    ["a b@exemple.fr", false],
    ["a@exemple.fr\r\nBcc: x@y.fr", false],
    [`${"a".repeat(65)}@exemple.fr`, false],
    [`a@${"b".repeat(250)}.fr`, false],
  ])("%s → %s", (email, expected) => {
    expect(isValidEmail(email)).toBe(expected);
  });
});

describe("emailKey", () => {
  test.each([
    ["Camille@Exemple.FR", "Camille@exemple.fr"],
    ["a+tag@EXAMPLE.com", "a+tag@example.com"],
    ["lea@CAFE\u0301.fr", "lea@caf\u00e9.fr"],
  ])("%s → %s", (email, key) => {
    expect(emailKey(email)).toBe(key);
  });
});

describe("SignupInput", () => {
  test("trims the email, drops empty optional fields and malformed tracking", () => {
    const input = SignupInput.parse({
      concept: "origami",
      email: "  a@exemple.fr ",
      name: "",
      variant: "",
      utm_source: "x".repeat(500),
      utm_medium: "email",
    });
    expect(input).toMatchObject({ email: "a@exemple.fr", name: undefined, variant: undefined, utm_medium: "email" });
    expect(input.utm_source).toBeUndefined();
  });

  test.each([
    [{ concept: "origami" }, { email: "error.email.required" }],
    [{ concept: "origami", email: "nope" }, { email: "error.email.invalid" }],
    [{ concept: "origami", email: "a@b.fr", name: "x".repeat(81) }, { name: "error.name.too_long" }],
    [{ concept: "origami", email: "a@b.fr", hack: 1 }, { hack: "error.field.unknown" }],
    [{ concept: "Origami!", email: "a@b.fr" }, { concept: "error.concept.unknown" }],
  ])("%o → %o", (body, errors) => {
    const result = SignupInput.safeParse(body);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)).toEqual(errors);
  });
});

describe("referrerHost", () => {
  test.each([
    ["https://www.google.com/search?q=box", "www.google.com"],
    ["http://News.YCombinator.com/item?id=1", "news.ycombinator.com"],
    ["android-app://com.google.android.gm/", undefined],
    ["not a url", undefined],
    [undefined, undefined],
  ])("%s → %s", (referrer, host) => {
    expect(referrerHost(referrer)).toBe(host);
  });
});
