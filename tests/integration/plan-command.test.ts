/**
 * `npm run plan -- <slug> [--visitors-per-day N]` on the test build: the plan at the seeded
 * traffic, from an assumption before any traffic, its exit codes (0 in time, 2 not in
 * time, 1 on an error) and the errors of a bad flag or an unknown concept.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { fixture, runScript, seedDemo } from "../support/server";

const NOW = "2026-11-25T12:00:00Z";
let seeded: string;
let empty: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "racine-plan-"));
  seeded = join(dir, "seeded.db");
  empty = join(dir, "empty.db");
  seedDemo(21, 5, NOW)(seeded);
});

const plan = (args: string[], db = seeded) => runScript("plan", args, { DATABASE_PATH: db, CLOCK_START: NOW });

describe("npm run plan", () => {
  test("a concept that can conclude in time: the plan at the last 7 days' traffic, exit 0", () => {
    const result = plan(["english"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${fixture("english").title} (english, live)`);
    expect(result.stdout).toMatch(
      /^At [\d,]+ visitors a day \(the last 7 days\), the test can conclude in about \d+ days?/m,
    );
    expect(result.stdout).toMatch(/Idea validated +if it truly converts at 6\.0 % \(the target \+20 %\)/);
  });

  test("a concept that cannot conclude in time says so, says what would change that, and exits 2", () => {
    // The split test's 1 % target: a +20 % lift there needs far more than its traffic.
    const result = plan(["split"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/this test cannot conclude before six months from today, 2027-05-24/);
    expect(result.stdout).toMatch(/Variants +the variant rule finds a \+20 % lift of the variant 8 times out of 10/);
    expect(result.stdout).toMatch(/What would change that:\n {2}- More traffic: about [\d,]+ visitors a day/);
    expect(result.stdout).toMatch(/- A bigger effect: by then the rule finds a lift of \+\d+ %/);
  });

  test("before any traffic, from --visitors-per-day", () => {
    const result = plan(["english", "--visitors-per-day", "150"], empty);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^At 150 visitors a day \(assumed\)/m);
    expect(result.stdout).toMatch(
      /Minimum criteria +500 visitors and 20 signups: in about 4 days \(around 2026-11-29\)/,
    );
    const none = plan(["english"], empty);
    expect(none.stdout).toMatch(
      /^No visitors in the last 7 days: no days to count\. About [\d,]+ visitors a day would conclude/m,
    );
    expect(none.status).toBe(2);
  });

  test.each([
    [["split", "--visitors-per-day", "many"], /^--visitors-per-day: use a number of visitors, such as 120/],
    [["split", "--visitors-per-day", "0"], /^--visitors-per-day: use a number of visitors above 0/],
    [["split", "--days", "3"], /Unknown option '--days'/],
    [[], /^usage: npm run plan -- <slug> \[--visitors-per-day N\]/],
    [["Not A Slug"], /^<slug> "Not A Slug": use lower-case letters/],
    [["nope"], /^No concept "nope" in the build \(.*dist-test\); there are: .*split/],
  ])("%j fails with exit 1 and a message that names the fault", (args, message) => {
    const result = plan(args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });
});
