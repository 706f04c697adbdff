/** `npm run export [-- --out FILE]`: every signup as CSV (Excel-safe) to standard output or FILE, answers by their labels when there is a build. */
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv } from "../src/server/env";
import { builtConceptsIfAny, openAppDatabase } from "../src/server/runtime";
import { countSignups, signupCsvLines } from "../src/server/store/data-rights";
import { parseFlags, runMain } from "./lib/cli";
import { progressBar } from "./lib/progress";

const Flags = z.object({ out: z.string().min(1, "name a file").optional() });

runMain(async () => {
  const flags = parseFlags(Flags, parseArgs({ options: { out: { type: "string" } }, strict: true }).values);
  // Progress and messages go to standard error: standard output may be the CSV itself.
  const env = parseEnv();
  const db = await openAppDatabase(env, console.error);
  const concepts = builtConceptsIfAny(env);
  if (concepts.length === 0)
    console.error("No build: answers are exported as their option ids (run `npm run build` for labels).");
  const total = countSignups(db);
  const output: NodeJS.WritableStream = flags.out ? createWriteStream(flags.out, { mode: 0o600 }) : process.stdout;
  const bar = flags.out ? progressBar("Exporting signups", total) : undefined;
  let written = -1;
  for (const line of signupCsvLines(db, concepts)) {
    if (!output.write(line)) await new Promise<void>((resolveDrain) => output.once("drain", () => resolveDrain()));
    written += 1;
    if (written % 1000 === 0) bar?.update(written, `${written}/${total}`);
  }
  bar?.update(total, `${total}/${total}`);
  bar?.done();
  if (flags.out) {
    await new Promise<void>((resolveEnd) => output.end(() => resolveEnd()));
    console.error(`Exported ${total} signups to ${flags.out}`);
  }
  db.$client.close();
});
