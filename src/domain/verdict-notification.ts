/**
 * The founder's email when an idea (or a variant) reaches its verdict: what was decided,
 * on which figures, against which target, and a link to the report. HTML for Gmail,
 * Outlook and Apple Mail (tables, inline CSS, fluid to 600 px) and a plain-text part.
 * Pure: the decision and the concept come in, the email goes out.
 */
import { conversionRate, formatPercent } from "./analytics";
import type { Thresholds } from "./concept";
import type { EmailContent } from "./email";
import { emailButton, emailColors, emailFrame, VERDICT_COLOR } from "./email-html";
import { escapeHtml } from "./html";
import type { ReachedVerdict } from "./reached-verdict";
import { formatLift, verdictLabel } from "./verdict";

export interface VerdictNotificationInput {
  /** The target is what an idea's verdict is against. */
  concept: { title: string; successCriteria: Pick<Thresholds, "minConversionPercent"> };
  decision: ReachedVerdict;
  /** The concept's report on /admin, absolute. */
  reportUrl: string;
}

/** What was decided, in one line: the subject, and the email's heading. */
function headline({ concept, decision }: VerdictNotificationInput): string {
  if (decision.kind === "idea") return `${concept.title}: ${verdictLabel(decision)}`;
  const variant = decision.variant ?? "a variant";
  const against =
    decision.outcome === "better"
      ? "beats the control"
      : decision.outcome === "worse"
        ? "does worse than the control"
        : decision.outcome === "equivalent"
          ? "is equivalent to the control"
          : verdictLabel(decision);
  return `${concept.title}: variant ${variant} ${against}`;
}

/** Why it matters, in the terms of the criteria written before the test. */
function meaning({ concept, decision }: VerdictNotificationInput): string {
  const target = `${concept.successCriteria.minConversionPercent} %`;
  if (decision.kind === "variant") {
    if (decision.outcome === "equivalent") return "The two convert alike: keep the simpler one.";
    if (decision.outcome === "better") return "Keep it: it converts better than the control.";
    if (decision.outcome === "worse") return "Drop it: the control converts better.";
    return "The comparison with the control is settled.";
  }
  if (decision.status === "validated")
    return `It converts above the ${target} target you set before the test, with the visitors and signups you asked for.`;
  if (decision.status === "not validated")
    return `It did not show the ${target} conversion you set before the test as the bar.`;
  return "The test is still running.";
}

export function composeVerdictNotification(input: VerdictNotificationInput): EmailContent {
  const { decision } = input;
  const subject = headline(input);
  const figures: [string, string][] = [
    ["Visitors", decision.figures.visitors.toLocaleString("en")],
    ["Signups", decision.figures.signups.toLocaleString("en")],
    ["Conversion", formatPercent(conversionRate(decision.figures))],
    decision.kind === "idea"
      ? ["Target", `${input.concept.successCriteria.minConversionPercent} %`]
      : ["Lift over the control", formatLift(decision.figures.lift)],
  ];
  const c = emailColors;
  const cell = `font-family:Arial,Helvetica,sans-serif;font-size:15px;padding:6px 0;border-top:1px solid ${c.line};`;
  const rows = figures
    .map(
      ([label, value]) =>
        `<tr><td style="${cell}color:${c.muted};">${escapeHtml(label)}</td><td align="right" style="${cell}color:${c.ink};font-weight:bold;">${escapeHtml(value)}</td></tr>`,
    )
    .join("");
  const body = `<p style="margin:0;font-size:13px;color:${c.muted};">Verdict reached on ${escapeHtml(decision.reachedOn)}</p>
<h1 style="margin:4px 0 12px;font-size:22px;line-height:1.3;font-family:Arial,Helvetica,sans-serif;color:${VERDICT_COLOR[decision.status]};">${escapeHtml(subject)}</h1>
<p style="margin:0 0 12px;">${escapeHtml(meaning(input))}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;">${rows}</table>
${emailButton(input.reportUrl, "Open the report")}`;
  const text = [
    subject,
    `Verdict reached on ${decision.reachedOn}.`,
    "",
    meaning(input),
    "",
    ...figures.map(([label, value]) => `${label}: ${value}`),
    "",
    `The report: ${input.reportUrl}`,
  ].join("\n");
  return {
    subject,
    html: emailFrame("en", subject, body, "racine tells you once, the day a verdict is reached (NOTIFY_TO)."),
    text,
    headers: {},
  };
}
