import { describe, expect, test } from "vitest";
import type { ReachedVerdict } from "../../src/domain/reached-verdict";
import { composeVerdictNotification } from "../../src/domain/verdict-notification";
import {
  composeWebhookLog,
  signupEvent,
  signWebhook,
  type WebhookEndpoint,
  webhookBody,
  webhookDeliveries,
  webhookHeaders,
} from "../../src/domain/webhooks";
import { TOLERANCE_SECONDS, verifyDelivery } from "../support/fake-webhook-receiver";

// The Standard Webhooks specification's published example (also in Svix's and the
// specification's libraries' tests): this secret, id, timestamp and body sign to this.
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const everything = ["signup.created", "signup.confirmed", "signup.unsubscribed", "verdict.reached"] as const;
const zapier: WebhookEndpoint = {
  url: "https://hooks.zapier.com/hooks/catch/1/tok/",
  secret: SPEC.secret,
  events: everything,
};
const crm: WebhookEndpoint = {
  url: "https://crm.example.com/in",
  secret: `whsec_${Buffer.alloc(32, 9).toString("base64")}`,
  events: ["signup.confirmed"],
};
const at = new Date("2026-11-20T10:00:00.000Z");
const signup = { concept: "pli", variant: "control", email: "ann@example.com", name: "Ann", lang: "fr" };

describe("the signature", () => {
  test("reproduces the specification's published example", () => {
    expect(signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  test("an independent verifier (WebCrypto) accepts what racine signs, within 5 minutes of its clock", async () => {
    const body = webhookBody(signupEvent("signup.created", signup, 7, at));
    const headers = webhookHeaders(zapier, "signup.created/7/x", at, body);
    const seconds = at.getTime() / 1000;
    expect(headers["webhook-timestamp"]).toBe(String(seconds));
    expect(await verifyDelivery(zapier.secret, headers, body, seconds + TOLERANCE_SECONDS)).toEqual({ ok: true });
    expect(await verifyDelivery(zapier.secret, headers, body, seconds - TOLERANCE_SECONDS)).toEqual({ ok: true });
  });

  test.each([
    ["a stale timestamp", { now: TOLERANCE_SECONDS + 1 }],
    ["a timestamp from the future", { now: -TOLERANCE_SECONDS - 1 }],
    ["a changed body", { body: '{"type":"signup.created"}' }],
    ["another secret", { secret: crm.secret }],
  ])("the verifier refuses %s", async (_, change: { now?: number; body?: string; secret?: string }) => {
    const body = webhookBody(signupEvent("signup.created", signup, 7, at));
    const headers = webhookHeaders(zapier, "signup.created/7/x", at, body);
    const seconds = at.getTime() / 1000 + (change.now ?? 0);
    const verdict = await verifyDelivery(change.secret ?? zapier.secret, headers, change.body ?? body, seconds);
    expect(verdict.ok).toBe(false);
  });

  test("the verifier accepts the specification's example, and one matching signature among several", async () => {
    const headers = {
      "webhook-id": SPEC.id,
      "webhook-timestamp": String(SPEC.timestamp),
      "webhook-signature": `v1,bm90IGl0 ${SPEC.signature}`,
    };
    expect(await verifyDelivery(SPEC.secret, headers, SPEC.body, SPEC.timestamp)).toEqual({ ok: true });
  });
});

describe("payloads and deliveries", () => {
  test("a signup's event carries its concept, variant, id, address, name and language", () => {
    expect(JSON.parse(webhookBody(signupEvent("signup.confirmed", signup, 7, at)))).toEqual({
      type: "signup.confirmed",
      timestamp: "2026-11-20T10:00:00.000Z",
      data: { concept: "pli", variant: "control", signupId: 7, email: "ann@example.com", name: "Ann", lang: "fr" },
    });
    expect(
      JSON.parse(webhookBody(signupEvent("signup.created", { ...signup, name: undefined }, 7, at))).data.name,
    ).toBe(null);
  });

  const verdict: ReachedVerdict = {
    concept: "pli",
    kind: "variant",
    variant: "prix-doux",
    status: "validated",
    outcome: "better",
    reachedOn: "2026-11-20",
    figures: { visitors: 1600, signups: 120, lift: 0.25 },
  };

  test("verdict.reached carries the decision and its conversion", () => {
    expect(JSON.parse(webhookBody({ type: "verdict.reached", at, data: verdict }))).toEqual({
      type: "verdict.reached",
      timestamp: "2026-11-20T10:00:00.000Z",
      data: { ...verdict, figures: { visitors: 1600, signups: 120, lift: 0.25, conversion: 0.075 } },
    });
  });

  test("one delivery per endpoint that wants the event, with an id per (event, endpoint) that does not change", () => {
    const event = signupEvent("signup.confirmed", signup, 7, at);
    const rows = webhookDeliveries([zapier, crm], event);
    expect(rows.map((row) => row.to)).toEqual([[zapier.url], [crm.url]]);
    expect(new Set(rows.map((row) => row.idempotencyKey)).size).toBe(2);
    expect(rows.every((row) => row.payload === webhookBody(event) && row.event === "signup.confirmed")).toBe(true);
    // Later (a retry composes nothing new, but a second call must not make a second event either).
    const again = webhookDeliveries(
      [zapier, crm],
      signupEvent("signup.confirmed", signup, 7, new Date(at.getTime() + 1)),
    );
    expect(again.map((row) => row.idempotencyKey)).toEqual(rows.map((row) => row.idempotencyKey));
    // Ids do not show the hook URL's token.
    expect(rows[0]?.idempotencyKey).not.toContain("tok");
    expect(webhookDeliveries([zapier], signupEvent("signup.created", signup, 7, at))[0]?.idempotencyKey).not.toBe(
      rows[0]?.idempotencyKey,
    );
  });

  test("no endpoint, or none that wants the event: no delivery", () => {
    expect(webhookDeliveries([], signupEvent("signup.created", signup, 7, at))).toEqual([]);
    expect(webhookDeliveries([crm], signupEvent("signup.created", signup, 7, at))).toEqual([]);
  });

  test("a verdict is one event per concept, variant, call and day", () => {
    const key = (data: ReachedVerdict) =>
      webhookDeliveries([zapier], { type: "verdict.reached", at, data })[0]?.idempotencyKey;
    expect(key(verdict)).toBe(key({ ...verdict, figures: { visitors: 1700, signups: 130 } }));
    expect(key(verdict)).not.toBe(key({ ...verdict, variant: "autre" }));
    expect(key(verdict)).not.toBe(key({ ...verdict, reachedOn: "2026-12-01" }));
  });
});

describe("the delivery log", () => {
  const row = {
    event: "signup.created",
    url: "https://hooks.zapier.com/hooks/catch/1/tok/",
    attempts: 1,
    lastError: null,
    createdAt: at,
    nextAttemptAt: at,
  };

  test("shows the endpoint's host only, each status, and heads the failures", () => {
    const log = composeWebhookLog([
      { ...row, status: "failed", attempts: 1, lastError: "HTTP 400" },
      {
        ...row,
        status: "pending",
        attempts: 2,
        lastError: "HTTP 500",
        nextAttemptAt: new Date("2026-11-20T10:02:00Z"),
      },
      { ...row, status: "pending", attempts: 0 },
      { ...row, status: "sent" },
    ]);
    expect(log?.failures).toBe("A webhook delivery failed");
    expect(log?.deliveries.map(({ host, status, detail, failed }) => ({ host, status, detail, failed }))).toEqual([
      { host: "hooks.zapier.com", status: "failed", detail: "HTTP 400", failed: true },
      {
        host: "hooks.zapier.com",
        status: "retrying",
        detail: "HTTP 500; next attempt 2026-11-20 10:02 UTC",
        failed: false,
      },
      { host: "hooks.zapier.com", status: "retrying", detail: "queued", failed: false },
      { host: "hooks.zapier.com", status: "delivered", detail: "", failed: false },
    ]);
    expect(
      composeWebhookLog([
        { ...row, status: "failed" },
        { ...row, status: "failed" },
      ])?.failures,
    ).toBe("2 webhook deliveries failed");
    expect(composeWebhookLog([{ ...row, status: "sent" }])?.failures).toBeUndefined();
  });

  test("no deliveries: no log", () => {
    expect(composeWebhookLog([])).toBeUndefined();
  });
});

describe("the founder's notification", () => {
  const concept = {
    title: "Pli <la box>",
    successCriteria: { minVisitors: 1500, minSignups: 100, minConversionPercent: 6 },
  };
  const reportUrl = "https://ideas.example.com/admin/c/pli";
  const idea: ReachedVerdict = {
    concept: "pli",
    kind: "idea",
    status: "validated",
    reachedOn: "2026-11-20",
    figures: { visitors: 1600, signups: 120 },
  };

  test("an idea's verdict: what was decided, the figures against the target, a link to the report", () => {
    const email = composeVerdictNotification({ concept, decision: idea, reportUrl });
    expect(email.subject).toBe("Pli <la box>: validated");
    expect(email.text).toBe(
      [
        "Pli <la box>: validated",
        "Verdict reached on 2026-11-20.",
        "",
        "It converts above the 6 % target you set before the test, with the visitors and signups you asked for.",
        "",
        "Visitors: 1,600",
        "Signups: 120",
        "Conversion: 7.5 %",
        "Target: 6 %",
        "",
        `The report: ${reportUrl}`,
      ].join("\n"),
    );
    expect(email.html).toContain("Pli &lt;la box&gt;: validated");
    expect(email.html).not.toContain("<la box>");
    expect(email.html).toContain(`href="${reportUrl}"`);
    expect(email.html).toContain("max-width:600px");
    expect(email.html).not.toMatch(/<script|<svg|<style/);
  });

  test.each([
    ["better", "validated", "Pli <la box>: variant prix-doux beats the control", "Lift over the control: +25 %"],
    [
      "worse",
      "not validated",
      "Pli <la box>: variant prix-doux does worse than the control",
      "Lift over the control: +25 %",
    ],
    [
      "equivalent",
      "not validated",
      "Pli <la box>: variant prix-doux is equivalent to the control",
      "Keep the simpler one",
    ],
  ] as const)("a variant %s than the control", (outcome, status, subject, line) => {
    const decision: ReachedVerdict = {
      ...idea,
      kind: "variant",
      variant: "prix-doux",
      status,
      outcome,
      figures: { visitors: 800, signups: 60, lift: 0.25 },
    };
    const email = composeVerdictNotification({ concept, decision, reportUrl });
    expect(email.subject).toBe(subject);
    expect(email.text.toLowerCase()).toContain(line.toLowerCase());
  });
});
