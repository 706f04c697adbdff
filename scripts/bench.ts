/**
 * `npm run bench [-- --duration 10 --connections 50]`: racine's speed against its targets.
 *  1. signup and view ingestion with autocannon, every request a new visitor (its own
 *     User-Agent) and a new address, against racine's built server and a bare node:http +
 *     better-sqlite3 baseline (scripts/bench/baseline.ts: the same visitor hash and one
 *     insert per request), both running in the same run, measured in turns (A B A B) so that
 *     a noisy neighbour weighs on both (targets: signups ≥ 0.9, views ≥ 0.8, no errors);
 *  2. the server's peak resident memory during that load (target ≤ 150 MB);
 *  3. the analytics pages on a generated database of 1,000,000 views and 100,000 signups:
 *     the first load after a start (target < 150 ms) and the median of the next ten
 *     (target < 50 ms);
 *  4. the bytes of each landing page (targets: LANDING_BUDGET, src/domain/page-weight.ts).
 * Prints figures (and writes them to bench-results/latest.json); it is not a test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { z } from "zod";
import { LANDING_BUDGET, pageWeight } from "../src/domain/page-weight";
import { variantPath } from "../src/domain/paths";
import { loadConceptFiles } from "../src/server/concepts/files";
import { generateLargeDatabase } from "./bench/large-database";
import { buildIfNeeded, SERVER_BUNDLE, SERVER_ENV, SERVER_NODE_FLAGS } from "./build";
import { parseFlags, runMain } from "./lib/cli";

const Flags = z.object({
  duration: z.coerce.number().int().min(2).max(120).default(10),
  connections: z.coerce.number().int().min(1).max(1000).default(32),
  rounds: z.coerce.number().int().min(1).max(10).default(2),
  views: z.coerce.number().int().min(1000).max(10_000_000).default(1_000_000),
  signups: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
});
type Flags = z.infer<typeof Flags>;

const PASSWORD = "bench-admin-password";

/** The targets every figure is printed against (issue 14). */
const TARGETS = {
  ratio: { signup: 0.9, view: 0.8 },
  peakRssMb: 150,
  adminFirstMs: 150,
  adminMedianMs: 50,
} as const;
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

interface Started {
  url: string;
  child: ChildProcess;
}

/** Starts a server script and waits for its "listening on <url>" line. */
function startProcess(script: string, env: Record<string, string>): Promise<Started> {
  const args = script.endsWith(".ts") ? ["--import", "tsx", script] : [...SERVER_NODE_FLAGS, script];
  // The baseline gets racine's environment defaults too: the same allocator for both.
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...SERVER_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ url: match[1], child });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

async function stopProcess({ child }: Started): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Peak resident set size of a process so far, in MB (Linux: VmHWM). */
function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/**
 * Fires POSTs for `duration` seconds, each numbered from `first` on: its own body (address)
 * and User-Agent, so every request is a new visitor.
 */
async function load(
  url: string,
  path: string,
  flags: Flags,
  body: (n: number) => object,
  first: number,
): Promise<LoadResult> {
  let n = first;
  const result = await autocannon({
    url: `${url}${path}`,
    connections: flags.connections,
    duration: flags.duration,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          n += 1;
          return {
            ...request,
            headers: { "content-type": "application/json", "user-agent": `${FIREFOX} bench/${n}` },
            body: JSON.stringify(body(n)),
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

async function ingestionBench(flags: Flags, dir: string) {
  const racine = await startProcess(SERVER_BUNDLE, {
    DATABASE_PATH: join(dir, "racine.db"),
    ADMIN_PASSWORD: PASSWORD,
    RATE_LIMIT: "off",
  });
  const baseline = await startProcess("scripts/bench/baseline.ts", { DATABASE_PATH: join(dir, "baseline.db") });
  const routes = [
    {
      name: "signup",
      path: "/api/signup",
      body: (n: number) => ({ concept: "origami", email: `bench${n}@exemple.fr` }),
    },
    { name: "view", path: "/api/view", body: () => ({ concept: "origami" }) },
  ] as const;
  const servers = [
    ["racine", racine],
    ["baseline", baseline],
  ] as const;
  const results = [];
  // Every request of the run has its own number: a new address, a new User-Agent (visitor).
  let first = 0;
  const from = () => {
    first += 100_000_000;
    return first;
  };
  try {
    for (const route of routes) {
      // A short warm-up of each, so both are measured with a hot JIT.
      for (const [, server] of servers) {
        await load(server.url, route.path, { ...flags, duration: 2 }, route.body, from());
      }
      for (let round = 1; round <= flags.rounds; round++) {
        for (const [label, server] of servers) {
          process.stderr.write(
            `Loading ${label} ${route.path} (round ${round} of ${flags.rounds}) for ${flags.duration} s with ${flags.connections} connections…\n`,
          );
          const measured = await load(server.url, route.path, flags, route.body, from());
          results.push({ route: route.name, server: label, round, ...measured });
        }
      }
    }
    return { results, peakRssMb: peakRssMb(racine.child.pid) };
  } finally {
    await Promise.all([stopProcess(racine), stopProcess(baseline)]);
  }
}

async function analyticsBench(flags: Flags, dir: string) {
  const file = join(dir, "large.db");
  generateLargeDatabase(file, flags.views, flags.signups);
  const server = await startProcess(SERVER_BUNDLE, { DATABASE_PATH: file, ADMIN_PASSWORD: PASSWORD });
  try {
    const login = await fetch(`${server.url}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `password=${PASSWORD}`,
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const pages = ["/admin", "/admin/c/origami", "/admin/c/aquarelle"];
    const timings = [];
    for (const page of pages) {
      const times: number[] = [];
      for (let i = 0; i < 11; i++) {
        const started = performance.now();
        const res = await fetch(`${server.url}${page}`, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
        times.push(performance.now() - started);
      }
      const [first = 0, ...rest] = times;
      rest.sort((a, b) => a - b);
      timings.push({ page, firstMs: first, medianMs: rest[Math.floor(rest.length / 2)] ?? 0, maxMs: rest.at(-1) ?? 0 });
    }
    return timings;
  } finally {
    await stopProcess(server);
  }
}

function pageBytes() {
  return loadConceptFiles()
    .filter((concept) => concept.status !== "draft")
    .flatMap((concept) =>
      concept.variants.map((variant) => {
        const path = variantPath(concept.slug, variant.id);
        const html = readFileSync(join("dist/client", path, "index.html"));
        return {
          path,
          ...pageWeight(html.toString()),
          gzip: gzipSync(html, { level: 9 }).length,
          brotli: brotliCompressSync(html).length,
        };
      }),
    );
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const mark = (ok: boolean) => (ok ? "✓" : "✗ MISSED");

runMain(async () => {
  const flags = parseFlags(
    Flags,
    parseArgs({
      options: {
        duration: { type: "string" },
        connections: { type: "string" },
        rounds: { type: "string" },
        views: { type: "string" },
        signups: { type: "string" },
      },
      strict: true,
    }).values,
  );
  await buildIfNeeded();
  const dir = mkdtempSync(join(tmpdir(), "racine-bench-"));
  try {
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const ingestion = await ingestionBench(flags, dir);
    const analytics = await analyticsBench(flags, dir);
    const pages = pageBytes();

    console.log(`\nracine benchmarks — ${machine}`);
    console.log(
      `\n1. Ingestion (${flags.rounds} rounds of ${flags.duration} s in turns, ${flags.connections} connections, each request a new visitor)`,
    );
    console.log("   route   server    round    req/s   p50 ms   p99 ms   errors  non-2xx");
    for (const r of ingestion.results) {
      console.log(
        `   ${r.route.padEnd(7)} ${r.server.padEnd(9)} ${pad(r.round, 5)} ${pad(r.rps.toFixed(0), 8)} ${pad(r.p50, 8)} ${pad(r.p99, 8)} ${pad(r.errors, 8)} ${pad(r.non2xx, 8)}`,
      );
    }
    const ratios = (["signup", "view"] as const).map((route) => {
      const of = (server: string) => ingestion.results.filter((r) => r.route === route && r.server === server);
      const ours = of("racine");
      const base = of("baseline");
      const sum = (rows: typeof ours) => rows.reduce((total, r) => total + r.rps, 0);
      const ratio = sum(ours) / sum(base);
      const perRound = ours.map((r, i) => r.rps / (base[i]?.rps ?? Number.NaN));
      const clean = ours.every((r) => r.errors === 0 && r.non2xx === 0);
      const target = TARGETS.ratio[route];
      console.log(
        `   ${route}: racine / baseline = ${ratio.toFixed(2)} (rounds ${perRound.map((x) => x.toFixed(2)).join(", ")}; target ≥ ${target.toFixed(2)}, no errors) ${mark(ratio >= target && clean)}`,
      );
      return { route, ratio, perRound };
    });
    console.log(
      `\n2. Peak resident memory of the server under that load: ${ingestion.peakRssMb.toFixed(0)} MB (target ≤ ${TARGETS.peakRssMb}) ${mark(ingestion.peakRssMb <= TARGETS.peakRssMb)}`,
    );
    console.log(
      `\n3. Analytics pages on ${flags.views.toLocaleString("en")} views and ${flags.signups.toLocaleString("en")} signups (loopback; the first load after a start, then 10; targets: first < ${TARGETS.adminFirstMs} ms, median < ${TARGETS.adminMedianMs} ms)`,
    );
    for (const t of analytics) {
      const ok = t.firstMs < TARGETS.adminFirstMs && t.medianMs < TARGETS.adminMedianMs;
      console.log(
        `   ${t.page.padEnd(20)} first ${pad(t.firstMs.toFixed(0), 5)} ms   median ${pad(t.medianMs.toFixed(0), 5)} ms   max ${pad(t.maxMs.toFixed(0), 5)} ms ${mark(ok)}`,
      );
    }
    console.log(
      `\n4. Landing pages (bytes before images; budget: JS ≤ ${LANDING_BUDGET.js.toLocaleString("en")}, all ≤ ${LANDING_BUDGET.total.toLocaleString("en")})`,
    );
    console.log("   page                              html     css      js    gzip  brotli");
    for (const p of pages) {
      const ok = p.js <= LANDING_BUDGET.js && p.html <= LANDING_BUDGET.total;
      console.log(
        `   ${p.path.padEnd(30)} ${pad(p.html, 8)} ${pad(p.css, 7)} ${pad(p.js, 7)} ${pad(p.gzip, 7)} ${pad(p.brotli, 7)} ${mark(ok)}`,
      );
    }
    mkdirSync("bench-results", { recursive: true });
    writeFileSync(
      "bench-results/latest.json",
      `${JSON.stringify({ machine, flags, ingestion, ratios, analytics, pages, at: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log("\nFigures saved to bench-results/latest.json");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
