import { describe, expect, test } from "vitest";
import { utcDay } from "../../src/domain/calendar";
import { isBot, visitorHash } from "../../src/domain/visitor";

const fingerprint = { salt: "salt-1", ip: "203.0.113.7", userAgent: "Firefox", concept: "origami" };

describe("visitorHash", () => {
  test("is stable for the same inputs and changes with any of them", () => {
    const base = visitorHash(fingerprint);
    expect(visitorHash(fingerprint)).toBe(base);
    for (const change of [
      { salt: "salt-2" },
      { ip: "203.0.113.8" },
      { userAgent: "Safari" },
      { concept: "lettrage" },
    ]) {
      expect(visitorHash({ ...fingerprint, ...change })).not.toBe(base);
    }
  });

  test("does not contain the IP", () => {
    expect(visitorHash(fingerprint)).not.toContain("203");
  });
});

describe("isBot", () => {
  test.each([
    ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", false],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", false],
    ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/130.0.0.0 Safari/537.36", true],
    ["facebookexternalhit/1.1", true],
    ["Mozilla/5.0 (Linux) Chrome-Lighthouse", true],
    ["", true],
    [undefined, true],
  ])("%s → %s", (userAgent, expected) => {
    expect(isBot(userAgent)).toBe(expected);
  });
});

test("utcDay is the UTC calendar day", () => {
  expect(utcDay(new Date("2026-11-25T23:30:00-02:00"))).toBe("2026-11-26");
});

test("utcDay answers each instant's own day, asked in any order around midnight (it keeps the last day)", () => {
  const instants = [
    "2026-11-30T23:59:59.999Z",
    "2026-12-01T00:00:00.000Z",
    "2026-11-30T23:59:59.999Z",
    "2026-12-01T23:59:59.999Z",
    "2026-12-02T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "2026-12-01T12:00:00.000Z",
  ];
  for (const instant of instants) expect(utcDay(new Date(instant))).toBe(instant.slice(0, 10));
  expect(() => utcDay(new Date(Number.NaN))).toThrow(RangeError);
});
