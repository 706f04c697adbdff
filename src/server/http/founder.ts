/** The founder's own browser, whose visits and clicks are not counted. */
import type { IncomingMessage } from "node:http";
import { isExcludedBrowser, sessionTokenOf } from "../../domain/founder-visits";

export type FounderCheck = (req: IncomingMessage) => boolean;

/**
 * Switched off on /admin, or signed in to it. The session is looked up only when its
 * cookie is there: a visitor's request costs two regular expressions.
 */
export function createFounderCheck(isAdminSession: (token: string) => boolean): FounderCheck {
  return (req) => {
    const cookie = req.headers.cookie;
    if (cookie === undefined) return false;
    if (isExcludedBrowser(cookie)) return true;
    const token = sessionTokenOf(cookie);
    return token !== undefined && isAdminSession(token);
  };
}
