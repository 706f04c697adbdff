import { describe, expect, test } from "vitest";
import { composeConfirmation, consentOf } from "../../src/domain/confirmation-email";
import { CONFIRM_TTL_MS, createEmailToken, verifyEmailToken } from "../../src/domain/email-token";
import { backoffMs } from "../../src/server/jobs/outbox";

const key = "k".repeat(43);
const now = new Date("2026-11-25T10:00:00Z");
const token = createEmailToken(key, { purpose: "confirm", signupId: 42, expiresAt: now.getTime() + CONFIRM_TTL_MS });

describe("email tokens", () => {
  test("a fresh token names its signup, and can be used again (confirming twice is harmless)", () => {
    expect(verifyEmailToken(key, token, "confirm", now)).toEqual({ ok: true, signupId: 42 });
    expect(verifyEmailToken(key, token, "confirm", now)).toEqual({ ok: true, signupId: 42 });
  });

  test.each([
    ["expired", token, "confirm", new Date(now.getTime() + CONFIRM_TTL_MS), "expired"],
    [
      "tampered payload",
      `${Buffer.from('["confirm",43,9999999999999]').toString("base64url")}.${token.split(".")[1]}`,
      "confirm",
      now,
      "invalid",
    ],
    ["tampered signature", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "confirm", now, "invalid"],
    ["used for the other purpose", token, "unsubscribe", now, "invalid"],
    ["garbage", "not-a-token", "confirm", now, "invalid"],
  ] as const)("%s → %s", (_name, value, purpose, at, reason) => {
    expect(verifyEmailToken(key, value, purpose, at)).toEqual({ ok: false, reason });
  });

  test("another key's token is refused", () => {
    expect(verifyEmailToken("x".repeat(43), token, "confirm", now)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("composeConfirmation", () => {
  const email = composeConfirmation({
    lang: "en",
    title: "Stitch <Club>",
    confirmUrl: "https://ideas.example.com/api/confirm?token=a.b",
    unsubscribeUrl: "https://ideas.example.com/api/unsubscribe?token=c.d",
  });

  test("is in the visitor's language, with both parts and the RFC 8058 headers", () => {
    expect(email.subject).toBe("Confirm your signup — Stitch <Club>");
    expect(email.text).toContain("https://ideas.example.com/api/confirm?token=a.b");
    expect(email.html).toContain('href="https://ideas.example.com/api/confirm?token=a.b"');
    expect(email.headers).toEqual({
      "List-Unsubscribe": "<https://ideas.example.com/api/unsubscribe?token=c.d>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  test("escapes what it is given and uses table layout with inline styles, no script or SVG", () => {
    expect(email.html).toContain("Stitch &lt;Club&gt;");
    expect(email.html).not.toContain("Stitch <Club>");
    expect(email.html).toMatch(/<table role="presentation"/);
    expect(email.html).not.toMatch(/<script|<svg|<style/);
  });
});

test("consent versions change with the wording", () => {
  expect(consentOf("A").version).not.toBe(consentOf("B").version);
  expect(consentOf("A").version).toBe(consentOf("A").version);
});

test.each([
  [1, 1000],
  [2, 2000],
  [5, 16000],
  [30, 3_600_000],
])("backoff after %i attempts is %i ms (doubling, capped at an hour)", (attempts, ms) => {
  expect(backoffMs(attempts, 1000)).toBe(ms);
});
