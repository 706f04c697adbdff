import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { serverBundle } from "../../scripts/build";
import { DEMO_PASSWORD } from "../../scripts/demo";
import { isPublished } from "../../src/domain/concept";
import { loadConceptFiles } from "../../src/server/concepts/files";
import { FIXTURE_BUILD, runScript as run } from "../support/server";

/** The seed simulates the test concepts. */
const tempDatabase = () => join(mkdtempSync(join(tmpdir(), "racine-script-")), "racine.db");
const counts = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  const result = db
    .prepare("select (select count(*) from views) as views, (select count(*) from signups) as signups")
    .get();
  db.close();
  return result as { views: number; signups: number };
};

describe("npm run seed:demo", () => {
  test("fills the database deterministically, and reseeding replaces the demo rows", () => {
    const file = tempDatabase();
    const first = run("seed-demo", ["--days", "14", "--seed", "3"], { DATABASE_PATH: file });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /Seeded .* views \(first visits, return visits, visitor-days\) and \d+ signups over 14 days/,
    );
    expect(first.stderr).toContain("100 %");
    const seeded = counts(file);
    expect(seeded.views).toBeGreaterThan(500);
    expect(seeded.signups).toBeGreaterThan(20);
    expect(run("seed-demo", ["--days", "14", "--seed", "3"], { DATABASE_PATH: file }).status).toBe(0);
    expect(counts(file)).toEqual(seeded);
  });

  test("refuses a database with real signups unless --force, and never deletes them", () => {
    const file = tempDatabase();
    expect(run("migrate", [], { DATABASE_PATH: file }).status).toBe(0);
    const db = new Sqlite(file);
    db.prepare(
      "insert into signups (concept, variant, email, email_key, lang, created_at) values ('split', 'control', 'real@exemple.fr', 'real@exemple.fr', 'fr', 1)",
    ).run();
    db.close();
    const refused = run("seed-demo", ["--days", "7"], { DATABASE_PATH: file });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("holds 1 real visitors or signups");
    expect(run("seed-demo", ["--days", "7", "--force"], { DATABASE_PATH: file }).status).toBe(0);
    const check = new Sqlite(file, { readonly: true });
    expect(check.prepare("select count(*) as n from signups where email = 'real@exemple.fr'").get()).toEqual({ n: 1 });
    check.close();
  });

  test("a bad flag is named in the error", () => {
    const result = run("seed-demo", ["--days", "3"], { DATABASE_PATH: tempDatabase() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--days:");
    const noBuild = run("seed-demo", [], { DATABASE_PATH: tempDatabase(), BUILD_DIR: "no/such/build" });
    expect(noBuild.status).toBe(1);
    expect(noBuild.stderr).toMatch(/^No build in \S+no\/such\/build: run `npm run build`/);
  });
});

describe("starting with a bad environment", () => {
  test("stops with the variable and the fix, not a stack trace", () => {
    const result = spawnSync(process.execPath, [serverBundle(FIXTURE_BUILD)], {
      env: {
        PATH: process.env.PATH ?? "",
        PORT: "eighty",
        DATABASE_PATH: tempDatabase(),
        BUILD_DIR: FIXTURE_BUILD.outDir,
      },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid environment");
    expect(result.stderr).toContain("PORT: use a number");
    expect(result.stderr).not.toContain("    at ");
  });
});

describe("npm run demo (the README's first command)", () => {
  test("seeds a demo database, serves it, and the documented password opens /admin", async () => {
    const file = tempDatabase();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: file, RATE_LIMIT: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.once("exit", (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
      });
      expect(output).toContain(`the admin password is ${DEMO_PASSWORD}`);
      const login = await fetch(new URL("/admin/login", url), {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
        body: `password=${encodeURIComponent(DEMO_PASSWORD)}`,
      });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      // The founder's own concepts, whichever they are: the demo serves dist/, built from them.
      const [concept] = loadConceptFiles().filter(isPublished);
      const admin = await fetch(new URL(`/admin/c/${concept?.slug}`, url), { headers: { cookie } });
      expect(admin.status).toBe(200);
      expect(counts(file).signups).toBeGreaterThan(100);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }, 120_000);
});
