import { describe, expect, test } from "vitest";
import type { Question } from "../../src/domain/concept";
import { answerOutcome, answerSchema, choiceField } from "../../src/domain/ladder-steps";
import { IV_BYTES, openStepToken, sealStepToken, stepKey } from "../../src/domain/step-token";
import { createRandomPool } from "../../src/server/random-pool";

const KEY = stepKey("key");
const random = createRandomPool();
const seal = (claims: Parameters<typeof sealStepToken>[1]) => sealStepToken(KEY, claims, random(IV_BYTES));

const options = [
  { id: "a", label: "A" },
  { id: "b", label: "B" },
  { id: "c", label: "C" },
];
const single: Question = { kind: "single", prompt: "?", options };
const multiple: Question = { kind: "multiple", prompt: "?", options };
const text: Question = { kind: "text", prompt: "?" };

describe("answerSchema", () => {
  test.each([
    [single, { answer: "b" }, ["b"]],
    [single, { answer: ["c"] }, ["c"]],
    [multiple, { answer: ["c", "a"] }, ["a", "c"]],
    [multiple, { [choiceField("b")]: "on", [choiceField("a")]: "on" }, ["a", "b"]],
    [text, { answer: "  a few words \n" }, "a few words"],
  ])("%# keeps %j as %j", (question, fields, answer) => {
    expect(answerSchema(question).parse({ step: "t", ...fields })).toEqual({ step: "t", answer });
  });

  test.each([
    [single, {}, "answer.choose"],
    [single, { answer: ["a", "b"] }, "answer.one"],
    [single, { answer: "z" }, "answer.invalid"],
    [multiple, { [choiceField("z")]: "on" }, "answer.invalid"],
    [text, { answer: "   " }, "answer.empty"],
    [text, { answer: "x".repeat(281) }, "answer.too_long"],
    [text, { answer: "a\u0007b" }, "answer.invalid"],
  ])("%# refuses %j with %s", (question, fields, message) => {
    const result = answerSchema(question).safeParse({ step: "t", ...fields });
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});

describe("answerOutcome: stored once, changed once", () => {
  test.each([
    [null, 0, ["a"], "saved"],
    [["a"], 0, ["a"], "unchanged"],
    [["a"], 0, ["b"], "changed"],
    [["b"], 1, ["b"], "unchanged"],
    [["b"], 1, ["a"], "locked"],
    ["text", 0, "text", "unchanged"],
  ] as const)("answer %j after %i changes, then %j: %s", (answer, changes, next, outcome) => {
    expect(answerOutcome({ answer: answer === null ? null : [answer].flat(), changes }, [next].flat())).toBe(outcome);
  });
});

describe("step tokens", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const claims = { signupId: 42, concept: "ladder", expiresAt: now.getTime() + 1000 };

  test("open what they sealed, until they expire; another key or a changed byte opens nothing", () => {
    const token = seal(claims);
    expect(openStepToken(KEY, token, now)).toEqual({ ok: true, signupId: 42, concept: "ladder" });
    expect(openStepToken(KEY, token, new Date(claims.expiresAt))).toEqual({
      ok: false,
      reason: "expired",
      concept: "ladder",
    });
    expect(openStepToken(stepKey("other"), token, now)).toEqual({ ok: false, reason: "invalid" });
    const flipped = Buffer.from(token, "base64url");
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    expect(openStepToken(KEY, flipped.toString("base64url"), now)).toEqual({ ok: false, reason: "invalid" });
  });

  test("show neither the signup's id nor, by their length, whether there is one", () => {
    const token = seal(claims);
    const none = seal({ ...claims, signupId: 0 });
    expect(Buffer.from(token, "base64url").toString("latin1")).not.toContain("42");
    expect(none.length).toBe(token.length);
    expect(seal({ ...claims, signupId: 123456 }).length).toBe(token.length);
  });

  test("never share an IV: the same claims sealed twice give two tokens, and each opens", () => {
    const tokens = Array.from({ length: 1000 }, () => seal(claims));
    const ivs = new Set(tokens.map((token) => Buffer.from(token, "base64url").subarray(0, IV_BYTES).toString("hex")));
    expect(ivs.size).toBe(1000);
    for (const token of tokens.slice(0, 3))
      expect(openStepToken(KEY, token, now)).toEqual({ ok: true, signupId: 42, concept: "ladder" });
    expect(() => sealStepToken(KEY, claims, new Uint8Array(8))).toThrow(/IV is 12 bytes/);
  });
});
