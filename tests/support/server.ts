/**
 * Starts the real built server (as `npm run serve` does) on a free port with a fresh SQLite
 * file, and gives tests its URL and a read connection. The server serves the tests' own
 * site: the concepts of tests/fixtures/concepts, built into dist-test/ by the global setup,
 * so that a founder who edits or deletes a concept of src/content/concepts breaks no test.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { type BuildTarget, SERVER_ENV, SERVER_NODE_FLAGS, serverBundle } from "../../scripts/build";
import type { Concept } from "../../src/domain/concept";
import { loadConceptFiles } from "../../src/server/concepts/files";

export const ADMIN_PASSWORD = "test-admin-password";

/** The test site: what every test server serves and every seed simulates. */
export const FIXTURE_BUILD: BuildTarget = { conceptsDir: "tests/fixtures/concepts", outDir: "dist-test" };

/** A test concept as its fixture file defines it, for expectations (titles, prices, variants). */
export function fixture(slug: string): Concept {
  const concept = loadConceptFiles(FIXTURE_BUILD.conceptsDir).find((candidate) => candidate.slug === slug);
  if (!concept) throw new Error(`no test concept ${slug} in ${FIXTURE_BUILD.conceptsDir}`);
  return concept;
}

export interface TestServer {
  url: string;
  databasePath: string;
  /** Where the file mailer writes emails when no RESEND_API_KEY is set. */
  outboxDir: string;
  process: ChildProcess;
  output: () => string;
  /** Rows of a query on the server's database (a second, read-only connection). */
  query: <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => T[];
  stop: () => Promise<void>;
  /** Kills the process with SIGKILL (a crash), leaving the database as it is. */
  crash: () => Promise<void>;
}

export async function startServer(
  env: Record<string, string> = {},
  /** Runs on the empty database path before the server starts (to seed it, say). */
  prepare?: (databasePath: string) => void,
  /** Extra flags for node, before the server's own (a test-only launch). */
  nodeFlags: readonly string[] = [],
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "racine-test-"));
  // A DATABASE_PATH given in env reuses that file (a restart); otherwise a fresh one.
  const databasePath = env.DATABASE_PATH ?? join(dir, "racine.db");
  prepare?.(databasePath);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeFlags, serverBundle(FIXTURE_BUILD)], {
    env: {
      ...SERVER_ENV,
      PATH: process.env.PATH ?? "",
      BUILD_DIR: FIXTURE_BUILD.outDir,
      HOST: "127.0.0.1",
      PORT: "0",
      ADMIN_PASSWORD,
      // Tests send many requests from one address; the rate-limit tests turn it back on.
      RATE_LIMIT: "off",
      OUTBOX_DIR: join(dir, "outbox"),
      ...env,
      DATABASE_PATH: databasePath,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A test that times out never reaches its stop(): the server must not outlive the test run.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  let reader: Sqlite.Database | undefined;
  return {
    url,
    databasePath,
    outboxDir: env.OUTBOX_DIR ?? join(dir, "outbox"),
    process: child,
    output: () => output,
    query: <T>(sql: string, ...params: unknown[]) => {
      reader ??= new Sqlite(databasePath, { readonly: true });
      return reader.prepare(sql).all(...params) as T[];
    },
    crash: async () => {
      reader?.close();
      reader = undefined;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      reader?.close();
      // A crashed server (crash()) has exited already, by its signal.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (!env.DATABASE_PATH) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a command sees: the test build (its concepts), unless a test says otherwise. */
const scriptEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? "",
  BUILD_DIR: FIXTURE_BUILD.outDir,
  ...env,
});

/** Runs a script of scripts/ to completion, as `npm run` would, on the test build. */
export function runScript(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    env: scriptEnv(env),
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A `prepare` for startServer: fills the empty database with the demo traffic of the test
 * concepts, for a fixed seed and clock (seed-demo's flags), and stops the test if the seed fails.
 */
export function seedDemo(days: number, seed: number, now: string): (databasePath: string) => void {
  return (databasePath) => {
    const flags = ["--days", String(days), "--seed", String(seed), "--now", now];
    const seeded = runScript("seed-demo", flags, { DATABASE_PATH: databasePath });
    if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`);
  };
}

/** Starts a script of scripts/ without waiting for it (a test may kill it midway): its process and its end. */
export function startScript(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    env: scriptEnv(env),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Like runScript, without blocking this process (needed when the script calls a server running here). */
export function runScriptAsync(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return startScript(script, args, env).done;
}

/** Logs in to /admin and returns the session cookie to send along. */
export async function adminCookie(server: TestServer): Promise<string> {
  const res = await post(server, "/admin/login", `password=${encodeURIComponent(ADMIN_PASSWORD)}`);
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/** POSTs a body to the server; a JSON object is sent as application/json, a string as a form. */
export function post(
  server: TestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const isForm = typeof body === "string";
  return fetch(new URL(path, server.url), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": isForm ? "application/x-www-form-urlencoded" : "application/json", ...headers },
    body: isForm ? body : JSON.stringify(body),
  });
}
