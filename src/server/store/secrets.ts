/** Secrets made once and kept in the database, so signed links survive restarts. */
import { randomBytes } from "node:crypto";
import type { Database } from "../../../db/client";
import { appSecrets } from "../../../db/schema";

export function appSecret(db: Database, name: string): string {
  db.insert(appSecrets)
    .values({ name, value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing()
    .run();
  const row = db.query.appSecrets.findFirst({ where: (s, { eq }) => eq(s.name, name) }).sync();
  if (!row) throw new Error(`secret ${name} vanished`);
  return row.value;
}
