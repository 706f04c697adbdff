/**
 * The intent ladder's counts (src/domain/ladder.ts): per variant of a concept, or per
 * concept, in a window of whole UTC days, the signups and each rung they climbed since,
 * the visitors who clicked a tier and the clicks per tier; the answers to the question;
 * and the interview opt-ins, for the founder's eyes only. Rungs are counted on the day of
 * their signup (a confirmation days later belongs to it), from the ladder's daily counts
 * (ladder_days: the rollups hold no rungs); visitors come from countsGroupedBy, rollups for
 * settled days.
 * A signup without a recorded visit (exposure `none`) is out of every rung, as it is out
 * of every rate.
 */
import type { Database } from "../../../db/client";
import { addDays, dayStartMs } from "../../domain/calendar";
import type { Concept } from "../../domain/concept";
import type { DayWindow } from "../../domain/experiment-report";
import { type AnswerCounts, type InterviewOptIn, type LadderCounts, NO_LADDER } from "../../domain/ladder";
import { COUNTED_TIER_CLICK_SQL, confirmedByConcept, countsGroupedBy } from "./counts";

type Key = "concept" | "variant";

/**
 * Per concept (of `concepts`, or all) or per variant of one concept: each rung's counts in
 * `window`, the visitors unless the caller has them, the tier clicks per tier unless not
 * needed. The clicks are read from the index that holds every column counted
 * (tier_clicks_counts_idx), never from the wider rows.
 */
function countLadders(
  db: Database,
  by: Key,
  window: DayWindow,
  {
    concept,
    concepts = concept === undefined ? undefined : [concept],
    visitors = true,
    tiers = true,
  }: { concept?: string; concepts?: readonly string[]; visitors?: boolean; tiers?: boolean },
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
  // The signups and their rungs from the ladder's daily counts (ladder_days, kept by the
  // database on every write to signups), a few rows a day rather than every signup: those
  // that followed a recorded visit (throwaway addresses are not in it), as every rung. A key
  // whose signups all left (erased, or moved) keeps a row of zeros: not a group.
  const inConcepts = concepts && `concept in (${concepts.map(() => "?").join(", ")}) and`;
  const rows = db.$client
    .prepare(
      `select ${by} as key, sum(signups) as signups, sum(confirmed) as confirmed, sum(answered) as answered,
              sum(interview) as interview, sum(reservation) as reservation
         from ladder_days where ${inConcepts ?? ""} day between ? and ? and exposed
        group by ${by} having sum(signups) > 0`,
    )
    .all(...(concepts ?? []), window.from, window.to) as ({
    key: string;
  } & Omit<LadderCounts, "visitors" | "tier">)[];
  for (const { key, ...counts } of rows) Object.assign(of(key), counts);
  // Per visitor, one concept at a time: a hash belongs to one concept and day, so (hash,
  // variant, way served) is one visitor, and the index yields each one's clicks together
  // (no sort, where all the concepts at once needed one; by concept, no sort of the
  // visitors either: they are all of the one concept asked).
  const clickVisitors = db.$client.prepare(
    `select ${by === "concept" ? "? as key" : "key"}, count(*) as n from (
       select t.${by} as key from tier_clicks t where t.concept = ? and ${COUNTED_TIER_CLICK_SQL} and t.day between ? and ?
        group by t.visitor_hash, t.variant, t.served)
      ${by === "concept" ? "having n > 0" : "group by key"}`,
  );
  const clickConcepts =
    concepts ?? (db.$client.prepare("select distinct concept from tier_clicks").pluck().all() as string[]);
  for (const slug of clickConcepts) {
    const params = [...(by === "concept" ? [slug] : []), slug, window.from, window.to];
    for (const { key, n } of clickVisitors.all(...params) as { key: string; n: number }[]) of(key).tier = n;
  }
  if (tiers) {
    const perTier = db.$client
      .prepare(
        `select t.${by} as key, t.tier as tier, count(*) as n from tier_clicks t
          where ${inConcepts ? `t.${inConcepts} ` : ""}${COUNTED_TIER_CLICK_SQL} and t.day between ? and ?
          group by key, tier`,
      )
      .all(...(concepts ?? []), window.from, window.to) as { key: string; tier: string; n: number }[];
    for (const { key, tier, n } of perTier) of(key).tiers[tier] = n;
  }
  return ladders;
}

/** Per variant of `concept`, its ladder in `window`; with `visitors` (per variant, of that window), they are not counted again. */
export function countLadderByVariant(
  db: Database,
  concept: string,
  window: DayWindow,
  visitors?: ReadonlyMap<string, { visitors: number }>,
): Map<string, LadderCounts> {
  const ladders = countLadders(db, "variant", window, { concept, visitors: visitors === undefined });
  for (const [variant, counts] of visitors ?? []) {
    const ladder = ladders.get(variant) ?? { ...NO_LADDER, tiers: {} };
    ladders.set(variant, { ...ladder, visitors: counts.visitors });
  }
  return ladders;
}

/** Per concept, its ladder in `window` with the clicks per tier (the digest's tier split). */
export function countLadderByConcept(db: Database, window: DayWindow): Map<string, LadderCounts> {
  return countLadders(db, "concept", window, { visitors: false });
}

/**
 * The overview's ladders: per concept of `concepts` (those it shows), each rung in `window`
 * without the visitors (the overview has counted them) or the tiers; and the double
 * opt-in's progress all time (confirmedByConcept).
 */
export function countOverviewLadders(db: Database, concepts: readonly string[], window: DayWindow) {
  return {
    ladders: countLadders(db, "concept", window, { concepts, visitors: false, tiers: false }),
    confirmations: confirmedByConcept(db),
  };
}

/**
 * The answers of `concept`'s signups in `window` (signups without a recorded visit left
 * out): for a choice, per option id the signups that picked it (a multiple choice counts
 * in each option picked); for a text, the latest `texts`. `answered` is the ladder's
 * count (countLadderByVariant): one query here, for the question's kind.
 */
export function countAnswers(
  db: Database,
  concept: Pick<Concept, "slug" | "question">,
  window: DayWindow,
  answered: number,
  texts = 20,
): AnswerCounts {
  const question = concept.question;
  if (!question) return { choices: {}, answered: 0, texts: [] };
  const params = [concept.slug, dayStartMs(window.from), dayStartMs(addDays(window.to, 1))];
  const where =
    "concept = ? and created_at >= ? and created_at < ? and exposure <> 'none' and not throwaway and answer is not null";
  if (question.kind === "text") {
    const latest = db.$client
      .prepare(
        `select json_extract(answer, '$') as text from signups where ${where} and json_type(answer) = 'text'
          order by answered_at desc, id desc limit ?`,
      )
      .all(...params, texts) as { text: string }[];
    return { choices: {}, answered, texts: latest.map((row) => row.text) };
  }
  const choices = db.$client
    .prepare(
      `select j.value as id, count(*) as n from signups, json_each(signups.answer) j
        where ${where} and json_type(signups.answer) = 'array' group by j.value`,
    )
    .all(...params) as { id: string; n: number }[];
  return { choices: Object.fromEntries(choices.map((row) => [row.id, row.n])), answered, texts: [] };
}

/**
 * Who said yes to an interview (unsubscribed addresses left out), newest first: the
 * latest `limit` and how many in all. The founder's list to write to (admin only). Both
 * from the index of these opt-ins (signups_interview_idx): the count reads no row, the
 * list only the rows it shows.
 */
export function interviewOptIns(
  db: Database,
  concept: string,
  limit = 50,
): { total: number; latest: InterviewOptIn[] } {
  const where = "concept = ? and interview_at is not null and unsubscribed_at is null";
  const total = db.$client.prepare(`select count(*) from signups where ${where}`).pluck().get(concept) as number;
  const rows = db.$client
    .prepare(
      `select email, name, variant, interview_when as "when", answer, tier, interview_at as optedInAt
         from signups where ${where} order by interview_at desc, id desc limit ?`,
    )
    .all(concept, limit) as (Omit<InterviewOptIn, "optedInAt" | "answer"> & {
    optedInAt: number;
    answer: string | null;
  })[];
  return {
    total,
    latest: rows.map((row) => ({
      ...row,
      answer: row.answer === null ? null : (JSON.parse(row.answer) as string[] | string),
      optedInAt: new Date(row.optedInAt),
    })),
  };
}
