import { describe, expect, test } from "vitest";
import { simulateTraffic } from "../../src/domain/demo-traffic";
import { seededRandom } from "../../src/domain/random";
import { loadConceptFiles } from "../../src/server/concept-files";

const concepts = loadConceptFiles();
const now = new Date("2026-11-25T15:20:00Z");

describe("simulateTraffic", () => {
  const days = simulateTraffic(concepts, { now, days: 42, seed: 7 });

  test("is deterministic for a seed and a clock", () => {
    expect(simulateTraffic(concepts, { now, days: 42, seed: 7 })).toEqual(days);
    expect(simulateTraffic(concepts, { now, days: 42, seed: 8 })).not.toEqual(days);
  });

  test("covers the requested days up to today, never after now", () => {
    expect(days).toHaveLength(42);
    expect(days.at(-1)?.day).toBe("2026-11-25");
    const all = days.flatMap((day) => [...day.views, ...day.signups]);
    expect(all.every((row) => row.createdAt.getTime() <= now.getTime())).toBe(true);
  });

  test("each concept converts near its own true rate, and the paused one takes no signups", () => {
    const rate = (slug: string) => {
      const views = days.flatMap((day) => day.views).filter((v) => v.concept === slug).length;
      const signups = days.flatMap((day) => day.signups).filter((s) => s.concept === slug).length;
      return signups / views;
    };
    expect(rate("code-debutant")).toBeGreaterThan(rate("lettrage") * 2);
    expect(rate("origami")).toBeGreaterThan(0.05);
    expect(rate("poterie")).toBe(0);
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
