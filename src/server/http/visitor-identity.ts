/**
 * The cookie-less visitor id of a request: the daily salt (cached for the day), the
 * client IP and User-Agent, and the concept. Shared by view counting, signups and the
 * variant split, so all three agree on who a visitor is; and whether a User-Agent is one.
 */

import type { IncomingMessage } from "node:http";
import { utcDay } from "../../domain/calendar";
import { isBot, visitorHash } from "../../domain/visitor";
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

/** Longer User-Agents are checked every time rather than remembered (a header can be kilobytes). */
const MAX_REMEMBERED_AGENT = 512;

/**
 * isBot, remembered per User-Agent: a site's visitors share a few hundred User-Agents, and
 * isbot's pattern is among the costliest steps of a view. Bounded: past `capacity` agents
 * the oldest is forgotten, so made-up agents cannot grow it.
 */
export function createBotFilter(capacity = 2048): (userAgent: string | undefined) => boolean {
  const known = new Map<string, boolean>();
  return (userAgent) => {
    if (!userAgent || userAgent.length > MAX_REMEMBERED_AGENT) return isBot(userAgent);
    const remembered = known.get(userAgent);
    if (remembered !== undefined) return remembered;
    const bot = isBot(userAgent);
    if (known.size >= capacity) known.delete(known.keys().next().value ?? "");
    known.set(userAgent, bot);
    return bot;
  };
}
