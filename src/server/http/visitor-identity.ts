/**
 * The cookie-less visitor id of a request: the daily salt (cached for the day), the
 * client IP and User-Agent, and the concept. Shared by view counting, signups and the
 * variant split, so all three agree on who a visitor is.
 */

import type { IncomingMessage } from "node:http";
import { utcDay } from "../../domain/calendar";
import { visitorHash } from "../../domain/visitor";
import type { IngestStore } from "../store/ingest-store";

/** `client` is the address the edge computed for the request (src/server/http/server.ts). */
export type VisitorIdentity = (req: IncomingMessage, client: string, concept: string, at: Date) => string;

export function createVisitorIdentity(store: Pick<IngestStore, "saltFor">): VisitorIdentity {
  let current = { day: "", salt: "" };
  return (req, client, concept, at) => {
    const day = utcDay(at);
    if (current.day !== day) current = { day, salt: store.saltFor(day) };
    return visitorHash({
      salt: current.salt,
      ip: client,
      userAgent: req.headers["user-agent"] ?? "",
      concept,
    });
  };
}
