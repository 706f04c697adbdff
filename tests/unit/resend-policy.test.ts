import { describe, expect, test } from "vitest";
import { mayResendConfirmation } from "../../src/domain/resend-policy";

const now = new Date("2026-11-25T12:00:00Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("mayResendConfirmation", () => {
  test.each([
    ["the first email", 0, undefined, 0, true],
    ["a second one 9 minutes after the first", 1, ago(9), 1, false],
    ["a second one 10 minutes after the first", 1, ago(10), 1, true],
    ["a third one 5 hours after the second", 2, ago(300), 2, false],
    ["a third one 6 hours after the second", 2, ago(360), 2, true],
    ["a fourth one, however late", 3, ago(60 * 24 * 30), 0, false],
    ["one more to an address that got 4 today (other concepts)", 0, undefined, 4, false],
  ])("%s → %s", (_name, sentForSignup, lastSentAt, sentToAddressToday, allowed) => {
    expect(mayResendConfirmation({ sentForSignup, lastSentAt, sentToAddressToday }, now)).toBe(allowed);
  });
});
