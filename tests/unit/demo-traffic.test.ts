import { describe, expect, test } from "vitest";
import { applyVariant } from "../../src/domain/concept";
import { simulateTraffic } from "../../src/domain/demo-traffic";
import { seededRandom } from "../../src/domain/random";
import { loadConceptFiles } from "../../src/server/concepts/files";

const concepts = loadConceptFiles();
const now = new Date("2026-11-25T15:20:00Z");

describe("simulateTraffic", () => {
  const { days, epochs } = simulateTraffic(concepts, { now, days: 42, seed: 7 });

  test("is deterministic for a seed and a clock", () => {
    expect(simulateTraffic(concepts, { now, days: 42, seed: 7 }).days).toEqual(days);
    expect(simulateTraffic(concepts, { now, days: 42, seed: 8 }).days).not.toEqual(days);
  });

  test("covers the requested days up to today, never after now", () => {
    expect(days).toHaveLength(42);
    expect(days.at(-1)?.day).toBe("2026-11-25");
    const all = days.flatMap((day) => [...day.views, ...day.signups]);
    expect(all.every((row) => row.createdAt.getTime() <= now.getTime())).toBe(true);
  });

  test("each concept converts near its own true rate, and the paused one took signups only before its pause", () => {
    const rate = (slug: string) => {
      const views = days.flatMap((day) => day.views).filter((v) => v.concept === slug).length;
      const signups = days.flatMap((day) => day.signups).filter((s) => s.concept === slug).length;
      return signups / views;
    };
    expect(rate("code-debutant")).toBeGreaterThan(rate("lettrage") * 2);
    expect(rate("origami")).toBeGreaterThan(0.05);
    expect(rate("poterie")).toBeGreaterThan(0);
    const pause = Date.parse("2026-11-15T00:00:00Z");
    const poterie = days.flatMap((day) => day.signups).filter((s) => s.concept === "poterie");
    expect(poterie.every((s) => s.createdAt.getTime() < pause)).toBe(true);
  });

  test("a paused page records no visitors after its pause", () => {
    const pause = Date.parse("2026-11-15T00:00:00Z");
    const poterie = days.flatMap((day) => day.views).filter((v) => v.concept === "poterie");
    expect(poterie.length).toBeGreaterThan(0);
    expect(poterie.every((v) => v.createdAt.getTime() < pause)).toBe(true);
  });

  test("origami has split traffic and an ad campaign on its cheaper variant's own URL", () => {
    const origami = days.flatMap((day) => day.views).filter((v) => v.concept === "origami");
    const direct = origami.filter((v) => v.served === "direct");
    expect(direct.length).toBeGreaterThan(100);
    expect(new Set(direct.map((v) => v.variant))).toEqual(new Set(["prix-doux"]));
    expect(direct.every((v) => v.exposure === "day" && v.utmMedium === "cpc")).toBe(true);
    const split = origami.filter((v) => v.served === "split" && v.exposure === "first");
    const control = split.filter((v) => v.variant === "control").length;
    expect(control / split.length).toBeGreaterThan(0.45);
    expect(control / split.length).toBeLessThan(0.55);
  });

  test("with the A/B cookie people come back and some sign up then; a few sign up with no recorded visit", () => {
    const signups = days.flatMap((day) => day.signups).filter((s) => s.concept === "origami");
    const views = days.flatMap((day) => day.views).filter((v) => v.concept === "origami");
    expect(views.filter((v) => v.exposure === "return").length).toBeGreaterThan(100);
    const later = signups.filter((s) => s.exposure === "return").length;
    const first = signups.filter((s) => s.exposure === "first").length;
    expect(later / (later + first)).toBeGreaterThan(0.05);
    expect(signups.filter((s) => s.exposure === "none").length).toBeGreaterThan(0);
    // A concept without variants has no cookie: visitor-days only.
    const lettrage = days.flatMap((day) => day.views).filter((v) => v.concept === "lettrage");
    expect(lettrage.every((v) => v.exposure === "day")).toBe(true);
  });

  test("a variant started mid-test gets traffic only from its start, and its split is recorded as an epoch", () => {
    const aquarelle = epochs.filter((epoch) => epoch.concept === "aquarelle");
    expect(aquarelle.map((epoch) => epoch.weights)).toEqual([{ control: 1 }, { control: 1, "titre-court": 1 }]);
    const start = aquarelle[1]?.startedAt.getTime() ?? 0;
    expect(start).toBe(Date.parse("2026-11-07T00:00:00Z"));
    const early = days
      .flatMap((day) => day.views)
      .filter((v) => v.concept === "aquarelle" && v.createdAt.getTime() < start);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((v) => v.variant === "control")).toBe(true);
  });

  test("origami's cheaper variant converts far better than its control", () => {
    const rate = (variant: string) => {
      const split = (v: { concept: string; variant: string; served: string }) =>
        v.concept === "origami" && v.variant === variant && v.served === "split";
      const views = days.flatMap((day) => day.views).filter((v) => split(v) && v.exposure !== "return");
      const signups = days.flatMap((day) => day.signups).filter((s) => split(s) && s.exposure !== "none");
      return signups.length / views.length;
    };
    expect(rate("prix-doux") / rate("control")).toBeGreaterThan(1.4);
  });

  test("weekdays draw more visitors than weekends", () => {
    const byWeekday = new Array(7).fill(0);
    for (const day of days.slice(0, -1)) byWeekday[new Date(`${day.day}T00:00:00Z`).getUTCDay()] += day.views.length;
    const weekend = byWeekday[0] + byWeekday[6];
    const midweek = byWeekday[2] + byWeekday[3];
    expect(midweek).toBeGreaterThan(weekend);
  });
});

test("seededRandom gives the same sequence for the same seed, within [0, 1)", () => {
  const a = seededRandom(1);
  const b = seededRandom(1);
  const values = Array.from({ length: 1000 }, () => a());
  expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
  expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
});

describe("simulateTraffic: the intent ladder", () => {
  const { days } = simulateTraffic(concepts, { now, days: 42, seed: 7 });
  const signups = days.flatMap((day) => day.signups);
  const clicks = days.flatMap((day) => day.tierClicks ?? []);
  const bySlug = new Map(concepts.map((concept) => [concept.slug, concept]));

  test("tier clicks name a tier of the variant seen, on a recorded visit, never after now", () => {
    expect(clicks.length).toBeGreaterThan(100);
    const views = new Set(days.flatMap((day) => day.views).map((v) => `${v.visitorHash}|${v.variant}|${v.served}`));
    for (const click of clicks) {
      const concept = bySlug.get(click.concept);
      const tiers = concept && applyVariant(concept, click.variant).tiers;
      expect(tiers?.map((tier) => tier.id)).toContain(click.tier);
      expect(views.has(`${click.visitorHash}|${click.variant}|${click.served}`)).toBe(true);
      expect(click.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    // origami's cheaper variant shows its own prices, and its visitors click them.
    expect(clicks.some((c) => c.concept === "origami" && c.variant === "prix-doux")).toBe(true);
  });

  test("a signup's tier is one it clicked; signups click a tier far more often than other visitors", () => {
    const clicked = new Set(clicks.map((c) => `${c.visitorHash}|${c.tier}`));
    const withTier = signups.filter((s) => s.tier);
    expect(withTier.length).toBeGreaterThan(50);
    expect(withTier.every((s) => clicked.has(`${s.visitorHash}|${s.tier}`))).toBe(true);
    const origami = signups.filter((s) => s.concept === "origami" && s.exposure !== "none");
    expect(origami.filter((s) => s.tier).length / origami.length).toBeGreaterThan(0.4);
  });

  test("answers are option ids of the question (or a text), in the concept's language; opt-ins follow the signup", () => {
    for (const signup of signups.filter((s) => s.answer !== undefined && s.answer !== null)) {
      const question = bySlug.get(signup.concept)?.question;
      if (question?.kind === "text") expect(typeof signup.answer).toBe("string");
      else expect(question?.options.map((o) => o.id)).toEqual(expect.arrayContaining(signup.answer as string[]));
      expect(signup.answeredAt?.getTime()).toBeGreaterThanOrEqual(signup.createdAt.getTime());
    }
    const interviews = signups.filter((s) => s.interviewAt);
    expect(interviews.length).toBeGreaterThan(10);
    expect(interviews.every((s) => bySlug.get(s.concept)?.interview)).toBe(true);
    const times = interviews.filter((s) => s.concept === "origami" && s.interviewWhen).map((s) => s.interviewWhen);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => /[àéèêôûç]|soir|midi|matin|week-end/.test(t ?? ""))).toBe(true);
    const reserved = signups.filter((s) => s.reservedAt);
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved.every((s) => bySlug.get(s.concept)?.reservation)).toBe(true);
  });
});
