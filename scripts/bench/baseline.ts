/**
 * The physical limit to compare against: bare node:http and better-sqlite3 doing what a
 * request of racine's ingestion cannot avoid (same tables, pragmas and conflict rules), and
 * nothing else — no validation, no bot filter, no rate limiting, no A/B cookie:
 * - a view: parse the JSON, compute the keyed SHA-256 visitor id of (daily salt, address,
 *   User-Agent, concept), one prepared INSERT OR IGNORE of that visitor-day;
 * - a signup: parse the JSON, one prepared insert.
 * Each insert is its own (autocommitted) transaction, answered after it.
 */
import { createHash, randomBytes } from "node:crypto";
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
const salt = randomBytes(16).toString("base64url");

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
      const address = req.socket.remoteAddress ?? "";
      const visitor = createHash("sha256")
        .update(`${salt}\n${address}\n${req.headers["user-agent"] ?? ""}\n${body.concept}`)
        .digest("base64url")
        .slice(0, 24);
      insertView.run(body.concept, visitor, new Date(now).toISOString().slice(0, 10), now);
      res.writeHead(204);
      res.end();
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`baseline is listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
