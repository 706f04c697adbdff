/**
 * The server's timers: rollups and decisions of settled days, and the weekly digest when
 * its slot has passed. Each reads the composition root's clock, so a test that pins it
 * pins them too.
 */

import { lastWholeDay, utcDay } from "../../domain/calendar";
import { reachedVerdictOf } from "../../domain/reached-verdict";
import type { App } from "../runtime";
import { refreshRollups } from "../store/counts";
import { recordDecisions } from "../store/decisions";
import { queueScheduledDigest } from "./digest";
import { queueVerdictNotification, queueVerdictReached } from "./verdict-news";

/**
 * Now (so the first look at /admin is as fast as the next) and every 10 minutes, so a
 * new day is folded in soon after it settles: rolls up the settled days, then looks at
 * each whole day the decision log has not judged and logs the first verdicts reached.
 * The decisions are taken here, once a day is whole, and not by the pages: a page only
 * reads (a GET writes nothing), and a verdict taken on a day still filling up could be
 * undone before midnight — a look is a whole day, the same for the page, the digest and the log.
 */
export function scheduleSettledDays(app: App): () => void {
  const tick = () => {
    try {
      refreshRollups(app.db, utcDay(app.now()));
    } catch (error) {
      app.logError(`rollups: ${String(error)}`);
    }
    try {
      const now = app.now();
      const logged = recordDecisions(app.db, app.concepts, lastWholeDay(now), now, (tx, concept, decision) => {
        const news = reachedVerdictOf(concept.slug, decision);
        queueVerdictReached(tx, app.webhooks, news, now);
        queueVerdictNotification(tx, app.notify, news, now);
      });
      if (logged > 0) app.emailQueued();
    } catch (error) {
      app.logError(`decisions: ${String(error)}`);
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
