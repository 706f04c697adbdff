/** The process's rate limiters (signup, view, login), built once from the environment; IPv6 counted by /64. */
import { createRateLimiter, type RateDecision, rateLimitSubject } from "../../domain/rate-limit";
import type { Env } from "../env";
import { clientKey } from "./client-key";

export type RateLimitedRoute = "signup" | "view" | "login";
export type RateLimits = (route: RateLimitedRoute, address: string, now: number) => RateDecision;

const ALLOW: RateDecision = { allowed: true, retryAfter: 0 };

export function createRateLimits(
  env: Pick<Env, "RATE_LIMIT" | "RATE_LIMIT_SIGNUP" | "RATE_LIMIT_VIEW" | "RATE_LIMIT_LOGIN">,
): RateLimits {
  if (!env.RATE_LIMIT) return () => ALLOW;
  const limiters = {
    signup: createRateLimiter(env.RATE_LIMIT_SIGNUP),
    view: createRateLimiter(env.RATE_LIMIT_VIEW),
    login: createRateLimiter(env.RATE_LIMIT_LOGIN),
  };
  return (route, address, now) => limiters[route].take(clientKey(rateLimitSubject(address)), now);
}
