/**
 * Seeded simulations of a founder who looks at the verdict every day: traffic arrives
 * day by day, each day's counts are added, and the verdict is read after every day.
 * What is measured is the share of runs in which a decision was *ever* shown — the
 * error a founder makes by acting on the first verdict that appears.
 */
import { seededRandom } from "../../src/domain/random";

/** Six months of daily looks. */
export const DAYS = 180;

/** A bound plus two Monte Carlo standard errors over `runs` runs. */
export const withMargin = (bound: number, runs: number) => bound + 2 * Math.sqrt((bound * (1 - bound)) / runs);

/** Binomial(n, p) draws: inversion for the usual small means, a sum of Bernoullis otherwise. */
export function binomialSampler(random: () => number) {
  return (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const first = (1 - p) ** n;
    if (first < 1e-250) {
      let count = 0;
      for (let i = 0; i < n; i++) if (random() < p) count++;
      return count;
    }
    const ratio = p / (1 - p);
    let u = random();
    let k = 0;
    let probability = first;
    while (u > probability && k < n) {
      u -= probability;
      probability *= (ratio * (n - k)) / (k + 1);
      k++;
    }
    return k;
  };
}

export interface ConceptScenario {
  trueRate: number;
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
    for (let day = 0; day < scenario.days; day++) {
      counts.visitors += scenario.visitorsPerDay;
      counts.signups += draw(scenario.visitorsPerDay, scenario.trueRate);
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
    for (let day = 0; day < scenario.days; day++) {
      // A multinomial split of the day's visitors over equally weighted arms.
      let left = scenario.visitorsPerDay;
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
