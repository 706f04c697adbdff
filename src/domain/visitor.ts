/**
 * Cookie-less visitor identity, after Plausible: a keyed hash of a daily secret salt, the
 * IP, the User-Agent and the concept. The salt is deleted when the day ends, so a hash can
 * never be linked back to an IP, nor the same person across days ("visitor-days").
 */
import { createHash } from "node:crypto";
import { isbot } from "isbot";

export interface VisitorFingerprint {
  salt: string;
  ip: string;
  userAgent: string;
  concept: string;
}

export function visitorHash({ salt, ip, userAgent, concept }: VisitorFingerprint): string {
  return createHash("sha256").update(`${salt}\n${ip}\n${userAgent}\n${concept}`).digest("base64url").slice(0, 24);
}

/** Crawlers, link previewers and headless browsers are not visitors; neither is a missing User-Agent. */
export function isBot(userAgent: string | undefined): boolean {
  return !userAgent || isbot(userAgent) || /headless|phantomjs|lighthouse/i.test(userAgent);
}
