/**
 * Debian's Chromium driven by playwright-core. In CI the browser tests always run (a
 * missing browser fails them); elsewhere they are skipped, loudly, when none is installed.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A desktop Firefox User-Agent: headless Chrome's own is (rightly) not counted as a visitor. */
export const VISITOR_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], {
      encoding: "utf8",
    }).trim();
  } catch {
    return undefined;
  }
}

export const chromiumPath = findChromium();

if (!chromiumPath) {
  const message = "No Chromium found (apt-get install -y chromium): browser tests cannot run.";
  if (process.env.CI) throw new Error(`${message} In CI they must.`);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPING BROWSER TESTS: ${message}\n${"!".repeat(78)}\n`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/** Collects what the browser reports as blocked by the Content-Security-Policy (in the page and its frames). */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
