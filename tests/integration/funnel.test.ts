/**
 * The intent ladder, founder side, on the real built server over a crafted SQLite file
 * (every figure known in advance, the days settled so the rollups hold their views): the
 * funnel of /admin/c/ladder per variant (each with its own tiers), the overview's line,
 * the interview list with mailto links (admin only: the share page shows the funnel and
 * no address), the CSV's ladder columns, the report's ladder, the digest's tier split and
 * top answers, and verdicts that count the rung the criteria name (confirmed signups on
 * `ladder`, tier clicks on `ladder-en`) where the signups alone would read otherwise.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { addDays, dayStartMs } from "../../src/domain/calendar";
import type { Report } from "../../src/domain/report";
import { conceptVerdict } from "../../src/domain/verdict";
import { adminCookie, fixture, post, runScript, startServer, type TestServer } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
const FIRST_DAY = "2026-11-10";

interface Arm {
  visitors: number;
  signups: number;
  confirmed: number;
  answered: [string, number][] | string[];
  interview: { count: number; when: string[] };
  reserved: number;
  /** Per tier, visitors who clicked it; `both` visitors clicked the first two listed. */
  tiers: [string, number][];
  both?: number;
}

const LADDER: Record<string, Arm> = {
  control: {
    visitors: 600,
    signups: 60,
    confirmed: 6,
    answered: [
      ["debutant", 18],
      ["initie", 9],
      ["confirme", 3],
    ],
    interview: { count: 12, when: ["le soir après 19 h", "mardi midi"] },
    reserved: 4,
    // 50 visitors: 25 essentiel, 20 complet, 10 atelier, 5 of them clicking essentiel and atelier.
    tiers: [
      ["essentiel", 20],
      ["complet", 20],
      ["atelier", 5],
    ],
    both: 5,
  },
  duo: {
    visitors: 600,
    signups: 30,
    confirmed: 3,
    answered: [],
    interview: { count: 0, when: [] },
    reserved: 0,
    tiers: [
      ["essentiel", 12],
      ["atelier", 8],
    ],
  },
};

/** Writes the crafted traffic of `concept`; returns nothing, every count is in `arms`. */
function craft(databasePath: string) {
  const db = openDatabase(databasePath);
  migrateDatabase(db);
  const raw = db.$client;
  const view = raw.prepare(
    "insert into views (concept, variant, visitor_hash, day, created_at, served, exposure) values (?, ?, ?, ?, ?, 'split', 'first')",
  );
  const signup = raw.prepare(
    `insert into signups (concept, variant, email, email_key, lang, visitor_hash, created_at, served, exposure,
       confirmed_at, answer, answered_at, interview_at, interview_when, reserved_at, tier)
     values (?, ?, ?, ?, ?, ?, ?, 'split', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const click = raw.prepare(
    "insert into tier_clicks (concept, variant, tier, visitor_hash, day, served, created_at) values (?, ?, ?, ?, ?, 'split', ?)",
  );
  const dayOf = (i: number) => addDays(FIRST_DAY, i % 10);
  const at = (i: number) => dayStartMs(dayOf(i)) + 10 * 3_600_000 + i * 1000;
  raw.transaction(() => {
    for (const [concept, arms, lang] of [
      ["ladder", LADDER, "fr"],
      ["ladder-en", LADDER_EN, "en"],
    ] as const) {
      for (const [variant, arm] of Object.entries(arms)) {
        const hash = (i: number) => `${concept}:${variant}:${i}`;
        for (let i = 0; i < arm.visitors; i++) view.run(concept, variant, hash(i), dayOf(i), at(i));
        const answers: (string | string[])[] = (arm.answered as (string | [string, number])[]).flatMap(
          (entry): (string | string[])[] =>
            typeof entry === "string" ? [entry] : Array.from({ length: entry[1] }, () => [entry[0]]),
        );
        for (let i = 0; i < arm.signups; i++) {
          const email = `${concept}.${variant}.${i}@example.org`;
          const answer = answers[i];
          const interview = i < arm.interview.count;
          signup.run(
            concept,
            variant,
            email,
            email,
            lang,
            hash(i),
            at(i) + 60_000,
            "first",
            // Confirmed days later: counted on the day of its signup, not rolled up with it.
            i < arm.confirmed ? at(i) + 3 * 86_400_000 : null,
            answer === undefined ? null : JSON.stringify(answer),
            answer === undefined ? null : at(i) + 120_000,
            interview ? at(i) + 180_000 : null,
            interview ? (arm.interview.when[i] ?? null) : null,
            i < arm.reserved ? at(i) + 240_000 : null,
            null,
          );
        }
        let visitor = 0;
        arm.tiers.forEach(([tier, count], index) => {
          for (let n = 0; n < count; n++)
            click.run(concept, variant, tier, hash(visitor++), dayOf(visitor), at(visitor));
          // The visitors who clicked the first tier and the last one.
          if (index === 0)
            for (let n = 0; n < (arm.both ?? 0); n++) {
              const who = visitor++;
              click.run(concept, variant, tier, hash(who), dayOf(who), at(who));
              click.run(concept, variant, arm.tiers.at(-1)?.[0] ?? tier, hash(who), dayOf(who), at(who));
            }
        });
      }
    }
    // Neither is a conversion: a signup without a recorded visit, a tier click without one.
    signup.run(
      "ladder",
      "control",
      "noscript@example.org",
      "noscript@example.org",
      "fr",
      null,
      at(3),
      "none",
      at(3),
      null,
      null,
      null,
      null,
      at(3),
      null,
    );
    click.run("ladder", "control", "complet", "ladder:nobody", dayOf(3), at(3));
  })();
  db.$client.close();
}

/** ladder-en (judged on tier clicks): 500 visitors, 10 signups, 40 visitors clicking a tier. */
const LADDER_EN: Record<string, Arm> = {
  control: {
    visitors: 500,
    signups: 10,
    confirmed: 10,
    answered: ["A lamp for my desk", '=HYPERLINK("http://evil")', "Gifts"],
    interview: { count: 2, when: ["weekday evenings"] },
    reserved: 0,
    tiers: [
      ["starter", 25],
      ["plus", 15],
    ],
  },
};

let server: TestServer;
let cookie: string;
let databasePath: string;
beforeAll(async () => {
  databasePath = join(mkdtempSync(join(tmpdir(), "racine-funnel-")), "racine.db");
  server = await startServer({ CLOCK_START: NOW, DATABASE_PATH: databasePath }, craft);
  cookie = await adminCookie(server);
});
afterAll(() => server.stop());

const get = async (path: string) => {
  const res = await fetch(new URL(path, server.url), { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.text();
};
/** The funnel table of one variant ("all" for the idea), as figure name → text. */
function funnelOf(html: string, variant: string): Record<string, string> {
  const table = new RegExp(`<table[^>]*data-variant="${variant}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? "";
  return Object.fromEntries(
    [...table.matchAll(/data-figure="([^"]+)"[^>]*>([^<]*)</g)].map((m) => [m[1] ?? "", (m[2] ?? "").trim()]),
  );
}
const text = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

describe("/admin/c/ladder: the funnel", () => {
  test("the idea's ladder: each rung's count, tier clicks per tier (one person clicking two tiers counts once)", async () => {
    const all = funnelOf(await get("/admin/c/ladder"), "all");
    expect(all).toMatchObject({
      "funnel-visitors": "1,200",
      "funnel-signup": "90",
      "funnel-signup-rate": "7.5 %",
      "funnel-confirmed": "9",
      "funnel-answered": "30",
      "funnel-tier": "70",
      "funnel-interview": "12",
      "funnel-reservation": "4",
      "tier-essentiel": "37",
      "tier-complet": "20",
      "tier-atelier": "18",
    });
  });

  test("each variant has its own ladder and its own tiers (duo shows no Complet, and its Atelier at €35)", async () => {
    const html = await get("/admin/c/ladder");
    expect(funnelOf(html, "control")).toMatchObject({
      "funnel-visitors": "600",
      "funnel-signup": "60",
      "funnel-confirmed": "6",
      "funnel-tier": "50",
      "tier-essentiel": "25",
      "tier-complet": "20",
      "tier-atelier": "10",
    });
    const duo = funnelOf(html, "duo");
    expect(duo).toMatchObject({ "funnel-signup": "30", "funnel-confirmed": "3", "funnel-tier": "20" });
    expect(duo).toMatchObject({ "tier-essentiel": "12", "tier-atelier": "8" });
    expect(duo).not.toHaveProperty("tier-complet");
    const duoTable = /data-variant="duo"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(text(duoTable)).toContain("Atelier €35 / month");
    // Each rung's share of the step it follows, with the interval of its share of visitors.
    expect(text(duoTable)).toMatch(/Confirmed \(judged\) 3 0\.5 % \([\d.]+ %–[\d.]+ %\) 10\.0 % of signups/);
  });

  test("the answers to the question, most picked first", async () => {
    const html = await get("/admin/c/ladder");
    expect(html).toMatch(/data-figure="answer-debutant">18</);
    expect(html).toMatch(/data-figure="answer-confirme">3</);
    expect(text(html)).toContain("Answers: Quel est votre niveau aujourd’hui ?");
  });

  test("the interview list: newest first, a mailto link each, the preferred time as typed", async () => {
    const html = await get("/admin/c/ladder");
    const list = /<section[^>]*id="interviews"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    const links = [...list.matchAll(/<a href="(mailto:[^"]+)">([^<]+)<\/a>/g)];
    expect(links).toHaveLength(12);
    expect(links[0]?.[1]).toMatch(/^mailto:ladder\.control\.\d+@example\.org\?subject=/);
    expect(decodeURIComponent(links[0]?.[1]?.split("subject=")[1] ?? "")).toBe(
      `${fixture("ladder").title} : 15 minutes pour en parler ?`,
    );
    expect(text(list)).toContain("le soir après 19 h");
    expect(text(list)).toContain("mardi midi");
  });

  test("the share page shows the funnel and the answers, and no address, no interview list", async () => {
    const res = await post(server, "/admin/share-links", "concept=ladder", { cookie });
    expect(res.status).toBe(303);
    const url = /<input type="url" readonly value="([^"]+)"/.exec(await get("/admin/c/ladder"))?.[1] ?? "";
    const shared = await (await fetch(new URL(new URL(url).pathname, server.url))).text();
    expect(funnelOf(shared, "all")).toMatchObject({ "funnel-confirmed": "9", "tier-essentiel": "37" });
    expect(shared).toMatch(/data-figure="answer-debutant">18</);
    const body = shared.replace(/<style[\s\S]*?<\/style>/g, "");
    expect(body).not.toMatch(/@/);
    expect(body).not.toContain("mailto:");
    expect(body).not.toContain('id="interviews"');
  });
});

describe("a verdict on a rung", () => {
  test("ladder is judged on confirmed signups: 9 of 1,200 visitors, where its 90 signups would validate it", async () => {
    const html = await get("/admin/c/ladder");
    expect(text(html)).toContain("The verdicts are judged on confirmed signups.");
    expect(html).toMatch(/data-figure="test-conversions">9</);
    const idea = /Verdict for the idea[\s\S]*?<p class="reason">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "";
    expect(idea).not.toContain("verdict-validated");
    // The same thresholds on the signups would say the opposite.
    const criteria = fixture("ladder").successCriteria;
    const onSignups = conceptVerdict({
      criteria,
      counts: { visitors: 1200, signups: 90 },
      visitorsPerDay: 0,
      today: "2026-11-25",
    });
    const onConfirmed = conceptVerdict({
      criteria,
      counts: { visitors: 1200, signups: 9 },
      visitorsPerDay: 0,
      today: "2026-11-25",
    });
    expect(onSignups.status).toBe("validated");
    expect(onConfirmed.status).not.toBe("validated");
    expect(idea).toContain(`verdict-${onConfirmed.status.replace(" ", "-")}`);
    // The variants' comparison counts confirmed signups too.
    expect(html).toMatch(/<th scope="col">Confirmed<\/th>/);
  });

  test("ladder-en is judged on tier clicks: 40 visitors of 500 clicked a price, where its 10 signups are short of 20", async () => {
    const html = await get("/admin/c/ladder-en");
    expect(text(html)).toContain("judged on tier clicks");
    expect(html).toMatch(/data-figure="test-conversions">40</);
    const criteria = fixture("ladder-en").successCriteria;
    const status = (signups: number) =>
      conceptVerdict({ criteria, counts: { visitors: 500, signups }, visitorsPerDay: 0, today: "2026-11-25" }).status;
    expect(status(10)).not.toBe(status(40));
    const idea = /Verdict for the idea[\s\S]*?<p class="reason">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "";
    expect(idea).toContain(`verdict-${status(40).replace(" ", "-")}`);
    // A text question: the latest texts, on the admin page only.
    expect(text(html)).toContain("A lamp for my desk");
  });

  test("the overview says which rung each verdict judges, and shows each idea's ladder in one line", async () => {
    const html = await get("/admin");
    const card = /<article[^>]*id="concept-ladder"[\s\S]*?<\/article>/.exec(html)?.[0] ?? "";
    expect(text(card)).toContain("(judged on confirmed signups)");
    expect(text(card)).toContain(
      "1,200 visitors → 90 signups 7.5 % → 9 confirmed 10.0 % → 30 answered 33.3 % → 70 tier clicks 5.8 % → 12 interview 13.3 % → 4 reserved 4.4 %",
    );
    expect(text(card)).toMatch(/Confirmed: 9 of 20/);
    const english = /<article[^>]*id="concept-ladder-en"[\s\S]*?<\/article>/.exec(html)?.[0] ?? "";
    expect(text(english)).toContain(
      "500 visitors → 10 signups 2.0 % → 10 confirmed 100.0 % → 3 answered 30.0 % → 40 tier clicks 8.0 % → 2 interview 20.0 %",
    );
  });
});

describe("exports", () => {
  test("the CSV has the ladder's columns: tier, answer (labels), answered, interview with its time, reservation", async () => {
    const csv = await get("/admin/export.csv");
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(header).toContain('"tier","answer","answered_at","interview_opt_in_at","interview_when","reserved_at"');
    const first = lines.find((line) => line.includes('"ladder.control.0@example.org"')) ?? "";
    expect(first).toContain('"Je n’ai jamais essayé"');
    expect(first).toContain('"le soir après 19 h"');
    expect(first).toMatch(/"2026-11-10T10:04:00\.000Z"$/);
    // A text answer that looks like a formula is defused.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  test("the report gives the rung, the ladder per variant and the answers", async () => {
    const report = (await (
      await fetch(new URL("/admin/report.json", server.url), { headers: { cookie } })
    ).json()) as Report;
    const ladder = report.concepts.find((concept) => concept.slug === "ladder");
    expect(ladder).toMatchObject({ rung: "confirmed", judgedOn: "judged on confirmed signups" });
    expect(ladder?.wholeTest).toEqual({ visitors: 1200, signups: 9 });
    expect(ladder?.ladder.steps.map((s) => [s.step, s.count])).toEqual([
      ["visitors", 1200],
      ["signup", 90],
      ["confirmed", 9],
      ["answered", 30],
      ["tier", 70],
      ["interview", 12],
      ["reservation", 4],
    ]);
    expect(ladder?.ladder.variants.map((v) => [v.id, v.tiers.map((t) => `${t.id}:${t.count}`)])).toEqual([
      ["control", ["essentiel:25", "complet:20", "atelier:10"]],
      ["duo", ["essentiel:12", "atelier:8"]],
    ]);
    expect(ladder?.answers?.choices.map((c) => [c.id, c.count])).toEqual([
      ["debutant", 18],
      ["initie", 9],
      ["confirme", 3],
    ]);
    expect(JSON.stringify(report)).not.toMatch(/@/);
  });

  test("the digest names the judged rung and adds the top answers and the tier split", () => {
    const result = runScript("digest", ["--week", "2026-W47", "--dry-run"], {
      DATABASE_PATH: databasePath,
      DIGEST_TZ: "UTC",
    });
    expect(result.status).toBe(0);
    const title = fixture("ladder").title;
    const block = result.stdout.slice(result.stdout.indexOf(`${title}:`));
    expect(block).toContain("  the verdict is judged on confirmed signups\n");
    expect(block).toContain(
      'top answers so far to "Quel est votre niveau aujourd’hui ?": Je n’ai jamais essayé 60.0 % (18) · J’ai déjà essayé un peu 30.0 % (9) · Je pratique régulièrement 10.0 % (3)',
    );
    expect(block).toContain("tier split so far: Essentiel 49.3 % (37) · Complet 26.7 % (20) · Atelier 24.0 % (18)");
  });
});
