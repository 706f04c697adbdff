/** `npm run forget -- <email>`: erases an address from every waitlist in DATABASE_PATH. */
import { z } from "zod";
import { parseEnv } from "../src/server/env";
import { openAppDatabase } from "../src/server/runtime";
import { forgetEmail } from "../src/server/store/data-rights";
import { runMain, UsageError } from "./lib/cli";

const Email = z
  .string()
  .trim()
  .regex(/^[^@\s]+@[^@\s]+$/, "give the address to erase: npm run forget -- someone@example.com");

runMain(async () => {
  const parsed = Email.safeParse(process.argv[2] ?? "");
  if (!parsed.success || process.argv.length > 3) {
    throw new UsageError(parsed.error?.issues[0]?.message ?? "give one address only");
  }
  const db = await openAppDatabase(parseEnv());
  const erased = forgetEmail(db, parsed.data);
  db.$client.close();
  console.log(erased > 0 ? `Erased ${erased} signup(s) of that address.` : "That address is on no waitlist.");
});
