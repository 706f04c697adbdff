/** What the thank-you page shows of the thank-you step: the token's signup, where it stands, the last message. */
import type { Concept } from "../../domain/concept";
import { FRESH_STEPS, hasSteps, type StepNotice, type StepsState, stepNotice } from "../../domain/ladder-steps";
import type { App } from "../../server/runtime";
import { findSignupSteps } from "../../server/store/ladder";

export type StepsPage =
  | { kind: "none" }
  | { kind: "expired" }
  | { kind: "open"; token: string; state: StepsState; notice: StepNotice | undefined };

export function readStepsPage(app: App, concept: Concept, url: URL): StepsPage {
  const token = url.searchParams.get("step");
  if (!token || !hasSteps(concept)) return { kind: "none" };
  const check = app.steps.open(token);
  if (!check.ok)
    return check.reason === "expired" && check.concept === concept.slug ? { kind: "expired" } : { kind: "none" };
  if (check.concept !== concept.slug) return { kind: "none" };
  // Signup 0 (a repeat signup, a bot) and an erased one read as fresh: nothing tells them apart.
  const state = (check.signupId !== 0 && findSignupSteps(app.db, check.signupId)) || FRESH_STEPS;
  return { kind: "open", token, state, notice: stepNotice(url.searchParams.get("said")) };
}
