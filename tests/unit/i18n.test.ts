import { describe, expect, test } from "vitest";
import { formatPrice, langFromAcceptLanguage, MESSAGES } from "../../src/domain/i18n";

describe("visitor-facing strings", () => {
  test("every key exists in French and English, and only period.once may be empty", () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.fr).sort());
    for (const lang of ["fr", "en"] as const) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) {
        if (key !== "period.once") expect(text, `${lang} ${key}`).not.toBe("");
      }
    }
  });

  test("French and English differ for every sentence (nothing left untranslated)", () => {
    const same = Object.entries(MESSAGES.fr).filter(
      ([key, text]) => text !== "" && MESSAGES.en[key as keyof typeof MESSAGES.en] === text,
    );
    expect(same).toEqual([]);
  });
});

describe("langFromAcceptLanguage", () => {
  test.each([
    ["fr-FR,fr;q=0.9,en;q=0.8", "fr"],
    ["en-GB,en;q=0.9,fr;q=0.8", "en"],
    ["de-DE,fr;q=0.5,en;q=0.3", "fr"],
    ["de-DE", "en"],
    ["en;q=0.2,fr;q=0.9", "fr"],
    ["fr;q=0", "en"],
    [undefined, "en"],
  ])("%s → %s", (header, lang) => {
    expect(langFromAcceptLanguage(header)).toBe(lang);
  });
});

describe("formatPrice", () => {
  test.each([
    [{ amount: 24, currency: "EUR", period: "month" }, "fr", "24 € / mois"],
    [{ amount: 27, currency: "GBP", period: "month" }, "en", "£27 / month"],
    [{ amount: 19.5, currency: "EUR", period: "once" }, "fr", "19,50 €"],
  ] as const)("%o in %s → %s", (price, lang, text) => {
    expect(formatPrice(price, lang).replace(/\u202f|\u00a0/g, " ")).toBe(text);
  });
});
