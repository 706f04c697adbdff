/** A minimal valid concept file's data, and the concept it parses to, for unit tests. */
import { type Concept, parseConcept } from "../../src/domain/concept";

export const VALID_CONCEPT_DATA = {
  title: "Pli",
  lang: "fr",
  status: "live",
  headline: "Une box origami",
  tagline: "Du papier et des pliages.",
  description: "Une box origami.",
  price: { amount: 24, currency: "EUR", period: "month" },
  story: ["Une histoire."],
  benefits: [
    { icon: "book", title: "Un", text: "Premier." },
    { icon: "gift", title: "Deux", text: "Second." },
  ],
  successCriteria: { minVisitors: 500, minSignups: 40, minConversionPercent: 6 },
};

export function testConcept(slug: string, overrides: Record<string, unknown> = {}): Concept {
  return parseConcept(`${slug}.yaml`, slug, { ...VALID_CONCEPT_DATA, title: slug, ...overrides });
}
