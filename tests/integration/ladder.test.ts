/**
 * The intent ladder's visitor side on the built server: fake-door tier clicks, a signup
 * that keeps its tier, and the thank-you step (question, interview, reservation) allowed
 * only to the signup whose token it carries.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { post, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const PERSON = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0" };
let visitor = 0;
/** A different visitor per call: the visitor hash reads the address and the User-Agent. */
const asVisitor = () => ({ "user-agent": `Mozilla/5.0 (X11; Linux x86_64) Firefox/130.${++visitor}` });

const tierClicks = (concept: string) =>
  server.query("select variant, tier, served from tier_clicks where concept = ? order by id", concept);

/** Signs `email` up to `concept` with JSON and returns the step token. */
async function join(concept: string, email: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await post(server, "/api/signup", { concept, email, ...extra }, PERSON);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { ok: boolean; step?: string };
  expect(body.step).toMatch(/^[\w-]{40,}$/);
  return body.step ?? "";
}

const signup = (email: string) =>
  server.query<Record<string, unknown>>(
    "select tier, answer, answered_at, answer_changes, interview_at, interview_when, reserved_at from signups where email = ?",
    email,
  )[0];

describe("POST /api/tier", () => {
  test("a click is counted once per visitor and tier, with the variant and how the page was served", async () => {
    const headers = asVisitor();
    const click = (tier: string, variant = "control") =>
      post(server, "/api/tier", { concept: "ladder", variant, tier, served: "split" }, headers);
    expect((await click("complet")).status).toBe(204);
    expect((await click("complet")).status).toBe(204);
    expect((await click("atelier")).status).toBe(204);
    expect(tierClicks("ladder")).toEqual([
      { variant: "control", tier: "complet", served: "split" },
      { variant: "control", tier: "atelier", served: "split" },
    ]);
    // Another visitor's click on the same tier is theirs.
    await post(
      server,
      "/api/tier",
      { concept: "ladder", variant: "duo", tier: "atelier", served: "direct" },
      asVisitor(),
    );
    expect(tierClicks("ladder")).toHaveLength(3);
  });

  test("the founder's browser (switched off on /admin) is answered and not counted", async () => {
    const before = tierClicks("ladder").length;
    const res = await post(
      server,
      "/api/tier",
      { concept: "ladder", tier: "complet", variant: "control" },
      { ...asVisitor(), cookie: "racine_exclude=1" },
    );
    expect(res.status).toBe(204);
    expect(tierClicks("ladder").length).toBe(before);
  });

  test("a tier the variant does not show is refused with a message in the concept's language, and nothing is counted", async () => {
    const before = tierClicks("ladder").length;
    // `complet` is the control's, not the duo variant's.
    const res = await post(server, "/api/tier", { concept: "ladder", variant: "duo", tier: "complet" }, asVisitor());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      errors: { tier: "Cette formule n’existe pas (ou plus) sur cette page. Rechargez la page." },
    });
    const unknown = await post(server, "/api/tier", { concept: "ladder-en", tier: "gold" }, asVisitor());
    expect(unknown.status).toBe(400);
    expect(tierClicks("ladder").length).toBe(before);
    expect(tierClicks("ladder-en")).toEqual([]);
  });

  test("without JavaScript the form is counted, served as its Referer tells, and lands on the tier's join page", async () => {
    const res = await post(server, "/api/tier", "concept=ladder-en&variant=control&tier=plus", {
      ...asVisitor(),
      referer: `${server.url}/c/ladder-en/v/control/`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/c/ladder-en/v/control/plus/#join");
    expect(tierClicks("ladder-en")).toEqual([{ variant: "control", tier: "plus", served: "direct" }]);
    const page = await (await fetch(new URL("/c/ladder-en/v/control/plus/", server.url))).text();
    expect(page).toContain("Plus, US$22 / month, isn’t ready yet: join the waitlist and get this price at launch.");
    expect(page).toContain("Nothing is sold or charged: choosing a tier tells us what you’d want.");
    expect(page).toMatch(/<input type="hidden" name="tier" value="plus"/);
  });

  test("a bot's click gets the same answer and is not counted", async () => {
    const res = await post(
      server,
      "/api/tier",
      { concept: "ladder-en", tier: "starter" },
      { "user-agent": "curl/8.0" },
    );
    expect(res.status).toBe(204);
    expect(tierClicks("ladder-en").map((row) => row.tier)).not.toContain("starter");
  });
});

describe("the landing page shows the tiers honestly", () => {
  test("each tier, its price, what it includes and the line that nothing is sold", async () => {
    const html = await (await fetch(new URL("/c/ladder/v/duo/", server.url))).text();
    expect(html).toContain(
      "Rien n’est vendu ni débité : en choisissant une formule, vous nous dites ce qui vous intéresse.",
    );
    expect(html).toContain("Choisir Essentiel");
    expect(html).toContain("Choisir Atelier");
    expect(html).not.toContain("Choisir Complet");
    expect(html).toContain('<section id="steps"');
  });
});

describe("POST /api/signup with a tier", () => {
  test("keeps the tier the visitor chose", async () => {
    await join("ladder", "tier.ok@exemple.fr", { variant: "duo", tier: "atelier" });
    expect(signup("tier.ok@exemple.fr")?.tier).toBe("atelier");
  });

  test("a tier the variant does not show is a 400 naming the field, and nothing is stored", async () => {
    const res = await post(server, "/api/signup", {
      concept: "ladder",
      variant: "duo",
      email: "tier.bad@exemple.fr",
      tier: "complet",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      errors: { tier: "Cette formule n’existe pas (ou plus) sur cette page. Rechargez la page." },
    });
    expect(signup("tier.bad@exemple.fr")).toBeUndefined();
  });

  test("without JavaScript the signup lands on the thank-you page with the step's forms", async () => {
    const res = await post(
      server,
      "/api/signup",
      "concept=ladder&variant=control&tier=complet&email=nojs%40exemple.fr",
    );
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/c\/ladder\/merci\/\?step=[\w-]+#steps$/);
    expect(signup("nojs@exemple.fr")?.tier).toBe("complet");
    const page = await (await fetch(new URL(location, server.url))).text();
    expect(page).toContain("Quel est votre niveau aujourd’hui ?");
    expect(page).toContain("Nous accorderiez-vous 15 minutes pour nous en dire plus ?");
    expect(page).toContain("Réserver la mienne");
    expect(page).toContain(`name="step" value="${new URL(location, server.url).searchParams.get("step")}"`);
  });
});

describe("the thank-you page, rendered on demand", () => {
  test("answers 404 with the site's page for any other segment under a concept, and ignores a forged token", async () => {
    for (const path of ["/c/ladder/thanks/", "/c/ladder/autre/", "/c/nope/merci/"]) {
      const res = await fetch(new URL(path, server.url));
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Page introuvable");
    }
    const forged = await fetch(new URL("/c/ladder/merci/?step=forged&said=question.saved", server.url));
    expect(forged.status).toBe(200);
    const html = await forged.text();
    expect(html).toContain("Plus qu’une étape !");
    expect(html).not.toContain('id="steps"');
  });
});

describe("the thank-you step's question", () => {
  test("a valid answer is stored; the same answer twice is stored once", async () => {
    const step = await join("ladder", "answer.once@exemple.fr");
    const first = await post(server, "/api/answer", { step, answer: "initie" });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      ok: true,
      message: "Merci pour votre réponse ! Vous pourrez la modifier une fois.",
    });
    const stored = signup("answer.once@exemple.fr");
    expect(stored).toMatchObject({ answer: '["initie"]', answer_changes: 0 });
    const again = await post(server, "/api/answer", { step, answer: "initie" });
    expect(await again.json()).toEqual({ ok: true, message: "C’est déjà votre réponse : rien n’a changé." });
    expect(signup("answer.once@exemple.fr")).toEqual(stored);
  });

  test("it may change once; a third answer is refused with a clear message and stores nothing", async () => {
    const step = await join("ladder", "answer.change@exemple.fr");
    await post(server, "/api/answer", { step, answer: "debutant" });
    const change = await post(server, "/api/answer", { step, answer: "confirme" });
    expect(await change.json()).toEqual({
      ok: true,
      message: "Réponse modifiée. Elle est désormais enregistrée telle quelle.",
    });
    const changed = signup("answer.change@exemple.fr");
    expect(changed).toMatchObject({ answer: '["confirme"]', answer_changes: 1 });
    const third = await post(server, "/api/answer", { step, answer: "initie" });
    expect(third.status).toBe(409);
    expect(await third.json()).toEqual({
      ok: false,
      errors: { answer: "Vous avez déjà modifié votre réponse une fois : elle reste enregistrée telle quelle." },
    });
    expect(signup("answer.change@exemple.fr")).toEqual(changed);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["expert", { answer: "expert" }, "Cette réponse ne fait pas partie des choix proposés."],
    ["two", { answer: ["debutant", "initie"] }, "Choisissez une seule réponse."],
    ["none", {}, "Choisissez une réponse, ou laissez cette question de côté."],
  ])("an invalid answer (%s) is a 400 with its message, and nothing is stored", async (name, body, message) => {
    const email = `answer.invalid.${name}@exemple.fr`;
    const step = await join("ladder", email);
    const res = await post(server, "/api/answer", { step, ...body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, errors: { answer: message } });
    expect(signup(email)).toMatchObject({ answer: null, answered_at: null, answer_changes: 0 });
  });

  test("a short text is trimmed and kept; longer than 280 characters is refused", async () => {
    const step = await join("ladder-en", "text.answer@example.com");
    const long = await post(server, "/api/answer", { step, answer: "x".repeat(281) });
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({
      ok: false,
      errors: { answer: "Your answer is too long (280 characters at most)." },
    });
    const res = await post(server, "/api/answer", { step, answer: "  A tote bag  " });
    expect(await res.json()).toEqual({ ok: true, message: "Thank you for your answer! You can change it once." });
    expect(signup("text.answer@example.com")?.answer).toBe('"A tote bag"');
  });

  test("a token answers for its own signup only; a forged one is refused", async () => {
    const mine = await join("ladder", "token.mine@exemple.fr");
    const theirs = await join("ladder", "token.theirs@exemple.fr");
    await post(server, "/api/answer", { step: theirs, answer: "confirme" });
    expect(signup("token.mine@exemple.fr")?.answer).toBeNull();
    expect(signup("token.theirs@exemple.fr")?.answer).toBe('["confirme"]');
    // One character changed: the seal breaks.
    const forged = `${mine.slice(0, 10)}${mine[10] === "A" ? "B" : "A"}${mine.slice(11)}`;
    for (const step of [forged, "", "not-a-token"]) {
      const res = await post(server, "/api/answer", { step, answer: "debutant" });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: Record<string, string> }).errors.step).toBeDefined();
    }
    expect(signup("token.mine@exemple.fr")?.answer).toBeNull();
  });

  test("a repeat signup's token looks the same and stores nothing on the listed signup", async () => {
    const first = await join("ladder", "repeat@exemple.fr");
    const again = await join("ladder", "repeat@exemple.fr");
    expect(again.length).toBe(first.length);
    const res = await post(server, "/api/answer", { step: again, answer: "debutant" });
    expect(res.status).toBe(200);
    expect(signup("repeat@exemple.fr")?.answer).toBeNull();
  });

  test("without JavaScript an answer comes back to the thank-you page with its message", async () => {
    const step = await join("ladder", "answer.form@exemple.fr");
    const res = await post(server, "/api/answer", `step=${encodeURIComponent(step)}&answer=initie`);
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toContain("said=question.saved");
    const page = await (await fetch(new URL(location, server.url))).text();
    expect(page).toContain("Merci pour votre réponse ! Vous pourrez la modifier une fois.");
    expect(page).toMatch(/value="initie" checked/);
    const invalid = await post(server, "/api/answer", `step=${encodeURIComponent(step)}&answer=expert`);
    expect(invalid.headers.get("location")).toContain("said=error.answer.invalid");
    expect(signup("answer.form@exemple.fr")?.answer).toBe('["initie"]');
  });
});

describe("the interview opt-in and the reservation", () => {
  test("the opt-in is stored with its preferred time; a second one changes nothing", async () => {
    const step = await join("ladder-en", "interview@example.com");
    const res = await post(server, "/api/interview", { step, when: "  Tuesday evening " });
    expect(await res.json()).toEqual({ ok: true, message: "Thank you! We’ll email you to find a time." });
    const stored = signup("interview@example.com");
    expect(stored).toMatchObject({ interview_when: "Tuesday evening", interview_at: expect.any(Number) });
    await post(server, "/api/interview", { step, when: "never mind" });
    expect(signup("interview@example.com")).toEqual(stored);
  });

  test("the preferred time is optional; too long is refused", async () => {
    const step = await join("ladder", "interview.fr@exemple.fr");
    const long = await post(server, "/api/interview", { step, when: "x".repeat(121) });
    expect(long.status).toBe(400);
    expect(signup("interview.fr@exemple.fr")?.interview_at).toBeNull();
    await post(server, "/api/interview", { step });
    expect(signup("interview.fr@exemple.fr")).toMatchObject({ interview_when: null, interview_at: expect.any(Number) });
  });

  test("a reservation is recorded with an honest message; a concept without one refuses it", async () => {
    const step = await join("ladder", "reserve@exemple.fr");
    const res = await post(server, "/api/reserve", { step });
    expect(await res.json()).toEqual({
      ok: true,
      message:
        "C’est réservé. Rien n’a été débité : nous vous écrirons quand ce sera prêt, et vous déciderez à ce moment-là.",
    });
    expect(signup("reserve@exemple.fr")?.reserved_at).toEqual(expect.any(Number));
    const english = await join("ladder-en", "reserve@example.com");
    const refused = await post(server, "/api/reserve", { step: english });
    expect(refused.status).toBe(404);
    expect(signup("reserve@example.com")?.reserved_at).toBeNull();
  });
});
