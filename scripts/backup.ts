/** `npm run backup [-- --dir backups]`: an online backup of DATABASE_PATH to a timestamped file. */
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "../db/client";
import { parseEnv } from "../src/server/env";
import { backupDatabase } from "../src/server/store/data-rights";
import { parseFlags, runMain } from "./lib/cli";
import { progressBar } from "./lib/progress";

const Flags = z.object({ dir: z.string().min(1).optional() });

runMain(async () => {
  const flags = parseFlags(Flags, parseArgs({ options: { dir: { type: "string" } }, strict: true }).values);
  const file = resolve(parseEnv().DATABASE_PATH);
  const db = openDatabase(file);
  const bar = progressBar("Backing up", 1);
  const backup = await backupDatabase(db, flags.dir ?? join(dirname(file), "backups"), new Date(), (done, total) =>
    bar.update(done / Math.max(1, total)),
  );
  bar.done();
  db.$client.close();
  console.log(`Backup written: ${backup}`);
});
