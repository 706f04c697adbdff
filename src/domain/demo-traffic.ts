/**
 * Simulated waitlist traffic for the demo: each concept has its own true conversion rate,
 * weekdays draw more visitors than weekends, sources convert differently, and one concept
 * gets a one-day spike from a single post (so the admin page shows why a spike is not
 * demand). On a concept with variants, the ad campaign points at one variant's own URL
 * (direct traffic, beside the split), people come back on later days and some sign up
 * then (the A/B cookie keeps their variant), and a few sign up without JavaScript (no
 * recorded visit). A paused page records no visitors. For the last three weeks a post links
 * to the randomised entry point /try/, which sends each of its visitors to one live concept
 * (by `tryWeight`): enough for the overview to compare the ideas on that traffic. Where a
 * concept offers them, visitors climb the intent ladder (addLadder): some click a price
 * tier (signups far more often), signups answer the question, a few accept an interview
 * (some with a preferred time) and fewer reserve. Deterministic for a seed and clock.
 */
import { DAY_MS, utcDay } from "./calendar";
import { applyVariant, type Concept, isPublished } from "./concept";
import type { Served } from "./experiment-report";
import { usesAbCookie, type ViewExposure } from "./experiments";
import type { TierClick } from "./ladder";
import { seededRandom } from "./random";
import { tryCandidates } from "./try-entry";

interface Source {
  utmSource?: string;
  utmMedium?: string;
  referrerHost?: string;
  share: number;
  /** How much better or worse than the concept's base rate this source converts. */
  lift: number;
  /** An ad: on a concept with variants it links to the last variant's own URL (direct traffic). */
  ad?: true;
}

const SOURCES: Source[] = [
  { utmSource: "instagram", utmMedium: "social", share: 0.32, lift: 0.8 },
  { referrerHost: "www.google.com", share: 0.22, lift: 1.1 },
  { share: 0.18, lift: 1.0 },
  { utmSource: "newsletter", utmMedium: "email", share: 0.12, lift: 1.6 },
  { utmSource: "facebook", utmMedium: "cpc", share: 0.16, lift: 0.7, ad: true },
];

const SPIKE_SOURCE: Source = { referrerHost: "www.reddit.com", share: 0, lift: 0.35 };

/** The post linking to /try/: its visitors a day (before the weekday factor and growth), and since how many days. */
const TRY_SOURCE = { utmSource: "linkedin", utmMedium: "social" } as const;
const TRY_DAILY_VISITORS = 60;
const TRY_DAYS = 21;

/** With the A/B cookie: the share of people who come back 1–6 days later, and of their signups made then. */
const RETURN_SHARE = 0.3;
const SIGNUP_ON_RETURN = 0.6;
/** Visitors without JavaScript: no beacon, so their signup follows no recorded visit. */
const NO_SCRIPT_SHARE = 0.03;

interface Truth {
  rate: number;
  dailyVisitors: number;
  /** A paused concept took signups until this many days ago. */
  pausedDaysAgo?: number;
  /** Per variant: its rate relative to the concept's, and how many days ago it started (default: always). */
  variants?: Record<string, { lift: number; startedDaysAgo?: number }>;
}

/**
 * The true rates the demo is built around (other concepts get one from the seed): on
 * origami the cheaper variant clearly wins; on aquarelle a new headline, added mid-test,
 * is barely different, so the honest answer is "keep testing".
 */
const TRUE_RATES: Record<string, Truth> = {
  origami: { rate: 0.065, dailyVisitors: 150, variants: { "prix-doux": { lift: 1.7 } } },
  aquarelle: { rate: 0.06, dailyVisitors: 55, variants: { "titre-court": { lift: 1.08, startedDaysAgo: 18 } } },
  lettrage: { rate: 0.032, dailyVisitors: 60 },
  "code-debutant": { rate: 0.1, dailyVisitors: 45 },
  "stitch-club": { rate: 0.05, dailyVisitors: 30 },
  poterie: { rate: 0.045, dailyVisitors: 35, pausedDaysAgo: 10 },
};

// Sunday first, as Date#getUTCDay counts.
const WEEKDAY_FACTOR = [0.7, 1.05, 1.15, 1.2, 1.1, 0.95, 0.75];
// Share of a day's visits per hour (UTC), peaking at lunch and in the evening in Europe.
const HOURLY = [
  1, 0.5, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4, 4.2, 4.8, 5.5, 5, 4.5, 4.3, 4.6, 5.2, 6.5, 7.5, 7.2, 5.5, 3.5, 2,
];

const FIRST_NAMES = [
  "Camille",
  "Léa",
  "Hugo",
  "Manon",
  "Lucas",
  "Chloé",
  "Inès",
  "Nathan",
  "Zoë",
  "Jules",
  "Emma",
  "Noah",
  "Sarah",
  "Louis",
  "Alice",
  "Tom",
  "Jade",
  "Paul",
  "Amira",
  "Yanis",
];

export interface DemoView {
  concept: string;
  variant: string;
  visitorHash: string;
  day: string;
  createdAt: Date;
  utmSource: string | null;
  utmMedium: string | null;
  referrerHost: string | null;
  served: Served;
  exposure: ViewExposure;
}

export interface DemoSignup extends Omit<DemoView, "exposure"> {
  exposure: ViewExposure | "none";
  email: string;
  emailKey: string;
  name: string | null;
  lang: "fr" | "en";
  /** Most people click the confirmation link within the hour; some never do. */
  confirmedAt: Date | null;
  /** The intent ladder (addLadder): absent until climbed. */
  tier?: string | null;
  answer?: string[] | string | null;
  answeredAt?: Date | null;
  answerChanges?: number;
  interviewAt?: Date | null;
  interviewWhen?: string | null;
  reservedAt?: Date | null;
}

/** The split in force from `startedAt` on, as the server records it (see experiment epochs). */
export interface DemoEpoch {
  concept: string;
  startedAt: Date;
  weights: Record<string, number>;
}

export interface DemoDay {
  day: string;
  views: DemoView[];
  signups: DemoSignup[];
  /** Absent on a concept without tiers. */
  tierClicks?: TierClick[];
}

export const DEMO_EMAIL_DOMAIN = "demo.racine.invalid";
export const DEMO_VISITOR_PREFIX = "demo:";

/** A Poisson-ish count with the given mean (normal approximation, never negative). */
function around(random: () => number, mean: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(mean + gaussian * Math.sqrt(mean)));
}

function pick<T extends { share: number }>(random: () => number, items: readonly T[]): T {
  let roll = random() * items.reduce((sum, item) => sum + item.share, 0);
  for (const item of items) {
    roll -= item.share;
    if (roll <= 0) return item;
  }
  return items[items.length - 1] as T;
}

function hourOf(random: () => number, maxHour: number): number {
  const hours = HOURLY.slice(0, maxHour + 1).map((share, hour) => ({ share, hour }));
  return pick(random, hours).hour;
}

/**
 * Simulates `days` days of traffic ending at `now` (today only up to now's hour).
 * Variants split traffic by their weights and share the concept's rate.
 */
export function simulateTraffic(
  concepts: readonly Concept[],
  { now, days, seed }: { now: Date; days: number; seed: number },
): { days: DemoDay[]; epochs: DemoEpoch[] } {
  const random = seededRandom(seed);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const spikeConcept = concepts.find((concept) => concept.slug === "lettrage") ?? concepts[0];
  const spikeDay = Math.max(0, days - 12);
  let serial = 0;

  const truthOf = new Map(
    concepts.map((concept) => [
      concept.slug,
      TRUE_RATES[concept.slug] ?? { rate: 0.02 + random() * 0.08, dailyVisitors: 30 + random() * 50 },
    ]),
  );
  const startOf = (slug: string, variant: string) => truthOf.get(slug)?.variants?.[variant]?.startedDaysAgo;
  const epochs: DemoEpoch[] = [];
  for (const concept of concepts) {
    if (!isPublished(concept)) continue;
    const starts = concept.variants.map((v) => startOf(concept.slug, v.id)).filter((d) => d !== undefined && d < days);
    const boundaries = [days, ...new Set(starts)].sort((a, b) => (b ?? 0) - (a ?? 0));
    for (const daysAgo of boundaries) {
      if (daysAgo === undefined) continue;
      const active = concept.variants.filter((v) => (startOf(concept.slug, v.id) ?? days) >= daysAgo);
      epochs.push({
        concept: concept.slug,
        startedAt: new Date(daysAgo === days ? 0 : today - daysAgo * DAY_MS),
        weights: Object.fromEntries(active.map((v) => [v.id, v.weight])),
      });
    }
  }

  // What people seen on an earlier day do on a later one (a return visit, maybe a signup then).
  const later = new Map<number, DemoDay>();
  const laterDay = (index: number, day: string): DemoDay => {
    const entry = later.get(index) ?? { day, views: [], signups: [] };
    later.set(index, entry);
    return entry;
  };
  const signupOf = (
    view: Omit<DemoView, "exposure">,
    exposure: DemoSignup["exposure"],
    at: Date,
    rng: () => number = random,
    tag: string = serial.toString(36),
  ): DemoSignup => {
    const first = FIRST_NAMES[Math.floor(rng() * FIRST_NAMES.length)] ?? "Camille";
    const email = `${first.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}.${tag}@${DEMO_EMAIL_DOMAIN}`;
    const signupAt = new Date(Math.min(now.getTime(), at.getTime() + Math.floor(rng() * 240_000)));
    const concept = concepts.find((candidate) => candidate.slug === view.concept);
    return {
      ...view,
      exposure,
      createdAt: signupAt,
      email,
      emailKey: email,
      name: rng() < 0.6 ? first : null,
      lang: concept?.lang ?? "fr",
      confirmedAt:
        rng() < 0.82 ? new Date(Math.min(now.getTime(), signupAt.getTime() + Math.floor(rng() * 3_600_000))) : null,
    };
  };

  const simulated = Array.from({ length: days }, (_, index) => {
    const start = today - (days - 1 - index) * DAY_MS;
    const date = new Date(start);
    const day = utcDay(date);
    const isToday = index === days - 1;
    const maxHour = isToday ? now.getUTCHours() : 23;
    const partOfDay = isToday
      ? HOURLY.slice(0, maxHour + 1).reduce((a, b) => a + b, 0) / HOURLY.reduce((a, b) => a + b, 0)
      : 1;
    // Traffic grows a little over the weeks, as word spreads.
    const growth = 0.75 + 0.5 * (index / Math.max(1, days - 1));
    const result: DemoDay = later.get(index) ?? { day, views: [], signups: [] };

    for (const concept of concepts) {
      if (!isPublished(concept)) continue;
      const truth = truthOf.get(concept.slug) ?? { rate: 0.05, dailyVisitors: 40 };
      const daysAgo = days - 1 - index;
      // Only an open waitlist takes signups, and only its page counts visitors.
      const open = concept.status === "live" || daysAgo > (truth.pausedDaysAgo ?? Number.POSITIVE_INFINITY);
      if (!open) continue;
      const active = concept.variants.filter((v) => (startOf(concept.slug, v.id) ?? days) > daysAgo);
      const sticky = usesAbCookie(concept, true);
      const advertised = sticky ? active.at(-1) : undefined;
      const mean = truth.dailyVisitors * (WEEKDAY_FACTOR[date.getUTCDay()] ?? 1) * growth * partOfDay;
      const visits: Source[] = Array.from({ length: around(random, mean) }, () => pick(random, SOURCES));
      if (concept === spikeConcept && index === spikeDay) {
        visits.push(...Array.from({ length: around(random, truth.dailyVisitors * 5) }, () => SPIKE_SOURCE));
      }
      for (const source of visits) {
        serial += 1;
        const direct = source.ad === true && advertised !== undefined;
        const variant = direct
          ? (advertised?.id ?? "control")
          : pick(
              random,
              active.map((v) => ({ ...v, share: v.weight })),
            ).id;
        const variantLift = truth.variants?.[variant]?.lift ?? 1;
        const createdAt = new Date(start + hourOf(random, maxHour) * 3_600_000 + Math.floor(random() * 3_600_000));
        const at = createdAt > now ? now : createdAt;
        // The split sets the cookie; an ad's own URL does not, so its visitors stay visitor-days.
        const withCookie = sticky && !direct;
        const view: DemoView = {
          concept: concept.slug,
          variant,
          visitorHash: `${DEMO_VISITOR_PREFIX}${serial.toString(36)}`,
          day,
          createdAt: at,
          utmSource: source.utmSource ?? null,
          utmMedium: source.utmMedium ?? null,
          referrerHost: source.referrerHost ?? null,
          served: direct ? "direct" : "split",
          exposure: withCookie ? "first" : "day",
        };
        const noScript = random() < NO_SCRIPT_SHARE;
        if (!noScript) result.views.push(view);
        const converts = random() < truth.rate * variantLift * source.lift;
        const returnsAfter = withCookie && random() < RETURN_SHARE ? 1 + Math.floor(random() * 6) : 0;
        const returnIndex = index + returnsAfter;
        const returnStart = start + returnsAfter * DAY_MS;
        if (returnsAfter > 0 && returnIndex < days && returnStart <= now.getTime()) {
          const returnDay = utcDay(new Date(returnStart));
          const returnAt = new Date(Math.min(now.getTime(), returnStart + (at.getTime() - start)));
          const visit: DemoView = {
            ...view,
            visitorHash: `${DEMO_VISITOR_PREFIX}${serial.toString(36)}-later`,
            day: returnDay,
            createdAt: returnAt,
            exposure: "return",
          };
          const target = laterDay(returnIndex, returnDay);
          if (!noScript) target.views.push(visit);
          if (converts && random() < SIGNUP_ON_RETURN) {
            target.signups.push(signupOf(visit, noScript ? "none" : "return", returnAt));
            continue;
          }
        }
        if (converts) result.signups.push(signupOf(view, noScript ? "none" : view.exposure, at));
      }
    }
    return result;
  });
  addTryTraffic(simulated, { concepts, truthOf, startOf, now, today, seed, signupOf });
  addLadder(simulated, concepts, { now, seed });
  return { days: simulated, epochs };
}

/**
 * How each demo concept's visitors climb the ladder: the relative pull of each tier and of
 * each answer (by id, in the concept file's order when absent), and the share of signups
 * who answer, accept an interview and reserve. Told so that the funnels say something: on
 * origami the middle tier wins and beginners dominate; on code-debutant many reserve.
 */
interface LadderTruth {
  tiers?: Record<string, number>;
  answers?: Record<string, number>;
  answered: number;
  interview: number;
  reservation: number;
  /** Visitors who did not join but clicked a tier; signups click one far more often (SIGNUP_TIER_SHARE). */
  tierShare: number;
}

const LADDER_TRUTH: Record<string, Partial<LadderTruth>> = {
  origami: {
    tiers: { decouverte: 0.3, passion: 0.5, atelier: 0.2 },
    answers: { jamais: 0.5, "un-peu": 0.35, souvent: 0.15 },
    answered: 0.7,
    interview: 0.14,
    reservation: 0.09,
  },
  aquarelle: {
    tiers: { essentielle: 0.55, complete: 0.45 },
    answers: { paysages: 0.4, fleurs: 0.3, portraits: 0.1, carnets: 0.35 },
    answered: 0.62,
  },
  lettrage: { answers: { cadeaux: 0.45, "bullet-journal": 0.35, mariage: 0.12, pro: 0.08 }, answered: 0.55 },
  "code-debutant": {
    tiers: { solo: 0.35, mentor: 0.65 },
    answers: { reconversion: 0.45, curiosite: 0.3, enfants: 0.15, travail: 0.25 },
    answered: 0.75,
    interview: 0.2,
    reservation: 0.16,
  },
  "stitch-club": { tiers: { monthly: 0.6, quarterly: 0.4 }, answered: 0.5, interview: 0.1 },
};

const DEFAULT_LADDER: LadderTruth = { answered: 0.6, interview: 0.12, reservation: 0.07, tierShare: 0.05 };
const SIGNUP_TIER_SHARE = 0.55;
/** Who clicked one tier sometimes clicks a second one. */
const SECOND_TIER_SHARE = 0.12;

/** Preferred contact times, as people type them. */
const INTERVIEW_WHEN: Record<Concept["lang"], readonly string[]> = {
  fr: ["le soir après 19 h", "mardi ou jeudi midi", "le week-end", "plutôt le matin", "mercredi après-midi"],
  en: ["weekday evenings", "Saturday morning", "lunchtime (UK)", "after 6 pm", "any time on Fridays"],
};

/** Short answers to a text question, in the concept's language. */
const TEXT_ANSWERS: Record<Concept["lang"], readonly string[]> = {
  fr: [
    "Un cadeau pour ma sœur",
    "Décorer mon salon",
    "Quelque chose à faire sans écran le soir",
    "Apprendre avec ma fille",
    "Je ne sais pas encore, je veux essayer",
  ],
  en: [
    "A cushion for my sofa",
    "Birthday presents for friends",
    "Something calm to do after work",
    "A hoop with my dog's name",
    "Not sure yet, I just want to start",
  ],
};

/** A choice by weight among `ids` (weights by id, else decreasing in the file's order). */
function pickId(random: () => number, ids: readonly string[], weights: Record<string, number> | undefined): string {
  return pick(
    random,
    ids.map((id, index) => ({ id, share: weights?.[id] ?? 1 / (index + 1.5) })),
  ).id;
}

/**
 * Climbs the ladder on the simulated days, from a random stream of its own (the rest of the
 * simulation stays as it was for a seed). Tier clicks are the page visitors' (a recorded
 * visit; a signup without one clicked nothing), on the variant they saw, with that
 * variant's tiers; a signup keeps the last tier it clicked. Answers, opt-ins and
 * reservations follow the signup by minutes, never after `now`.
 */
function addLadder(
  simulated: DemoDay[],
  concepts: readonly Concept[],
  { now, seed }: { now: Date; seed: number },
): void {
  const random = seededRandom(seed + 2);
  const bySlug = new Map(concepts.map((concept) => [concept.slug, concept]));
  const truthOf = (slug: string): LadderTruth => ({ ...DEFAULT_LADDER, ...LADDER_TRUTH[slug] });
  const after = (at: Date, maxMs: number) =>
    new Date(Math.min(now.getTime(), at.getTime() + Math.floor(random() * maxMs)));
  for (const day of simulated) {
    const joined = new Map(day.signups.map((signup) => [signup.visitorHash, signup]));
    const clicks: TierClick[] = [];
    for (const view of day.views) {
      const concept = bySlug.get(view.concept);
      const tiers = concept && applyVariant(concept, view.variant).tiers;
      if (!concept || !tiers) continue;
      const truth = truthOf(concept.slug);
      const signup = joined.get(view.visitorHash);
      if (random() >= (signup ? SIGNUP_TIER_SHARE : truth.tierShare)) continue;
      const ids = tiers.map((tier) => tier.id);
      const first = pickId(random, ids, truth.tiers);
      const picked = random() < SECOND_TIER_SHARE ? [first, pickId(random, ids, truth.tiers)] : [first];
      for (const tier of new Set(picked)) {
        clicks.push({
          concept: view.concept,
          variant: view.variant,
          tier,
          visitorHash: view.visitorHash,
          day: view.day,
          served: view.served,
          createdAt: after(view.createdAt, 60_000),
        });
      }
      if (signup) signup.tier = picked.at(-1) ?? first;
    }
    if (clicks.length > 0) day.tierClicks = [...(day.tierClicks ?? []), ...clicks];
    for (const signup of day.signups) {
      const concept = bySlug.get(signup.concept);
      if (!concept) continue;
      const truth = truthOf(concept.slug);
      const question = concept.question;
      if (question && random() < truth.answered) {
        signup.answeredAt = after(signup.createdAt, 180_000);
        if (question.kind === "text") {
          signup.answer = TEXT_ANSWERS[concept.lang][Math.floor(random() * TEXT_ANSWERS[concept.lang].length)] ?? "";
        } else {
          const ids = question.options.map((option) => option.id);
          const first = pickId(random, ids, truth.answers);
          const second = question.kind === "multiple" && random() < 0.4 ? pickId(random, ids, truth.answers) : first;
          signup.answer = [...new Set([first, second])];
        }
        signup.answerChanges = random() < 0.04 ? 1 : 0;
      }
      if (concept.interview && random() < truth.interview) {
        signup.interviewAt = after(signup.createdAt, 300_000);
        const times = INTERVIEW_WHEN[concept.lang];
        signup.interviewWhen = random() < 0.65 ? (times[Math.floor(random() * times.length)] ?? null) : null;
      }
      // Who clicked a price is readier to reserve.
      if (concept.reservation && random() < truth.reservation * (signup.tier ? 1.6 : 0.5)) {
        signup.reservedAt = after(signup.createdAt, 600_000);
      }
    }
  }
}

/**
 * The visitors of the post that links to /try/, added to the last TRY_DAYS days: each is
 * sent to one live concept by `tryWeight`, then to a variant by the concept's split, and
 * converts at that concept's true rate. A random stream of their own leaves the rest of
 * the simulation as it was for a seed.
 */
function addTryTraffic(
  simulated: DemoDay[],
  context: {
    concepts: readonly Concept[];
    truthOf: ReadonlyMap<string, Truth>;
    startOf: (slug: string, variant: string) => number | undefined;
    now: Date;
    today: number;
    seed: number;
    signupOf: (
      view: Omit<DemoView, "exposure">,
      exposure: ViewExposure,
      at: Date,
      rng: () => number,
      tag: string,
    ) => DemoSignup;
  },
): void {
  const { concepts, truthOf, startOf, now, today, signupOf } = context;
  const random = seededRandom(context.seed + 1);
  const live = tryCandidates(concepts).map((concept) => ({ concept, share: concept.tryWeight }));
  if (live.length === 0) return;
  const days = simulated.length;
  simulated.forEach((result, index) => {
    const daysAgo = days - 1 - index;
    if (daysAgo >= TRY_DAYS) return;
    const start = today - daysAgo * DAY_MS;
    const maxHour = daysAgo === 0 ? now.getUTCHours() : 23;
    const mean = TRY_DAILY_VISITORS * (WEEKDAY_FACTOR[new Date(start).getUTCDay()] ?? 1) * ((maxHour + 1) / 24);
    for (let n = around(random, mean); n > 0; n--) {
      const { concept } = pick(random, live);
      const truth = truthOf.get(concept.slug) ?? { rate: 0.05, dailyVisitors: 40 };
      const active = concept.variants.filter((v) => (startOf(concept.slug, v.id) ?? days) > daysAgo);
      const variant = pick(
        random,
        active.map((v) => ({ ...v, share: v.weight })),
      ).id;
      const createdAt = new Date(start + hourOf(random, maxHour) * 3_600_000 + Math.floor(random() * 3_600_000));
      const at = createdAt > now ? now : createdAt;
      const tag = `try-${index.toString(36)}-${n.toString(36)}`;
      const view: DemoView = {
        concept: concept.slug,
        variant,
        visitorHash: `${DEMO_VISITOR_PREFIX}${tag}`,
        day: result.day,
        createdAt: at,
        utmSource: TRY_SOURCE.utmSource,
        utmMedium: TRY_SOURCE.utmMedium,
        referrerHost: null,
        served: "try",
        exposure: usesAbCookie(concept, true) ? "first" : "day",
      };
      result.views.push(view);
      const lift = truth.variants?.[variant]?.lift ?? 1;
      if (random() < truth.rate * lift) result.signups.push(signupOf(view, view.exposure, at, random, tag));
    }
  });
}
