/** `npm run forget -- <email>`: erases an address from every waitlist in DATABASE_PATH. */
import { resolve } from "node:path";
import { z } from "zod";
import { openDatabase } from "../db/client";
import { parseEnv } from "../src/server/env";
import { forgetEmail } from "../src/server/store/data-rights";
import { runMain, UsageError } from "./lib/cli";

const Email = z
  .string()
  .trim()
  .regex(/^[^@\s]+@[^@\s]+$/, "give the address to erase: npm run forget -- someone@example.com");

runMain(() => {
  const parsed = Email.safeParse(process.argv[2] ?? "");
  if (!parsed.success || process.argv.length > 3) {
    throw new UsageError(parsed.error?.issues[0]?.message ?? "give one address only");
  }
  const db = openDatabase(resolve(parseEnv().DATABASE_PATH));
  const erased = forgetEmail(db, parsed.data);
  db.$client.close();
  console.log(erased > 0 ? `Erased ${erased} signup(s) of that address.` : "That address is on no waitlist.");
});
