import { describe, expect, test } from "vitest";
import { createClock } from "../../src/server/runtime";

describe("the composition root's clock", () => {
  test("without a start it is the system clock", () => {
    const clock = createClock(undefined, () => 1_700_000_000_000);
    expect(clock().getTime()).toBe(1_700_000_000_000);
  });

  test("with a start it begins there and runs on at the system's pace", () => {
    let system = 1_000;
    const clock = createClock(new Date("2031-07-14T12:00:00Z"), () => system);
    expect(clock().toISOString()).toBe("2031-07-14T12:00:00.000Z");
    system += 90_000;
    expect(clock().toISOString()).toBe("2031-07-14T12:01:30.000Z");
  });
});
