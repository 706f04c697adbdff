import { describe, expect, test } from "vitest";
import { applyVariant, ConceptFileError, controlVariant, parseConcept } from "../../src/domain/concept";
import { ICON_NAMES } from "../../src/domain/icons";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { VALID_CONCEPT_DATA } from "../support/concepts";

const valid = VALID_CONCEPT_DATA;

describe("parseConcept", () => {
  test("a valid file gets its slug and defaults: one control variant, no FAQ", () => {
    const concept = parseConcept("origami.yaml", "origami", valid);
    expect(concept.slug).toBe("origami");
    expect(concept.variants).toEqual([{ id: "control", weight: 1 }]);
    expect(concept.faq).toEqual([]);
  });

  test.each([
    ["a missing title", { ...valid, title: undefined }, "title:"],
    ["an unknown language", { ...valid, lang: "de" }, "lang:"],
    ["an unknown status", { ...valid, status: "open" }, "status:"],
    ["a negative price", { ...valid, price: { ...valid.price, amount: -1 } }, "price.amount: must be greater than 0"],
    [
      "a lower-case currency",
      { ...valid, price: { ...valid.price, currency: "eur" } },
      "price.currency: use an ISO 4217 code",
    ],
    [
      "a conversion over 100 %",
      { ...valid, successCriteria: { ...valid.successCriteria, minConversionPercent: 120 } },
      "successCriteria.minConversionPercent:",
    ],
    [
      "a fractional visitor goal",
      { ...valid, successCriteria: { ...valid.successCriteria, minVisitors: 1.5 } },
      "successCriteria.minVisitors:",
    ],
    [
      "an empty benefit title",
      { ...valid, benefits: [{ icon: "book", title: " ", text: "x" }, valid.benefits[1]] },
      "benefits.0.title: must not be empty",
    ],
    ["a misspelt field", { ...valid, tagLine: "oops" }, 'Unrecognized key: "tagLine"'],
    ["a hero image without alt text", { ...valid, hero: { src: "/img/a.svg" } }, "hero.alt:"],
    [
      "a duplicate variant id",
      { ...valid, variants: [{ id: "a" }, { id: "a" }] },
      'variants.1.id: duplicate variant id "a"',
    ],
  ])("%s fails with the file name and the field", (_name, data, fragment) => {
    expect(() => parseConcept("src/content/concepts/pli.yaml", "pli", data)).toThrow(ConceptFileError);
    try {
      parseConcept("src/content/concepts/pli.yaml", "pli", data);
    } catch (error) {
      expect((error as Error).message).toContain("Invalid concept file src/content/concepts/pli.yaml");
      expect((error as Error).message).toContain(fragment);
    }
  });

  test.each([
    ["an emoji", "🗾", 'unknown icon "🗾"'],
    ["a misspelt name", "bok", 'unknown icon "bok"'],
    ["no icon", undefined, "missing icon"],
  ])("a benefit with %s as its icon fails with the file, the field and every valid name", (_name, icon, fragment) => {
    const data = { ...valid, benefits: [valid.benefits[0], { ...valid.benefits[1], icon }] };
    expect(() => parseConcept("src/content/concepts/pli.yaml", "pli", data)).toThrow(
      `Invalid concept file src/content/concepts/pli.yaml:\n  benefits.1.icon: ${fragment}: use one of ${ICON_NAMES.join(", ")}`,
    );
  });

  test("every icon name is accepted", () => {
    for (const icon of ICON_NAMES) {
      const data = { ...valid, benefits: [{ ...valid.benefits[0], icon }, valid.benefits[1]] };
      expect(parseConcept("pli.yaml", "pli", data).benefits[0]?.icon).toBe(icon);
    }
  });

  test("a file name that is not a slug is refused", () => {
    expect(() => parseConcept("Pli Box.yaml", "Pli Box", valid)).toThrow(/\(file name\): use lower-case/);
  });
});

describe("applyVariant", () => {
  test("a variant's overrides replace the concept's copy; the rest stays", () => {
    const concept = parseConcept("pli.yaml", "pli", {
      ...valid,
      variants: [
        { id: "control" },
        { id: "cheap", headline: "Moins cher", price: { amount: 15, currency: "EUR", period: "month" } },
      ],
    });
    const cheap = applyVariant(concept, "cheap");
    expect(cheap.headline).toBe("Moins cher");
    expect(cheap.price.amount).toBe(15);
    expect(cheap.tagline).toBe(valid.tagline);
    expect(applyVariant(concept, "control").headline).toBe(valid.headline);
  });

  test("the control is the first variant listed, and an unknown variant id falls back to it", () => {
    const concept = parseConcept("pli.yaml", "pli", { ...valid, variants: [{ id: "a" }, { id: "b" }] });
    expect(controlVariant(concept).id).toBe("a");
    expect(applyVariant(concept, "nope").variant.id).toBe("a");
  });
});

describe("the shipped concept files", () => {
  // The founder's copy is theirs to edit: this checks that it validates, not what it says.
  test("all validate, and at least one idea is live", () => {
    const concepts = loadConceptFiles();
    expect(concepts.length).toBeGreaterThan(0);
    expect(concepts.some((concept) => concept.status === "live")).toBe(true);
  });
});
