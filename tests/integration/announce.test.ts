/**
 * `npm run announce` against a fake Resend on loopback: a launch email to the confirmed,
 * still-subscribed signups of one concept, and to nobody else. The provider stops answering
 * midway (it sent a batch, the answer never comes), the command is killed there, the provider
 * then fails once more, and a second run finishes the job: every address got it exactly once
 * (the provider's own log says so), and a third run sends nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeResend } from "../support/fake-resend";
import {
  adminCookie,
  fixture,
  post,
  runScriptAsync,
  startScript,
  startServer,
  type TestServer,
} from "../support/server";
import { ELIGIBLE, NOT_ELIGIBLE, seedWaitlist } from "../support/waitlist";

const START = "2026-11-25T12:00:00Z";
/** Past the claim a killed run left on its last batch (the provider's time-out plus a margin). */
const AFTER_RESTART = "2026-11-25T12:10:00Z";
const dir = mkdtempSync(join(tmpdir(), "racine-announce-"));
const databasePath = join(dir, "racine.db");
const bodyFile = join(dir, "launch.md");

let resend: Awaited<ReturnType<typeof startFakeResend>>;
const env = () => ({
  DATABASE_PATH: databasePath,
  RESEND_API_KEY: "re_test_key",
  RESEND_BASE_URL: resend.url,
  EMAIL_FROM: "Pli <bonjour@test.example>",
  SITE_URL: "https://ideas.example.com",
  CLOCK_START: START,
  OUTBOX_RETRY_MS: "50",
  EMAIL_BATCH_SIZE: "4",
  EMAIL_RATE_PER_SECOND: "1000",
  // Long enough that the hanging request is still waiting when the test kills the command.
  EMAIL_TIMEOUT_MS: "60000",
});
/** Runs the command to its end without blocking this process, where the fake provider answers. */
const announce = (args: string[], extra: Record<string, string> = {}) =>
  runScriptAsync("announce", ["split", "--subject", "Pli ouvre ses portes", "--body", bodyFile, ...args], {
    ...env(),
    ...extra,
  });

const query = <T>(sql: string, ...params: unknown[]): T[] => {
  const sqlite = new Sqlite(databasePath, { readonly: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
};

beforeAll(async () => {
  resend = await startFakeResend();
  seedWaitlist(databasePath);
  writeFileSync(
    bodyFile,
    "# C’est parti !\n\nPli ouvre **aujourd’hui** : [réservez votre box](https://pli.example.com/launch).\n\n- 24 € par mois\n- sans engagement\n",
  );
});
afterAll(() => resend.stop());

describe("npm run announce", () => {
  test("--dry-run sends nothing and prints who would get it, per language and variant", async () => {
    const run = await announce(["--dry-run"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"Pli ouvre ses portes" would go to all 20 confirmed signups of split');
    expect(run.stdout).toContain("by language: fr 14, en 6");
    expect(run.stdout).toContain("by variant:  cheaper 10, control 10");
    for (const person of ELIGIBLE) expect(run.stdout).toContain(`${person.email}  ${person.lang}  ${person.variant}`);
    for (const email of NOT_ELIGIBLE) expect(run.stdout).not.toContain(email);
    const preview = readFileSync(join(dir, "announcement-split-en.html"), "utf8");
    expect(preview).toContain('<html lang="en">');
    expect(preview).toContain("<strong>aujourd’hui</strong>");
    expect(resend.log).toEqual([]);
    expect(query("select * from announcements")).toEqual([]);

    const oneVariant = await announce(["--dry-run", "--variant", "cheaper"]);
    expect(oneVariant.stdout).toContain("would go to the 10 confirmed signups of variant cheaper of split");
    expect(oneVariant.stdout).not.toMatch(/ control\n/);
  });

  test("--tier keeps those who joined with that tier, of any variant that shows it", async () => {
    const sqlite = new Sqlite(databasePath);
    const insert = sqlite.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at, confirmed_at, tier) values ('ladder', ?, ?, ?, 'fr', 0, 1, ?)",
    );
    for (const [variant, email, tier] of [
      ["control", "atelier1@exemple.fr", "atelier"],
      ["duo", "atelier2@exemple.fr", "atelier"],
      ["control", "complet@exemple.fr", "complet"],
      ["control", "sans@exemple.fr", null],
    ])
      insert.run(variant, email, email, tier);
    sqlite.close();
    const run = (args: string[]) =>
      runScriptAsync("announce", ["ladder", "--subject", "Lancement", "--body", bodyFile, "--dry-run", ...args], env());
    const atelier = await run(["--tier", "atelier"]);
    expect(atelier.stdout).toContain("would go to the 2 confirmed signups of tier atelier of ladder");
    expect(atelier.stdout).toContain("atelier1@exemple.fr");
    expect(atelier.stdout).toContain("atelier2@exemple.fr");
    expect(atelier.stdout).not.toContain("complet@exemple.fr");
    const both = await run(["--tier", "atelier", "--variant", "duo"]);
    expect(both.stdout).toContain("would go to the 1 confirmed signup of variant duo, tier atelier of ladder");
    const unknown = await run(["--tier", "gold"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^--tier: ladder has no tier "gold"; it has essentiel, complet, atelier$/m);
    expect(query("select * from announcements")).toEqual([]);
  });

  test.each([
    [["--body", join(dir, "missing.md")], /^--body: no file at .*missing\.md$/m],
    [["--variant", "nope"], /^--variant: split has no variant "nope"; it has control, cheaper$/m],
    [["--tier", "gold"], /^--tier: split shows no tiers$/m],
    [["--subject", "  "], /^--subject: write a subject$/m],
    [["--subject", "two\nlines"], /^--subject: the subject must be one line/m],
  ])("%j is refused with a clear message, and nothing is queued", async (args, message) => {
    const run = await announce(args);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(query("select * from announcements")).toEqual([]);
  });

  test("a provider that stops midway and a killed run: after a restart, every address got it exactly once", async () => {
    // Batches of 4: two are answered; the third is sent but its answer never comes.
    resend.failAfter(8, "accept-hang");
    const first = startScript("announce", ["split", "--subject", "Pli ouvre ses portes", "--body", bodyFile], env());
    await expect.poll(() => resend.recipients().length, { timeout: 20_000 }).toBe(12);
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).toMatch(/Announcement #1 queued: 20 emails/);
    const states = () =>
      query<{ status: string; n: number }>(
        "select status, count(*) as n from outbox where kind = 'announcement' group by status order by status",
      );
    // The third batch stays pending, claimed by the dead run: only the provider knows it went.
    expect(states()).toEqual([
      { status: "pending", n: 12 },
      { status: "sent", n: 8 },
    ]);

    // The restarted run sends that batch again under the same key (the provider answers
    // without sending), then the provider fails once more (a 500, retried).
    resend.failNext("500");
    const second = await announce([], { CLOCK_START: AFTER_RESTART });
    expect(second.stderr).toMatch(/Sending .* 100 %/);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Announcement #1 was queued on 2026-11-25T12:00:0\d\.\d+Z: resuming it/);
    expect(second.stdout).toContain("Announcement #1: 20 of 20 sent (through Resend).");

    const recipients = resend.recipients();
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);
    expect([...recipients].sort()).toEqual(ELIGIBLE.map((person) => person.email).sort());
    for (const email of NOT_ELIGIBLE) expect(recipients).not.toContain(email);
    // In queue order: the hung batch again (answered from the provider's memory), then the rest, the 500 retried last.
    expect(resend.log.map((request) => request.outcome)).toEqual([
      "sent",
      "sent",
      "accept-hang",
      "replayed",
      "500",
      "sent",
      "sent",
    ]);
    expect(resend.log.every((request) => request.path === "/emails/batch")).toBe(true);
    // The replay carried the very batch that hung: same key, same recipients.
    expect(resend.log[3]?.idempotencyKey).toBe(resend.log[2]?.idempotencyKey);
    expect(resend.log[3]?.to).toEqual(resend.log[2]?.to);
    expect(states()).toEqual([{ status: "sent", n: 20 }]);
    expect(query("select id, concept, audience, queued from announcements")).toEqual([
      { id: 1, concept: "split", audience: "{}", queued: 20 },
    ]);

    const third = await announce([], { CLOCK_START: AFTER_RESTART });
    expect(third.status).toBe(0);
    expect(third.stdout).toContain("Announcement #1: 20 of 20 sent");
    expect(resend.recipients()).toHaveLength(20);
    expect(resend.log).toHaveLength(7);
  }, 60_000);

  test("each email is in its signup's language, with one-click unsubscribe headers and a link that works", async () => {
    const emailTo = (address: string) => {
      const email = resend.received.find((received) => received.body.to.includes(address));
      if (!email) throw new Error(`no email to ${address}`);
      return email.body;
    };
    const title = fixture("split").title;
    const french = emailTo("person1@exemple.fr");
    const english = emailTo("person3@exemple.fr");
    expect(french.from).toBe("Pli <bonjour@test.example>");
    expect(french.subject).toBe("Pli ouvre ses portes");
    expect(french.html).toContain('<html lang="fr">');
    expect(french.html).toContain(`liste d’attente de ${title}`);
    expect(french.html).toContain(">Se désinscrire</a>");
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain(`waitlist for ${title}`);
    expect(english.html).toContain(">Unsubscribe</a>");
    expect(french.html).toContain('<a href="https://pli.example.com/launch"');
    expect(french.html).toContain("<li");
    expect(french.text).toContain("réservez votre box (https://pli.example.com/launch)");
    expect(Buffer.byteLength(french.html)).toBeLessThan(102 * 1024);

    const link = /https:\/\/ideas\.example\.com(\/api\/unsubscribe\?token=[\w.-]+)/.exec(english.text);
    if (!link?.[1]) throw new Error("no unsubscribe link");
    expect(english.headers).toEqual({
      "List-Unsubscribe": `<https://ideas.example.com${link[1]}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });

    const server = await startServer({ DATABASE_PATH: databasePath, CLOCK_START: AFTER_RESTART });
    try {
      const oneClick = await fetch(new URL(link[1], server.url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(oneClick.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(query("select unsubscribed_at is not null as gone from signups where email = 'person3@exemple.fr'")).toEqual(
      [{ gone: 1 }],
    );
    expect((await announce(["--dry-run"])).stdout).toContain("would go to all 19 confirmed signups of split");
  });
});

describe("announcing from /admin/c/<slug>", () => {
  let server: TestServer;
  let cookie: string;
  const provider = () => resend;
  beforeAll(async () => {
    const adminDatabase = join(mkdtempSync(join(tmpdir(), "racine-announce-admin-")), "racine.db");
    server = await startServer(
      {
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: provider().url,
        SITE_URL: "https://ideas.example.com",
        CLOCK_START: START,
        OUTBOX_RETRY_MS: "50",
        EMAIL_BATCH_SIZE: "5",
        DATABASE_PATH: adminDatabase,
      },
      seedWaitlist,
    );
    cookie = await adminCookie(server);
  });
  afterAll(() => server.stop());

  const form = (fields: Record<string, string>) =>
    post(server, "/admin/announcements", new URLSearchParams({ concept: "split", ...fields }).toString(), { cookie });
  const BODY = "# On lance !\n\nRendez-vous <script>alert(1)</script> sur [le site](javascript:alert(1)).";

  test("the concept page has the form; a post without a session goes to the login", async () => {
    const page = await (await fetch(new URL("/admin/c/split", server.url), { headers: { cookie } })).text();
    expect(page).toContain('<form class="announce-form" method="post" action="/admin/announcements"');
    expect(page).toContain("Only those who saw variant cheaper");
    expect(page).not.toContain('name="tier"');
    const withTiers = await (await fetch(new URL("/admin/c/ladder", server.url), { headers: { cookie } })).text();
    for (const tier of ["essentiel", "complet", "atelier"])
      expect(withTiers).toMatch(
        new RegExp(`<option value="${tier}"[^>]*>\\s*Only those who joined with tier ${tier}\\s*</option>`),
      );
    const anonymous = await post(server, "/admin/announcements", "concept=split&subject=x&body=y");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/admin/login");
  });

  test.each([
    ["nothing written", { subject: "", body: "" }, ["write a subject", "write the email’s text"]],
    [
      "an unknown variant",
      { subject: "Lancement", body: "x", variant: "nope" },
      ['split has no variant "nope"; it has control, cheaper'],
    ],
    ["a text too long", { subject: "Lancement", body: "x".repeat(20_001) }, ["keep the text to 20,000 characters"]],
  ])("%s comes back on the form with its message (400), nothing queued", async (_name, fields, messages) => {
    const res = await form(fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const message of messages) expect(html).toContain(message.replace("’", "&#39;").replace(/"/g, "&quot;"));
    expect(html).toContain('<form class="announce-form"');
    expect(server.query("select * from announcements")).toEqual([]);
  });

  test("the preview counts who gets it and shows the text escaped; a stale count is shown again, not sent", async () => {
    const before = provider().recipients().length;
    const res = await form({ subject: "On lance !", body: BODY });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Send to all 20 confirmed signups?");
    expect(html).toMatch(/data-figure="by-lang">fr 14, en 6</);
    expect(html).toMatch(/data-figure="by-variant">\s*cheaper 10, control 10\s*</);
    expect(html).toContain('<input type="hidden" name="expected" value="20"');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Markup only where racine put it: outside quoted attribute values (the hidden fields carry the text as typed).
    expect(html.replace(/="[^"]*"/g, '=""')).not.toContain("<script>alert(1)");
    expect(html).not.toContain('href="javascript:');
    const stale = await form({ subject: "On lance !", body: BODY, step: "send", expected: "19" });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain("The audience changed since the preview (19 then, 20 now)");
    expect(server.query("select * from announcements")).toEqual([]);
    expect(provider().recipients()).toHaveLength(before);
  });

  test("confirmed at the count, it is queued and sent once; its counts show on its page, the concept page and /admin", async () => {
    const before = provider().recipients().length;
    const sent = await form({ subject: "On lance !", body: BODY, step: "send", expected: "20" });
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/admin/announcements/1");
    await expect.poll(() => provider().recipients().length - before, { timeout: 20_000 }).toBe(20);
    const page = async (path: string) => (await fetch(new URL(path, server.url), { headers: { cookie } })).text();
    await expect.poll(async () => page("/admin/announcements/1"), { timeout: 10_000 }).toContain("20 of 20 sent");
    const progress = await page("/admin/announcements/1");
    expect(progress).not.toContain('http-equiv="refresh"');
    for (const path of ["/admin", "/admin/c/split"]) {
      const html = await page(path);
      const figure = (name: string) => new RegExp(`data-figure="${name}"[^>]*>([^<]*)<`).exec(html)?.[1];
      expect([figure("queued"), figure("sent"), figure("failed")]).toEqual(["20", "20", "0"]);
    }
    // Posted again (a double click, a reload): the same announcement, nothing sent again.
    const again = await form({ subject: "On lance !", body: BODY, step: "send", expected: "20" });
    expect(again.headers.get("location")).toBe("/admin/announcements/1");
    expect(server.query("select count(*) as n from announcements")).toEqual([{ n: 1 }]);
    const mine = provider().recipients().slice(before);
    expect(new Set(mine).size).toBe(20);
    expect(provider().recipients().length - before).toBe(20);
  });
});

describe("an announcement sent by the server, which dies midway", () => {
  test("restarted, the server's worker finishes it: every address exactly once, counts recorded", async () => {
    const provider = await startFakeResend();
    const database = join(mkdtempSync(join(tmpdir(), "racine-announce-crash-")), "racine.db");
    const serverEnv = {
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: provider.url,
      SITE_URL: "https://ideas.example.com",
      OUTBOX_RETRY_MS: "50",
      EMAIL_BATCH_SIZE: "5",
      EMAIL_TIMEOUT_MS: "60000",
      DATABASE_PATH: database,
    };
    const first = await startServer({ ...serverEnv, CLOCK_START: START }, seedWaitlist);
    let second: TestServer | undefined;
    try {
      // The first batch is answered; the second is sent, and the server dies before the answer.
      provider.failAfter(5, "accept-hang");
      const body = new URLSearchParams({
        concept: "split",
        step: "send",
        expected: "20",
        subject: "Pli ouvre ses portes",
        body: "C’est parti.",
      });
      const sent = await post(first, "/admin/announcements", body.toString(), { cookie: await adminCookie(first) });
      expect(sent.status).toBe(303);
      await expect.poll(() => provider.recipients().length, { timeout: 20_000 }).toBe(10);
      await first.crash();

      provider.failNext("500");
      second = await startServer({ ...serverEnv, CLOCK_START: AFTER_RESTART });
      const settled = () =>
        (second as TestServer).query<{ status: string; n: number }>(
          "select status, count(*) as n from outbox where announcement_id = 1 group by status",
        );
      await expect.poll(settled, { timeout: 20_000 }).toEqual([{ status: "sent", n: 20 }]);
      const recipients = provider.recipients();
      expect(recipients).toHaveLength(20);
      expect([...recipients].sort()).toEqual(ELIGIBLE.map((person) => person.email).sort());
      const outcomes = provider.log.map((request) => request.outcome);
      expect(outcomes.filter((outcome) => outcome === "replayed")).toHaveLength(1);
      expect(outcomes).toContain("500");
      const html = await (
        await fetch(new URL("/admin/announcements/1", second.url), { headers: { cookie: await adminCookie(second) } })
      ).text();
      expect(html).toContain("20 of 20 sent");
    } finally {
      await second?.stop();
      await first.stop();
      await provider.stop();
    }
  }, 60_000);
});
