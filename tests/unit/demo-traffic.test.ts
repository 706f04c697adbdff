import { describe, expect, test } from "vitest";
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
      const views = days.flatMap((day) => day.views).filter((v) => v.concept === "origami" && v.variant === variant);
      const signups = days
        .flatMap((day) => day.signups)
        .filter((s) => s.concept === "origami" && s.variant === variant);
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
