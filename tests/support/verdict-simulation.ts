/**
 * Seeded simulations of a founder who looks at the verdict every day: traffic arrives
 * day by day, each day's counts are added, and the verdict is read after every day.
 * What is measured is the share of runs in which a decision was *ever* shown — the
 * error a founder makes by acting on the first verdict that appears.
 */
import { seededRandom } from "../../src/domain/random";
import { logGamma } from "../../src/domain/stats";

/** Six months of daily looks. */
export const DAYS = 180;

/**
 * A measured rate plus two of its Monte Carlo standard errors over `runs` runs (the error
 * of at least one run in `runs` when none was seen): a test asserts that this stays under
 * the bound, so that a rule whose true rate is at the bound fails rather than passes.
 */
export const upperEstimate = (rate: number, runs: number) =>
  rate + 2 * Math.sqrt((Math.max(rate, 1 / runs) * (1 - rate)) / runs);

/**
 * Binomial(n, p) draws, exactly: inversion started at the mode and walking outwards, so
 * a draw costs about the standard deviation in steps (1,000 visitors split in two: ~25).
 */
export function binomialSampler(random: () => number) {
  return (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const mode = Math.min(n, Math.floor((n + 1) * p));
    const ratio = p / (1 - p);
    const atMode = Math.exp(
      logGamma(n + 1) - logGamma(mode + 1) - logGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log1p(-p),
    );
    let u = random() - atMode;
    if (u < 0) return mode;
    // Alternate above and below the mode, each side's probability by the ratio of successive terms.
    let up = mode;
    let upProbability = atMode;
    let down = mode;
    let downProbability = atMode;
    while (up < n || down > 0) {
      if (up < n) {
        upProbability *= (ratio * (n - up)) / (up + 1);
        up++;
        u -= upProbability;
        if (u < 0) return up;
      }
      if (down > 0) {
        downProbability *= down / ((n - down + 1) * ratio);
        down--;
        u -= downProbability;
        if (u < 0) return down;
      }
    }
    return mode;
  };
}

export interface ConceptScenario {
  trueRate: number;
  /** Days of traffic drawn in bulk between two looks (1: a look every day). */
  daysPerLook?: number;
  /** Stop a run once every one of these has been seen (they can no longer change the result). */
  stopOn?: readonly string[];
  visitorsPerDay: number;
  days: number;
  runs: number;
  seed: number;
}

/** Share of runs in which each status was ever shown, looking after every day. */
export function everConcept(
  scenario: ConceptScenario,
  statusOf: (counts: { visitors: number; signups: number }, visitorsPerDay: number) => string,
): Record<string, number> {
  const draw = binomialSampler(seededRandom(scenario.seed));
  const ever = new Map<string, number>();
  for (let run = 0; run < scenario.runs; run++) {
    const seen = new Set<string>();
    const counts = { visitors: 0, signups: 0 };
    const step = scenario.daysPerLook ?? 1;
    for (let day = 0; day < scenario.days; day += step) {
      const visitors = scenario.visitorsPerDay * Math.min(step, scenario.days - day);
      counts.visitors += visitors;
      counts.signups += draw(visitors, scenario.trueRate);
      seen.add(statusOf(counts, scenario.visitorsPerDay));
      if (scenario.stopOn?.every((status) => seen.has(status))) break;
    }
    for (const status of seen) ever.set(status, (ever.get(status) ?? 0) + 1);
  }
  return Object.fromEntries([...ever].map(([status, count]) => [status, count / scenario.runs]));
}

export interface ExperimentScenario {
  controlRate: number;
  /** The true relative lift of each treatment over the control (0 = A/A). */
  lifts: readonly number[];
  /** Visitors per day over all arms, split evenly at random. */
  visitorsPerDay: number;
  days: number;
  runs: number;
  seed: number;
  /** Stop a run once every one of these keys has been seen. */
  stopOn?: readonly string[];
  /** Days of traffic drawn in bulk between two looks (1: a look every day). */
  daysPerLook?: number;
}

type Arm = { visitors: number; conversions: number };
export type CallOf = (control: Arm, treatment: Arm, treatments: number, visitorsPerDay: number) => string;

/**
 * Share of runs in which, at some daily look, each call was shown for at least one
 * treatment (`any:<call>`), and for the first treatment (`first:<call>`).
 */
export function everExperiment(scenario: ExperimentScenario, callOf: CallOf): Record<string, number> {
  const random = seededRandom(scenario.seed);
  const draw = binomialSampler(random);
  const k = scenario.lifts.length;
  const arms = k + 1;
  const counts = new Map<string, number>();
  for (let run = 0; run < scenario.runs; run++) {
    const seen = new Set<string>();
    const state: Arm[] = Array.from({ length: arms }, () => ({ visitors: 0, conversions: 0 }));
    const step = scenario.daysPerLook ?? 1;
    for (let day = 0; day < scenario.days; day += step) {
      // A multinomial split of the visitors since the last look over equally weighted arms.
      let left = scenario.visitorsPerDay * Math.min(step, scenario.days - day);
      state.forEach((arm, index) => {
        const visitors = index === arms - 1 ? left : draw(left, 1 / (arms - index));
        left -= visitors;
        const rate = scenario.controlRate * (1 + (index === 0 ? 0 : (scenario.lifts[index - 1] ?? 0)));
        arm.visitors += visitors;
        arm.conversions += draw(visitors, Math.min(1, rate));
      });
      const [control] = state;
      if (!control) continue;
      for (let t = 1; t < arms; t++) {
        const call = callOf(control, state[t] ?? control, k, (2 * scenario.visitorsPerDay) / arms);
        seen.add(`any:${call}`);
        if (t === 1) seen.add(`first:${call}`);
      }
      if (scenario.stopOn?.every((key) => seen.has(key))) break;
    }
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([key, count]) => [key, count / scenario.runs]));
}
