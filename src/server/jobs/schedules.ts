/**
 * The server's timers: rollups of settled days, and the weekly digest when its slot has
 * passed. Each reads the composition root's clock, so a test that pins it pins them too.
 */
import { utcDay } from "../../domain/calendar";
import type { App } from "../runtime";
import { refreshRollups } from "../store/counts";
import { queueScheduledDigest } from "./digest";

/**
 * Rolls up the settled days now (so the first look at /admin is as fast as the next) and
 * every 10 minutes, so a new day is folded in soon after it settles. Pages only read:
 * days not yet rolled up are counted from the raw tables.
 */
export function scheduleRollups(app: App): () => void {
  const tick = () => {
    try {
      refreshRollups(app.db, utcDay(app.now()));
    } catch (error) {
      app.logError(`rollups: ${String(error)}`);
    }
  };
  tick();
  const timer = setInterval(tick, 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Every minute, queue the weekly digest when its slot has passed (DIGEST_SCHEDULE, DIGEST_TO). */
export function scheduleDigest(app: App): () => void {
  const { schedule, to } = app.settings.digest;
  if (!schedule || !to) return () => {};
  const settings = { ...app.settings.digest, schedule, to };
  const tick = () => {
    try {
      const queued = queueScheduledDigest(app.db, app.concepts, settings, app.now());
      if (queued?.status === "queued") app.emailQueued();
    } catch (error) {
      app.logError(`digest: ${String(error)}`);
    }
  };
  tick();
  const timer = setInterval(tick, 60_000);
  timer.unref();
  app.log(`  digest:   every ${schedule} (${settings.timeZone}) to ${to.join(", ")}`);
  return () => clearInterval(timer);
}
