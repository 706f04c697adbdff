import { describe, expect, test } from "vitest";
import {
  deliveryAddress,
  emailKey,
  fieldErrors,
  isValidEmail,
  referrerHost,
  SignupInput,
} from "../../src/domain/signup";

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
  // One person however the address is written: case folded across the whole address,
  // NFKC (fullwidth letters), the domain in its ASCII (IDNA) form.
  test.each([
    ["Bars.One@Example.com", "bars.one@example.com"],
    ["bars.one@example.com", "bars.one@example.com"],
    ["Camille@Exemple.FR", "camille@exemple.fr"],
    ["a+Tag@EXAMPLE.com", "a+tag@example.com"],
    ["bars.one@\uff47\uff4d\uff41\uff49\uff4c.com", "bars.one@gmail.com"],
    ["\uff22\uff41\uff52\uff53@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\uff0e\uff43\uff4f\uff4d", "bars@example.com"],
    ["lea@CAFE\u0301.fr", "lea@xn--caf-dma.fr"],
    ["lea@café.fr", "lea@xn--caf-dma.fr"],
    ["lea@xn--caf-dma.fr", "lea@xn--caf-dma.fr"],
    ["kim@Bücher.DE", "kim@xn--bcher-kva.de"],
  ])("%s → %s", (email, key) => {
    expect(emailKey(email)).toBe(key);
  });

  test("is total: a domain with no ASCII form keys on its lower-cased self", () => {
    expect(emailKey("a@XN--ZZ.com")).toBe("a@xn--zz.com");
  });
});

describe("deliveryAddress", () => {
  test.each([
    // As entered (its case kept), the domain in ASCII so that no server needs SMTPUTF8.
    ["Bars.One@Example.com", "Bars.One@example.com"],
    ["Bars.One@\uff47\uff4d\uff41\uff49\uff4c.com", "Bars.One@gmail.com"],
    ["Lea@café.fr", "Lea@xn--caf-dma.fr"],
  ])("%s → %s", (email, to) => {
    expect(deliveryAddress(email)).toBe(to);
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

  test("keeps the address as typed, NFKC-normalised: fullwidth letters become the letters meant, the case stays", () => {
    const input = SignupInput.parse({
      concept: "origami",
      email: "\u3000\uff22ars.One@\uff47\uff4d\uff41\uff49\uff4c\uff0ecom",
    });
    expect(input.email).toBe("Bars.One@gmail.com");
  });

  test.each([
    [{ concept: "origami" }, { email: "error.email.required" }],
    [{ concept: "origami", email: "nope" }, { email: "error.email.invalid" }],
    // Looks like a domain, has no ASCII form: bad punycode, a right-to-left label mixed with digits, a label too long once encoded.
    [{ concept: "origami", email: "a@xn--zz.com" }, { email: "error.email.domain_invalid" }],
    [{ concept: "origami", email: "a@\u0661\u0662\u0663.com" }, { email: "error.email.domain_invalid" }],
    [{ concept: "origami", email: `a@${"é".repeat(60)}.com` }, { email: "error.email.domain_invalid" }],
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
