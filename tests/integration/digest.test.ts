import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { isoWeekRange } from "../../src/domain/calendar";
import { digestData } from "../../src/domain/digest";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { invalidateRollups, refreshRollups, rolledThrough } from "../../src/server/store/counts";
import { gatherDigest } from "../../src/server/store/digest";
import { startFakeResend } from "../support/fake-resend";
import { FIXTURE_BUILD, fixture, runScript, runScriptAsync, startServer } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
/** The seed and the digest read the test concepts. */
let file: string;
let resend: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), "racine-digest-")), "racine.db");
  const seeded = runScript("seed-demo", ["--days", "42", "--seed", "7", "--now", NOW], {
    DATABASE_PATH: file,
  });
  if (seeded.status !== 0) throw new Error(seeded.stderr);
  resend = await startFakeResend();
});
afterAll(() => resend.stop());

/** The figures straight from the database, for one concept and one week in Paris time. */
function expected(concept: string, week: string) {
  const { start, end } = isoWeekRange(week, "Europe/Paris");
  const db = new Sqlite(file, { readonly: true });
  const signups = db
    .prepare(
      // A signup counts with the visit it followed: those without a recorded visit are not conversions.
      "select count(*) as n, sum(confirmed_at is not null) as c from signups where concept = ? and created_at >= ? and created_at < ? and exposure <> 'none'",
    )
    .get(concept, start, end) as { n: number; c: number };
  const visitors = db
    // A return visit (the A/B cookie's later day) is not a visitor.
    .prepare(
      "select count(*) as n from views where concept = ? and created_at >= ? and created_at < ? and exposure <> 'return'",
    )
    .get(concept, start, end) as { n: number };
  db.close();
  return { signups: signups.n, confirmed: signups.c, visitors: visitors.n };
}

describe("npm run digest", () => {
  test("--dry-run prints the week's numbers (Paris weeks) and writes the HTML", () => {
    const result = runScript("digest", ["--week", "2026-W47", "--dry-run"], {
      DATABASE_PATH: file,
      DIGEST_TZ: "Europe/Paris",
    });
    expect(result.status).toBe(0);
    const split = expected("split", "2026-W47");
    const before = expected("split", "2026-W46");
    expect(split.signups).toBeGreaterThan(0);
    expect(result.stdout).toContain(
      `${fixture("split").title}: ${split.signups} signups (${split.signups >= before.signups ? "+" : "−"}`,
    );
    expect(result.stdout).toContain(`${split.confirmed} confirmed, ${split.visitors} visitors`);
    const html = readFileSync(join(file, "..", "digest-2026-W47.html"), "utf8");
    expect(html).toContain("Week 2026-W47 (Europe/Paris)");
    // Each variant's verdict against the control, over the whole test, as on the admin page.
    expect(result.stdout).toMatch(/ {2}cheaper vs control: (validated|not validated|keep testing|equivalent) — \S/);
    expect(result.stdout).toMatch(/ {2}new-headline vs control: /);
    expect(result.stdout).not.toMatch(/ {2}control vs control/);
  });

  test("a week across the end of summer time (2026-W43, 169 h in Paris) counts by Paris boundaries", () => {
    const dst = join(mkdtempSync(join(tmpdir(), "racine-dst-")), "racine.db");
    const seeded = runScript("seed-demo", ["--days", "42", "--seed", "5", "--now", "2026-11-05T12:00:00Z"], {
      DATABASE_PATH: dst,
    });
    // A failed seed would make this test compare 0 with 0.
    expect(seeded.status, seeded.stderr).toBe(0);
    const previous = file;
    file = dst;
    try {
      const range = isoWeekRange("2026-W43", "Europe/Paris");
      expect(range.end - range.start).toBe(169 * 3_600_000);
      const result = runScript("digest", ["--week", "2026-W43", "--dry-run"], {
        DATABASE_PATH: dst,
        DIGEST_TZ: "Europe/Paris",
      });
      for (const slug of ["split", "english"]) {
        const figures = expected(slug, "2026-W43");
        expect(result.stdout).toContain(`${fixture(slug).title}: ${figures.signups} signups`);
        expect(result.stdout).toContain(`${figures.confirmed} confirmed, ${figures.visitors} visitors`);
      }
    } finally {
      file = previous;
    }
  });

  test("sends once per week through Resend; --force sends again", async () => {
    const env = {
      DATABASE_PATH: file,
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: resend.url,
      DIGEST_TO: "founder@exemple.fr, cofounder@exemple.fr",
      DIGEST_FROM: "racine <digest@exemple.fr>",
    };
    const first = await runScriptAsync("digest", ["--week", "2026-W46"], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("Digest of 2026-W46 sent to founder@exemple.fr, cofounder@exemple.fr (resend)");
    const again = await runScriptAsync("digest", ["--week", "2026-W46"], env);
    expect(again.stdout).toContain("was sent already");
    expect(resend.received).toHaveLength(1);
    const [email] = resend.received;
    expect(email?.body.to).toEqual(["founder@exemple.fr", "cofounder@exemple.fr"]);
    expect(email?.body.subject).toMatch(/^racine 2026-W46: \d+ new signups/);
    expect(email?.headers["idempotency-key"]).toBe("digest/2026-W46");
    expect((await runScriptAsync("digest", ["--week", "2026-W46", "--force"], env)).status).toBe(0);
    expect(resend.received).toHaveLength(2);
  });

  test("without DIGEST_TO it says what to set", () => {
    const result = runScript("digest", ["--week", "2026-W45"], { DATABASE_PATH: file });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Set DIGEST_TO");
  });

  test("a bad week is named", () => {
    const result = runScript("digest", ["--week", "2026-47"], { DATABASE_PATH: file });
    expect(result.stderr).toContain("--week: use an ISO week such as 2026-W47");
  });
});

describe("the digest's totals and the rollups", () => {
  const concepts = loadConceptFiles(FIXTURE_BUILD.conceptsDir);
  /** A copy of the seeded database, so that rolling it up changes no other test's. */
  const copy = () => {
    const path = join(mkdtempSync(join(tmpdir(), "racine-digest-rollups-")), "racine.db");
    copyFileSync(file, path);
    return openDatabase(path);
  };
  const totals = (db: ReturnType<typeof openDatabase>, zone: string) =>
    digestData(concepts, gatherDigest(db, concepts, "2026-W47", zone)).concepts.map((c) => [c.slug, c.total]);

  test.each(["Europe/Paris", "America/New_York"])(
    "in %s they are the raw tables' counts, with no rollups, rollups ending inside the week, or past it",
    (zone) => {
      const db = copy();
      const { end } = isoWeekRange("2026-W47", zone);
      const raw = (sql: string) =>
        new Map(
          (db.$client.prepare(sql).all(end) as { concept: string; n: number }[]).map((row) => [row.concept, row.n]),
        );
      // A return visit (A/B cookie) is not a visitor.
      const visitors = raw(
        "select concept, count(*) as n from views where created_at < ? and exposure <> 'return' group by concept",
      );
      // A signup counts with the visit it followed: those without one are not conversions.
      const signups = raw(
        "select concept, count(*) as n from signups where created_at < ? and exposure <> 'none' group by concept",
      );
      const confirmed = raw(
        "select concept, count(*) as n from signups where created_at < ? and confirmed_at is not null group by concept",
      );
      const expected = concepts
        .filter((concept) => concept.status !== "draft")
        .map(
          (concept) =>
            [
              concept.slug,
              {
                visitors: visitors.get(concept.slug) ?? 0,
                signups: signups.get(concept.slug) ?? 0,
                confirmed: confirmed.get(concept.slug) ?? 0,
              },
            ] as const,
        );
      expect(expected.some(([, total]) => total.visitors > 0)).toBe(true);

      invalidateRollups(db);
      expect(totals(db, zone)).toEqual(expected);
      // 2026-W47 runs from Monday 16 to Sunday 22 November.
      refreshRollups(db, "2026-11-20");
      expect(rolledThrough(db)).toBe("2026-11-18");
      expect(totals(db, zone)).toEqual(expected);
      refreshRollups(db, "2026-11-25");
      expect(rolledThrough(db)).toBe("2026-11-23");
      expect(totals(db, zone)).toEqual(expected);
      db.$client.close();
    },
  );

  test("settled days are read from the rollups, not from a scan of the raw views", () => {
    const db = copy();
    refreshRollups(db, "2026-11-25");
    const before = totals(db, "Europe/Paris");
    // Raw views of a rolled-up day removed behind the rollups' back: the totals do not move.
    db.$client.prepare("delete from views where day = '2026-11-01'").run();
    expect(totals(db, "Europe/Paris")).toEqual(before);
    db.$client.close();
  });
});

describe("the scheduled digest", () => {
  test("the server queues it by itself once its slot has passed, and a restart does not send it again", async () => {
    const fake = await startFakeResend();
    const env = {
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), "racine-schedule-")), "racine.db"),
      RESEND_API_KEY: "re_test_key",
      RESEND_BASE_URL: fake.url,
      DIGEST_TO: "founder@exemple.fr",
      // Monday 00:00 is the first instant of every week, so the last week's digest is due now.
      DIGEST_SCHEDULE: "MON 00:00",
      DIGEST_TZ: "Europe/Paris",
    };
    const first = await startServer(env);
    try {
      await expect.poll(() => fake.received.length, { timeout: 10_000 }).toBe(1);
      expect(fake.received[0]?.headers["idempotency-key"]).toMatch(/^digest\/\d{4}-W\d{2}$/);
      await first.stop();
      // The schedule is checked before the server says it is listening: by then it has decided.
      const second = await startServer(env);
      try {
        expect(second.output()).toContain("digest:   every MON 00:00 (Europe/Paris)");
        expect(second.query("select count(*) as n from outbox where kind = 'digest'")).toEqual([{ n: 1 }]);
        expect(fake.received).toHaveLength(1);
      } finally {
        await second.stop();
      }
    } finally {
      await fake.stop();
    }
  });
});
