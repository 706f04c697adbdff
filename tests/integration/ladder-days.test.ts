/**
 * The ladder's signups and rungs, the verdicts' numerators on a signup rung and the
 * confirmed signups of the double opt-in's progress come from ladder_days, which the
 * database keeps on every write to signups (migration 0015's triggers, and its fill of
 * older rows). On crafted signups (throwaway, without a recorded visit, climbing rungs days
 * later through the app's own writers, moved to another variant, concept, day or exposure,
 * erased) they equal the plain rule's: every signup read from the raw rows.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { addDays, dayStartMs } from "../../src/domain/calendar";
import type { DayWindow, ExposureCounts } from "../../src/domain/experiment-report";
import { confirmSignup } from "../../src/server/store/confirmations";
import { confirmedByConcept, countRungNumerator, countVariantsInWindows } from "../../src/server/store/counts";
import { forgetEmail } from "../../src/server/store/data-rights";
import { countLadderByConcept, countLadderByVariant } from "../../src/server/store/funnel";
import { answerSignup, recordInterview, recordReservation } from "../../src/server/store/ladder";
import { migrationsBefore } from "../support/migrations";

const DAYS = ["2026-11-19", "2026-11-20", "2026-11-21"] as const;
const WINDOWS: DayWindow[] = [
  ...DAYS.map((day) => ({ from: day, to: day })),
  { from: DAYS[0], to: DAYS[2] },
  { from: DAYS[1], to: DAYS[2] },
];
const RUNGS = ["signups", "confirmed", "answered", "interview", "reservation"] as const;
type Db = ReturnType<typeof openDatabase>;

function freshDatabase(migrationsFolder?: string): Db {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), "racine-ladder-days-")), "db.sqlite"));
  migrateDatabase(db, migrationsFolder);
  return db;
}

/** A signup as the raw table holds it (the ingestion's own columns are not what is tested here). */
function signup(
  db: Db,
  email: string,
  {
    concept = "c",
    variant = "control",
    day = DAYS[1] as string,
    exposure = "first",
    throwaway = false,
  }: { concept?: string; variant?: string; day?: string; exposure?: string; throwaway?: boolean } = {},
): number {
  const at = dayStartMs(day) + 10 * 3_600_000;
  return Number(
    db.$client
      .prepare(
        `insert into signups (concept, variant, email, email_key, lang, created_at, exposure, throwaway)
         values (?, ?, ?, ?, 'en', ?, ?, ?)`,
      )
      .run(concept, variant, email, email, at, exposure, throwaway ? 1 : 0).lastInsertRowid,
  );
}

/** Signups of every kind, then rungs climbed days later, and signups moved or erased after. */
function craft(db: Db, write = signup) {
  const ids = {
    plain: write(db, "plain@example.com"),
    duo: write(db, "duo@example.com", { variant: "duo" }),
    early: write(db, "early@example.com", { day: DAYS[0] }),
    throwaway: write(db, "gone@mailinator.com", { throwaway: true }),
    unseen: write(db, "unseen@example.com", { exposure: "none" }),
    hidden: write(db, "hidden@example.com", { exposure: "none" }),
    other: write(db, "other@example.com", { concept: "d" }),
    moved: write(db, "moved@example.com"),
    erased: write(db, "erased@example.com"),
  };
  return ids;
}

function climb(db: Db, ids: ReturnType<typeof craft>) {
  const later = new Date(`${DAYS[2]}T08:00:00Z`);
  for (const id of [ids.plain, ids.duo, ids.early, ids.throwaway, ids.unseen, ids.hidden, ids.moved, ids.erased]) {
    confirmSignup(db, id, later, []);
  }
  answerSignup(db, ids.plain, ["a"], later);
  answerSignup(db, ids.plain, ["b"], later);
  answerSignup(db, ids.unseen, ["a"], later);
  recordInterview(db, ids.duo, "mornings", later);
  recordInterview(db, ids.duo, "evenings", later);
  recordReservation(db, ids.early, later);
  recordReservation(db, ids.moved, later);
  recordReservation(db, ids.throwaway, later);
  // Moved after its rungs: to another variant and day, then out (no recorded visit) and back in.
  db.$client
    .prepare("update signups set variant = 'duo', created_at = ? where id = ?")
    .run(dayStartMs(DAYS[2]) + 60_000, ids.moved);
  db.$client.prepare("update signups set exposure = 'none' where id = ?").run(ids.plain);
  db.$client.prepare("update signups set exposure = 'return' where id = ?").run(ids.plain);
  db.$client.prepare("update signups set exposure = 'first' where id = ?").run(ids.unseen);
  db.$client.prepare("update signups set throwaway = 1 where id = ?").run(ids.duo);
  db.$client.prepare("update signups set concept = 'd' where id = ?").run(ids.early);
  forgetEmail(db, "erased@example.com");
  forgetEmail(db, "gone@mailinator.com");
}

/** The plain rule: every signup of the window with a recorded visit and a real-looking address, from the raw rows. */
function plainRule(db: Db, by: "concept" | "variant", window: DayWindow, concept?: string) {
  const rows = db.$client
    .prepare(
      `select ${by} as key, count(*) as signups, count(confirmed_at) as confirmed, count(answered_at) as answered,
              count(interview_at) as interview, count(reserved_at) as reservation
         from signups where (? is null or concept = ?) and created_at >= ? and created_at < ?
              and exposure <> 'none' and not throwaway
        group by ${by} order by key`,
    )
    .all(concept ?? null, concept ?? null, dayStartMs(window.from), dayStartMs(addDays(window.to, 1))) as ({
    key: string;
  } & Rungs)[];
  return rows;
}

type Rungs = Record<(typeof RUNGS)[number], number>;

function ladders(counts: Map<string, Rungs>): ({ key: string } & Rungs)[] {
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, c]) => ({ key, ...(Object.fromEntries(RUNGS.map((rung) => [rung, c[rung]])) as Rungs) }));
}

/** The plain rule of the double opt-in's progress: the confirmed signups made before `before`, from the raw rows. */
function plainConfirmed(db: Db, before: number) {
  const rows = db.$client
    .prepare(
      `select concept, count(*) as n from signups
        where confirmed_at is not null and created_at < ? and not throwaway group by concept`,
    )
    .all(before) as { concept: string; n: number }[];
  return new Map(rows.map((row) => [row.concept, row.n]));
}

const RUNG_COLUMNS = {
  confirmed: "confirmed_at",
  answered: "answered_at",
  interview: "interview_at",
  reservation: "reserved_at",
} as const;

/** The plain rule of a rung's numerator: the signups of the window that climbed it, from the raw rows, by variant. */
function plainRung(db: Db, rung: keyof typeof RUNG_COLUMNS, window: DayWindow, concept?: string) {
  const rows = db.$client
    .prepare(
      `select variant, sum(exposure <> 'none') as n, sum(exposure = 'none') as none from signups
        where (? is null or concept = ?) and created_at >= ? and created_at < ? and ${RUNG_COLUMNS[rung]} is not null
              and not throwaway
        group by variant`,
    )
    .all(concept ?? null, concept ?? null, dayStartMs(window.from), dayStartMs(addDays(window.to, 1))) as {
    variant: string;
    n: number;
    none: number;
  }[];
  return new Map(rows.map((row) => [row.variant, row]));
}

/** A verdict's numerator on each signup rung, all traffic: the concept's total and its variants' in every window. */
function expectPlainRungs(db: Db) {
  for (const rung of Object.keys(RUNG_COLUMNS) as (keyof typeof RUNG_COLUMNS)[]) {
    const counts = countVariantsInWindows(db, "c", WINDOWS, undefined, rung);
    const signupCounts = countVariantsInWindows(db, "c", WINDOWS);
    for (const window of WINDOWS) {
      for (const concept of ["c", undefined]) {
        const plain = [...plainRung(db, rung, window, concept).values()].reduce((sum, row) => sum + row.n, 0);
        expect(countRungNumerator(db, { concept, window, rung })).toBe(plain);
      }
      const plain = plainRung(db, rung, window, "c");
      const byVariant = counts.get(`${window.from}..${window.to}`);
      expect([...(byVariant?.keys() ?? [])]).toEqual([
        ...(signupCounts.get(`${window.from}..${window.to}`)?.keys() ?? []),
      ]);
      for (const [variant, counts] of byVariant ?? []) {
        const { signups, unexposed } = counts as ExposureCounts;
        expect([variant, signups, unexposed]).toEqual([
          variant,
          plain.get(variant)?.n ?? 0,
          plain.get(variant)?.none ?? 0,
        ]);
      }
    }
  }
}

function expectPlainRule(db: Db) {
  expectPlainRungs(db);
  const instants = [
    undefined,
    dayStartMs(DAYS[1]),
    dayStartMs(DAYS[1]) + 10 * 3_600_000,
    dayStartMs(DAYS[1]) + 10 * 3_600_000 + 1,
    dayStartMs(DAYS[2]) + 1,
  ];
  for (const before of instants) {
    const plain = plainConfirmed(db, before ?? Number.MAX_SAFE_INTEGER);
    const counted = confirmedByConcept(db, before === undefined ? {} : { before });
    expect([...counted].map(([concept, { confirmed }]) => [concept, confirmed])).toEqual(
      [...counted.keys()].map((concept) => [concept, plain.get(concept) ?? 0]),
    );
  }
  for (const window of WINDOWS) {
    // Per variant, the visitors' count lists a variant whose signups are all throwaway or unexposed: no rung.
    const byVariant = ladders(countLadderByVariant(db, "c", window)).filter((row) => row.signups > 0);
    expect(byVariant).toEqual(plainRule(db, "variant", window, "c"));
    expect(ladders(countLadderByConcept(db, window))).toEqual(plainRule(db, "concept", window));
  }
}

describe("the ladder's daily counts", () => {
  test("equal the plain rule through signups, rungs climbed later, moves and erasure", () => {
    const db = freshDatabase();
    const ids = craft(db);
    expectPlainRule(db);
    climb(db, ids);
    expectPlainRule(db);
    // What the crafted rows come to, so that the rule above is not trivially empty.
    expect([...confirmedByConcept(db)].map(([concept, { confirmed }]) => [concept, confirmed])).toEqual([
      ["c", 4],
      ["d", 1],
    ]);
    expect(ladders(countLadderByVariant(db, "c", WINDOWS[3] as DayWindow))).toEqual([
      { key: "control", signups: 2, confirmed: 2, answered: 2, interview: 0, reservation: 0 },
      { key: "duo", signups: 1, confirmed: 1, answered: 0, interview: 0, reservation: 1 },
    ]);
  });

  test("are filled by the migration for the signups stored before it", () => {
    const db = freshDatabase(migrationsBefore((tag) => tag.endsWith("_ladder_days")));
    const ids = craft(db);
    climb(db, ids);
    migrateDatabase(db);
    expectPlainRule(db);
    expect(ladders(countLadderByConcept(db, WINDOWS[3] as DayWindow)).map((row) => row.signups)).toEqual([3, 2]);
  });
});
