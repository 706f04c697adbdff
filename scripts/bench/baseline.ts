/**
 * The physical limit to compare against: bare node:http and better-sqlite3 doing the same
 * inserts as racine's ingestion (same tables, pragmas and conflict rules), and nothing
 * else — no validation, no hashing, no rate limiting.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

const db = openDatabase(process.env.DATABASE_PATH ?? ":memory:");
migrateDatabase(db);
const insertSignup = db.$client.prepare(
  `insert into signups (concept, variant, email, email_key, name, lang, visitor_hash, created_at)
   values (?, 'control', ?, ?, null, 'fr', 'baseline', ?) on conflict do nothing`,
);
const insertView = db.$client.prepare(
  `insert into views (concept, variant, visitor_hash, day, created_at) values (?, 'control', ?, ?, ?) on conflict do nothing`,
);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { concept: string; email?: string };
    const now = Date.now();
    if (req.url === "/api/signup") {
      insertSignup.run(body.concept, body.email, body.email, now);
      res.writeHead(201, { "content-type": "application/json" });
      res.end('{"ok":true}');
    } else {
      insertView.run(body.concept, req.headers["user-agent"] ?? "", new Date(now).toISOString().slice(0, 10), now);
      res.writeHead(204);
      res.end();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`baseline is listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
