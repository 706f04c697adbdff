/**
 * Admin sessions on the server side: the signing key (SESSION_SECRET, or a random key made
 * once and kept in the database, like the email-link key), the "not valid before" stamp
 * that signing out moves to now, and sign-in / check / sign-out.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "../../../db/client";
import { appSecrets } from "../../../db/schema";
import { createSessionToken, isValidSessionToken, type SessionKeys } from "../../domain/admin-session";
import { appSecret } from "./secrets";

const NOT_BEFORE = "admin-sessions-not-before";

export function adminSessionKey(db: Database, sessionSecret: string | undefined): string {
  return sessionSecret ?? appSecret(db, "admin-session");
}

function notBefore(db: Database): number {
  const row = db.query.appSecrets.findFirst({ where: (s, { eq }) => eq(s.name, NOT_BEFORE) }).sync();
  return Number(row?.value ?? 0) || 0;
}

/** A new session's cookie value, issued after the last sign-out even if the clock has not moved. */
export function startAdminSession(db: Database, keys: SessionKeys, now: Date): string {
  const issuedAt = Math.max(now.getTime(), notBefore(db) + 1);
  return createSessionToken(keys, randomBytes(16).toString("base64url"), new Date(issuedAt));
}

export function isAdminSession(db: Database, keys: SessionKeys, token: string | undefined, now: Date): boolean {
  if (!token) return false;
  return isValidSessionToken(keys, token, { now, notBefore: notBefore(db) });
}

/** Signing out ends every session issued until now (there is one admin; all their devices sign in again). */
export function endAdminSessions(db: Database, now: Date): void {
  const value = String(Math.max(now.getTime(), notBefore(db)));
  db.insert(appSecrets)
    .values({ name: NOT_BEFORE, value })
    .onConflictDoUpdate({ target: appSecrets.name, set: { value } })
    .run();
}
