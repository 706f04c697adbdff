/**
 * Every string a visitor can read, in French and English, plus locale-aware formatting.
 * The server, the static pages and the inline form script all draw from this one table.
 */
import type { Lang, Price } from "./concept";

const fr = {
  "form.email": "Votre e-mail",
  "form.emailPlaceholder": "vous@exemple.fr",
  "form.name": "Votre prénom (facultatif)",
  "form.submit": "Rejoindre la liste d’attente",
  "form.sending": "Envoi…",
  "form.privacy": "Un e-mail au lancement, rien d’autre. Désinscription en un clic.",
  "form.honeypot": "Laissez ce champ vide",
  "form.success": "C’est noté ! Vous serez parmi les premiers prévenus.",
  "form.pending": "Presque fini ! Confirmez votre inscription avec le lien que nous venons de vous envoyer par e-mail.",
  "thanks.pending.title": "Plus qu’une étape !",
  "thanks.pending.text":
    "Nous venons de vous envoyer un e-mail. Cliquez sur le lien qu’il contient pour confirmer votre inscription : tant que ce n’est pas fait, vous n’êtes pas sur la liste.",
  "thanks.resend.intro":
    "Rien reçu au bout de quelques minutes ? Vérifiez vos courriers indésirables, ou demandez un nouveau lien :",
  "thanks.resend.button": "Renvoyer le lien",
  "thanks.resend.done": "Si cette adresse attend une confirmation, nous venons de renvoyer le lien.",
  "email.confirm.subject": "Confirmez votre inscription — {title}",
  "email.confirm.intro":
    "Merci de votre intérêt pour {title} ! Pour rejoindre la liste d’attente, confirmez votre adresse :",
  "email.confirm.button": "Je confirme mon inscription",
  "email.confirm.ignore": "Si vous n’avez rien demandé, ignorez simplement cet e-mail : vous ne recevrez rien d’autre.",
  "email.footer": "Vous recevez cet e-mail parce que cette adresse a été inscrite sur la liste d’attente de {title}.",
  "email.unsubscribe": "Se désinscrire",
  "email.announcement.footer":
    "Vous recevez cet e-mail parce que vous avez confirmé votre inscription sur la liste d’attente de {title}.",
  "confirm.ask.title": "Confirmez votre inscription",
  "confirm.ask.text": "Un clic sur le bouton ci-dessous, et vous êtes sur la liste d’attente de {title}.",
  "confirm.done.title": "Inscription confirmée !",
  "confirm.done.text":
    "Vous êtes sur la liste d’attente de {title}. Nous vous écrirons au lancement, et seulement à ce moment-là.",
  "confirm.invalid": "Ce lien n’est pas valide. Copiez-le en entier depuis l’e-mail, ou inscrivez-vous à nouveau.",
  "confirm.expired": "Ce lien a expiré. Inscrivez-vous à nouveau pour en recevoir un autre.",
  "unsubscribe.title": "Se désinscrire",
  "unsubscribe.text": "Vous ne recevrez plus aucun e-mail au sujet de {title}.",
  "unsubscribe.button": "Me désinscrire",
  "unsubscribe.done": "C’est fait : vous ne recevrez plus d’e-mail au sujet de {title}.",
  "ab.notice":
    "Nous comparons plusieurs versions de cette page. Pour vous montrer toujours la même, un cookie « {cookie} » retient la version vue et le jour de votre première visite (rien d’autre, 13 mois au plus).",
  "ab.tryNotice":
    "Ce lien mène au hasard vers l’une des idées que nous testons. Pour vous ramener à la même, un cookie « {cookie} » retient l’idée vue et le jour de votre première visite (rien d’autre, 13 mois au plus).",
  "ab.optOut": "Refuser ce cookie",
  "ab.optedOut": "C’est noté : aucun cookie de test A/B ne sera plus lu ni écrit sur ce site.",
  "form.closed.paused": "La liste d’attente est en pause pour le moment. Revenez bientôt !",
  "form.closed.ended": "Cette liste d’attente est close. Merci de votre intérêt !",
  "error.email.required": "Indiquez votre adresse e-mail.",
  "error.email.invalid": "Cette adresse e-mail ne semble pas valide. Vérifiez-la ?",
  "error.email.too_long": "Cette adresse e-mail est trop longue (254 caractères au maximum).",
  "error.email.domain_invalid":
    "La partie après @ de cette adresse n’est pas un nom de domaine auquel on peut écrire. Vérifiez-la ?",
  "error.name.too_long": "Ce prénom est trop long (80 caractères au maximum).",
  "error.name.invalid": "Ce prénom contient des caractères non autorisés.",
  "error.variant.unknown": "Cette version de la page n’existe plus. Rechargez la page.",
  "error.concept.unknown": "Cette liste d’attente n’existe pas ou n’est plus ouverte.",
  "error.field.unknown": "Champ inattendu.",
  "error.field.invalid": "Valeur invalide.",
  "error.request.invalid": "La demande n’a pas pu être lue. Réessayez.",
  "error.network": "Connexion impossible. Vérifiez votre réseau et réessayez.",
  "error.rate_limited": "Trop de tentatives d’un coup. Réessayez dans quelques minutes.",
  "page.price": "Prix prévu",
  "page.includes": "Dans chaque box",
  "page.faq": "Questions fréquentes",
  "page.join": "Soyez les premiers",
  "page.joinText":
    "Nous lançons seulement s’il y a assez d’intérêt. Inscrivez-vous pour être prévenu et profiter du prix de lancement.",
  "page.noCommitment": "Sans engagement, sans paiement.",
  "page.home.title": "Nos prochaines idées",
  "page.home.intro":
    "Nous testons ces idées avant de les construire. Celle qui vous tente le plus, dites-le-nous en rejoignant sa liste d’attente.",
  "page.home.empty": "Aucune idée en test pour le moment.",
  "page.home.discover": "Découvrir",
  "page.footer": "Une idée en test : rien n’est encore à vendre.",
  "thanks.title": "Merci, c’est noté !",
  "thanks.text": "Vous êtes sur la liste d’attente. Nous vous écrirons au lancement, et seulement à ce moment-là.",
  "thanks.back": "Retour à la page",
  "notFound.title": "Page introuvable",
  "notFound.text": "Cette page n’existe pas ou plus.",
  "notFound.home": "Voir les idées en test",
  "tiers.title": "Choisissez votre formule",
  "tiers.from": "dès {price}",
  "tiers.honest": "Rien n’est vendu ni débité : en choisissant une formule, vous nous dites ce qui vous intéresse.",
  "tiers.choose": "Choisir {name}",
  "tiers.chosen":
    "Formule {name}, {price} : pas encore prête. Rejoignez la liste d’attente et obtenez ce prix au lancement.",
  "tiers.others": "Voir les autres formules",
  "steps.title": "Encore une minute ?",
  "steps.intro": "Tout est facultatif, et ne change rien à votre inscription.",
  "question.submit": "Répondre",
  "question.saved": "Merci pour votre réponse ! Vous pourrez la modifier une fois.",
  "question.changed": "Réponse modifiée. Elle est désormais enregistrée telle quelle.",
  "question.unchanged": "C’est déjà votre réponse : rien n’a changé.",
  "question.current": "Votre réponse est enregistrée. Vous pouvez encore la modifier une fois.",
  "question.final": "Votre réponse est enregistrée, merci !",
  "interview.prompt": "Nous accorderiez-vous 15 minutes pour nous en dire plus ?",
  "interview.when": "Quand vous joindre ? (facultatif, par exemple « mardi soir »)",
  "interview.submit": "Oui, avec plaisir",
  "interview.done": "Merci ! Nous vous écrirons pour convenir d’un moment.",
  "reserve.text":
    "Vous voulez être sûr d’avoir la vôtre ? Réservez-la : rien n’est débité, aucun paiement n’est demandé.",
  "reserve.submit": "Réserver la mienne",
  "reserve.done":
    "C’est réservé. Rien n’a été débité : nous vous écrirons quand ce sera prêt, et vous déciderez à ce moment-là.",
  "error.tier.unknown": "Cette formule n’existe pas (ou plus) sur cette page. Rechargez la page.",
  "error.step.invalid": "Ce formulaire n’est pas valable. Rechargez la page de la liste d’attente.",
  "error.step.expired": "Ce formulaire a expiré. Merci quand même : votre inscription, elle, est enregistrée.",
  "error.step.unavailable": "Cette étape n’est pas proposée pour cette liste d’attente.",
  "error.answer.choose": "Choisissez une réponse, ou laissez cette question de côté.",
  "error.answer.one": "Choisissez une seule réponse.",
  "error.answer.invalid": "Cette réponse ne fait pas partie des choix proposés.",
  "error.answer.empty": "Écrivez quelques mots, ou laissez cette question de côté.",
  "error.answer.too_long": "Votre réponse est trop longue (280 caractères au maximum).",
  "error.answer.locked": "Vous avez déjà modifié votre réponse une fois : elle reste enregistrée telle quelle.",
  "error.when.too_long": "Ce créneau est trop long (120 caractères au maximum).",
  "error.when.invalid": "Ce créneau contient des caractères non autorisés.",
  "period.month": "/ mois",
  "period.year": "/ an",
  "period.week": "/ semaine",
  "period.once": "",
} as const;

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  "form.email": "Your email",
  "form.emailPlaceholder": "you@example.com",
  "form.name": "Your first name (optional)",
  "form.submit": "Join the waitlist",
  "form.sending": "Sending…",
  "form.privacy": "One email at launch, nothing else. Unsubscribe in one click.",
  "form.honeypot": "Leave this field empty",
  "form.success": "You’re on the list! You’ll be among the first to know.",
  "form.pending": "Almost done! Confirm your signup with the link we’ve just emailed you.",
  "thanks.pending.title": "One more step!",
  "thanks.pending.text":
    "We’ve just sent you an email. Click the link inside to confirm your signup: until you do, you’re not on the list.",
  "thanks.resend.intro": "Nothing after a few minutes? Check your spam folder, or ask for a new link:",
  "thanks.resend.button": "Send the link again",
  "thanks.resend.done": "If this address is waiting for confirmation, we’ve just sent the link again.",
  "email.confirm.subject": "Confirm your signup — {title}",
  "email.confirm.intro": "Thanks for your interest in {title}! To join the waitlist, please confirm your address:",
  "email.confirm.button": "Confirm my signup",
  "email.confirm.ignore": "If you didn’t ask for this, just ignore this email: you won’t hear from us again.",
  "email.footer": "You are receiving this email because this address was entered on the waitlist for {title}.",
  "email.unsubscribe": "Unsubscribe",
  "email.announcement.footer":
    "You are receiving this email because you confirmed your place on the waitlist for {title}.",
  "confirm.ask.title": "Confirm your signup",
  "confirm.ask.text": "One click on the button below, and you’re on the waitlist for {title}.",
  "confirm.done.title": "You’re on the list!",
  "confirm.done.text": "You’re on the waitlist for {title}. We’ll write when we launch, and only then.",
  "confirm.invalid": "This link isn’t valid. Copy it whole from the email, or sign up again.",
  "confirm.expired": "This link has expired. Sign up again to get a new one.",
  "unsubscribe.title": "Unsubscribe",
  "unsubscribe.text": "You won’t receive any more email about {title}.",
  "unsubscribe.button": "Unsubscribe me",
  "unsubscribe.done": "Done: you won’t receive any more email about {title}.",
  "ab.notice":
    "We are comparing versions of this page. To always show you the same one, a cookie “{cookie}” keeps the version you saw and the day of your first visit (nothing else, 13 months at most).",
  "ab.tryNotice":
    "This link leads at random to one of the ideas we are testing. To bring you back to the same one, a cookie “{cookie}” keeps the idea you saw and the day of your first visit (nothing else, 13 months at most).",
  "ab.optOut": "Refuse this cookie",
  "ab.optedOut": "Done: no A/B test cookie will be read or written on this site any more.",
  "form.closed.paused": "The waitlist is paused for now. Come back soon!",
  "form.closed.ended": "This waitlist is closed. Thank you for your interest!",
  "error.email.required": "Please enter your email address.",
  "error.email.invalid": "This email address doesn’t look right. Could you check it?",
  "error.email.too_long": "This email address is too long (254 characters at most).",
  "error.email.domain_invalid": "The part after the @ is not a domain that email can be sent to. Could you check it?",
  "error.name.too_long": "This name is too long (80 characters at most).",
  "error.name.invalid": "This name contains characters that are not allowed.",
  "error.variant.unknown": "This version of the page no longer exists. Please reload.",
  "error.concept.unknown": "This waitlist doesn’t exist or is no longer open.",
  "error.field.unknown": "Unexpected field.",
  "error.field.invalid": "Invalid value.",
  "error.request.invalid": "We couldn’t read that request. Please try again.",
  "error.network": "Couldn’t connect. Check your connection and try again.",
  "error.rate_limited": "Too many attempts at once. Please try again in a few minutes.",
  "page.price": "Planned price",
  "page.includes": "In every box",
  "page.faq": "Questions",
  "page.join": "Be the first",
  "page.joinText": "We’ll only launch if enough people want it. Join to hear first and get the launch price.",
  "page.noCommitment": "No commitment, no payment.",
  "page.home.title": "Ideas we are testing",
  "page.home.intro": "We test these ideas before building them. Tell us which one you want by joining its waitlist.",
  "page.home.empty": "No idea is being tested right now.",
  "page.home.discover": "Discover",
  "page.footer": "An idea being tested: nothing is for sale yet.",
  "thanks.title": "Thank you, you’re on the list!",
  "thanks.text": "We’ll write to you when we launch, and only then.",
  "thanks.back": "Back to the page",
  "notFound.title": "Page not found",
  "notFound.text": "This page doesn’t exist, or no longer does.",
  "notFound.home": "See the ideas being tested",
  "tiers.title": "Pick your tier",
  "tiers.from": "from {price}",
  "tiers.honest": "Nothing is sold or charged: choosing a tier tells us what you’d want.",
  "tiers.choose": "Choose {name}",
  "tiers.chosen": "{name}, {price}, isn’t ready yet: join the waitlist and get this price at launch.",
  "tiers.others": "See the other tiers",
  "steps.title": "One more minute?",
  "steps.intro": "All of this is optional, and changes nothing about your signup.",
  "question.submit": "Answer",
  "question.saved": "Thank you for your answer! You can change it once.",
  "question.changed": "Answer changed. It is now saved as it is.",
  "question.unchanged": "That is already your answer: nothing changed.",
  "question.current": "Your answer is saved. You can still change it once.",
  "question.final": "Your answer is saved, thank you!",
  "interview.prompt": "Would you give us 15 minutes to tell us more?",
  "interview.when": "When suits you? (optional, e.g. “Tuesday evening”)",
  "interview.submit": "Yes, happy to",
  "interview.done": "Thank you! We’ll email you to find a time.",
  "reserve.text": "Want to be sure to get yours? Reserve it: nothing is charged, no payment is asked for.",
  "reserve.submit": "Reserve mine",
  "reserve.done": "Reserved. Nothing was charged: we’ll write to you when it’s ready, and you decide then.",
  "error.tier.unknown": "This tier doesn’t exist (or no longer does) on this page. Please reload.",
  "error.step.invalid": "This form isn’t valid. Please reload the waitlist page.",
  "error.step.expired": "This form has expired. Thank you all the same: your signup itself is saved.",
  "error.step.unavailable": "This step isn’t offered on this waitlist.",
  "error.answer.choose": "Pick an answer, or skip this question.",
  "error.answer.one": "Pick a single answer.",
  "error.answer.invalid": "This answer isn’t one of the choices.",
  "error.answer.empty": "Write a few words, or skip this question.",
  "error.answer.too_long": "Your answer is too long (280 characters at most).",
  "error.answer.locked": "You’ve already changed your answer once: it stays saved as it is.",
  "error.when.too_long": "This time is too long (120 characters at most).",
  "error.when.invalid": "This time contains characters that are not allowed.",
  "period.month": "/ month",
  "period.year": "/ year",
  "period.week": "/ week",
  "period.once": "",
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { fr, en };

/** A message, with `{name}` placeholders filled in. */
export function t(lang: Lang, key: MessageKey, values: Record<string, string> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

/** Picks fr or en from an Accept-Language header; English when nothing matches. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  const ranked = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { base: tag.split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const match = ranked.find((entry) => entry.base === "fr" || entry.base === "en");
  return match?.base === "fr" ? "fr" : "en";
}

export function formatPrice(price: Price, lang: Lang): string {
  const amount = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "currency",
    currency: price.currency,
    minimumFractionDigits: Number.isInteger(price.amount) ? 0 : 2,
  }).format(price.amount);
  const period = t(lang, `period.${price.period}`);
  return period ? `${amount} ${period}` : amount;
}
