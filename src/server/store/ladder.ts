/**
 * The intent ladder's counts (src/domain/ladder.ts): per variant of a concept, or per
 * concept, in a window of whole UTC days, the signups and each rung they climbed since,
 * the visitors who clicked a tier and the clicks per tier; the answers to the question;
 * and the interview opt-ins, for the founder's eyes only. Rungs are counted on the day of
 * their signup (a confirmation days later belongs to it), from the raw signups (the
 * rollups hold no rungs); visitors come from countsGroupedBy, rollups for settled days.
 * A signup without a recorded visit (exposure `none`) is out of every rung, as it is out
 * of every rate.
 */
import type { Database } from "../../../db/client";
import { addDays, dayStartMs } from "../../domain/calendar";
import type { DayWindow } from "../../domain/experiment-report";
import { type AnswerCounts, type InterviewOptIn, type LadderCounts, NO_LADDER } from "../../domain/ladder";
import { countsGroupedBy, TIER_CLICKERS_SQL } from "./counts";

type Key = "concept" | "variant";

interface RungRow {
  key: string;
  signups: number;
  confirmed: number;
  answered: number;
  interview: number;
  reservation: number;
}

/** Per concept or per variant of one concept: each rung's counts. */
function countLadders(
  db: Database,
  by: Key,
  window: DayWindow,
  { concept, visitors = true }: { concept?: string; visitors?: boolean },
): Map<string, LadderCounts> {
  const ladders = new Map<string, LadderCounts & { tiers: Record<string, number> }>();
  const of = (key: string) => {
    const entry = ladders.get(key) ?? { ...NO_LADDER, tiers: {} };
    ladders.set(key, entry);
    return entry;
  };
  if (visitors) {
    for (const row of countsGroupedBy(db, { window, ...(concept ? { concept } : {}) }, [by])) {
      of(row[by]).visitors = row.visitors;
    }
  }
  const filter = concept === undefined ? "" : " and concept = ?";
  const params = [dayStartMs(window.from), dayStartMs(addDays(window.to, 1)), ...(concept ? [concept] : [])];
  const rungs = db.$client
    .prepare(
      `select ${by} as key, count(*) as signups, coalesce(sum(confirmed_at is not null), 0) as confirmed,
              coalesce(sum(answered_at is not null), 0) as answered, coalesce(sum(interview_at is not null), 0) as interview,
              coalesce(sum(reserved_at is not null), 0) as reservation
         from signups where created_at >= ? and created_at < ? and exposure <> 'none'${filter} group by ${by}`,
    )
    .all(...params) as RungRow[];
  for (const { key, ...counts } of rungs) Object.assign(of(key), counts);
  const tierParams = [window.from, window.to, ...(concept ? [concept] : [])];
  const tierFilter = concept === undefined ? "" : " and t.concept = ?";
  const clickers = db.$client
    .prepare(
      `select ${by} as key, count(*) as clickers from (${TIER_CLICKERS_SQL}${tierFilter}
         group by t.visitor_hash, t.concept, t.variant, t.served) where exposure <> 'none' group by ${by}`,
    )
    .all(...tierParams) as { key: string; clickers: number }[];
  for (const row of clickers) of(row.key).tier = row.clickers;
  const perTier = db.$client
    .prepare(
      `select t.${by} as key, t.tier as tier, count(*) as clicks from tier_clicks t
        where t.day between ? and ?${tierFilter}
          and exists (select 1 from views v where v.visitor_hash = t.visitor_hash and v.variant = t.variant and v.served = t.served)
        group by t.${by}, t.tier`,
    )
    .all(...tierParams) as { key: string; tier: string; clicks: number }[];
  for (const { key, tier, clicks } of perTier) of(key).tiers[tier] = clicks;
  return ladders;
}

/** Per variant of `concept`, its ladder in `window`. */
export function countLadderByVariant(db: Database, concept: string, window: DayWindow): Map<string, LadderCounts> {
  return countLadders(db, "variant", window, { concept });
}

/** Per concept, its ladder in `window` (the overview's line), without the visitors: the overview has counted them. */
export function countLadderByConcept(db: Database, window: DayWindow): Map<string, LadderCounts> {
  return countLadders(db, "concept", window, { visitors: false });
}

/**
 * The answers of `concept`'s signups in `window`: per option id, the signups that picked it
 * (a multiple choice counts in each option picked); the latest `texts` short texts.
 */
export function countAnswers(db: Database, concept: string, window: DayWindow, texts = 20): AnswerCounts {
  const params = [concept, dayStartMs(window.from), dayStartMs(addDays(window.to, 1))];
  const where = "concept = ? and created_at >= ? and created_at < ? and exposure <> 'none' and answer is not null";
  const choices = db.$client
    .prepare(
      `select j.value as id, count(*) as n from signups, json_each(signups.answer) j
        where ${where} and json_type(signups.answer) = 'array' group by j.value`,
    )
    .all(...params) as { id: string; n: number }[];
  const { answered } = db.$client.prepare(`select count(*) as answered from signups where ${where}`).get(...params) as {
    answered: number;
  };
  const latest = db.$client
    .prepare(
      `select json_extract(answer, '$') as text from signups where ${where} and json_type(answer) = 'text'
        order by answered_at desc, id desc limit ?`,
    )
    .all(...params, texts) as { text: string }[];
  return {
    choices: Object.fromEntries(choices.map((row) => [row.id, row.n])),
    answered,
    texts: latest.map((row) => row.text),
  };
}

/** Everyone who said yes to an interview, newest first: the founder's list to write to (admin only). */
export function interviewOptIns(db: Database, concept: string, limit = 200): InterviewOptIn[] {
  const rows = db.$client
    .prepare(
      `select email, name, variant, interview_when as "when", answer, tier, interview_at as optedInAt from signups
        where concept = ? and interview_at is not null and unsubscribed_at is null
        order by interview_at desc, id desc limit ?`,
    )
    .all(concept, limit) as (Omit<InterviewOptIn, "optedInAt" | "answer"> & {
    optedInAt: number;
    answer: string | null;
  })[];
  return rows.map((row) => ({
    ...row,
    answer: row.answer === null ? null : (JSON.parse(row.answer) as string[] | string),
    optedInAt: new Date(row.optedInAt),
  }));
}
