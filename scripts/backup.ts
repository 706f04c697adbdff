/** `npm run backup [-- --dir backups]`: an online backup of DATABASE_PATH to a timestamped file. */
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseEnv } from "../src/server/env";
import { createClock, openAppDatabase } from "../src/server/runtime";
import { backupDatabase } from "../src/server/store/data-rights";
import { parseFlags, runMain } from "./lib/cli";
import { progressBar } from "./lib/progress";

const Flags = z.object({ dir: z.string().min(1).optional() });

runMain(async () => {
  const flags = parseFlags(Flags, parseArgs({ options: { dir: { type: "string" } }, strict: true }).values);
  const env = parseEnv();
  const file = resolve(env.DATABASE_PATH);
  const db = await openAppDatabase(env);
  const bar = progressBar("Backing up", 1);
  const backup = await backupDatabase(
    db,
    flags.dir ?? join(dirname(file), "backups"),
    createClock(env.CLOCK_START)(),
    (done, total) => bar.update(done / Math.max(1, total)),
  );
  bar.done();
  db.$client.close();
  console.log(`Backup written: ${backup}`);
});
