/** A database the size of a successful test, for the analytics benchmark. */
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { seededRandom } from "../../src/domain/random";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { progressBar } from "../lib/progress";

const CONFIRMED_SHARE = 0.7;

/**
 * Views spread over the last 90 days, signups among them, for every published concept and
 * variant, with the intent ladder filled in (fillLadder): what the admin pages read.
 */
export function generateLargeDatabase(file: string, viewCount: number, signupCount: number): void {
  const db = openDatabase(file);
  migrateDatabase(db);
  const concepts = loadConceptFiles().filter((concept) => concept.status !== "draft");
  const random = seededRandom(42);
  const now = Date.now();
  const insertView = db.$client.prepare(
    "insert into views (concept, variant, visitor_hash, day, created_at, utm_source, referrer_host) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertSignup = db.$client.prepare(
    "insert into signups (concept, variant, email, email_key, lang, visitor_hash, created_at, utm_source, confirmed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const sources = ["instagram", "newsletter", "facebook", null, null];
  const bar = progressBar("Generating 1M-view database", viewCount);
  const batch = 50_000;
  const signupShare = signupCount / viewCount;
  const spanMs = 90 * 86_400_000;
  for (let start = 0; start < viewCount; start += batch) {
    db.$client.transaction(() => {
      for (let i = start; i < Math.min(viewCount, start + batch); i++) {
        const concept = concepts[Math.floor(random() * concepts.length)];
        if (!concept) continue;
        const variant = concept.variants[Math.floor(random() * concept.variants.length)]?.id ?? "control";
        // Rows arrive in time order, as they do on a real server.
        const at = now - spanMs + Math.floor((i / viewCount) * spanMs);
        const hash = `gen:${i.toString(36)}`;
        const source = sources[Math.floor(random() * sources.length)] ?? null;
        insertView.run(concept.slug, variant, hash, new Date(at).toISOString().slice(0, 10), at, source, null);
        if (random() < signupShare) {
          const email = `gen${i}@bench.invalid`;
          // Most people confirm their address, within the hour.
          const confirmedAt = random() < CONFIRMED_SHARE ? at + 3_600_000 : null;
          insertSignup.run(concept.slug, variant, email, email, concept.lang, hash, at + 60_000, source, confirmedAt);
        }
      }
    })();
    bar.update(Math.min(viewCount, start + batch), `${Math.min(viewCount, start + batch).toLocaleString("en")} views`);
  }
  bar.done();
  fillLadder(db, concepts);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
}

/**
 * The rungs after the signup (70 % confirmed within the hour, as generated; 60 % answered,
 * 10 % an interview, 5 % reserved) and fake-door tier clicks for 8 % of the views of
 * concepts with tiers, each the click of a recorded view. Picked by a hash of the row id,
 * so that every database generated is the same.
 */
function fillLadder(db: ReturnType<typeof openDatabase>, concepts: readonly { slug: string; tiers?: unknown }[]): void {
  const pick = (modulo: number) => `(id * 2654435761) % ${modulo}`;
  const withTiers = concepts.filter((concept) => concept.tiers).map((concept) => concept.slug);
  db.$client.transaction(() => {
    db.$client.exec(`update signups set
        answer = case when ${pick(10)} < 6 then json_array('a') end,
        answered_at = case when ${pick(10)} < 6 then created_at + 60000 end,
        interview_at = case when ${pick(97)} < 10 then created_at + 120000 end,
        reserved_at = case when ${pick(89)} < 5 then created_at + 180000 end`);
    db.$client
      .prepare(
        `insert into tier_clicks (concept, variant, tier, visitor_hash, day, served, created_at)
         select concept, variant, 't' || (${pick(2)}), visitor_hash, day, served, created_at + 30000
           from views where concept in (select value from json_each(?)) and ${pick(100)} < 8`,
      )
      .run(JSON.stringify(withTiers));
  })();
}
