/**
 * Activity lines as sentences (decision 030): "Aina a passé le prospect Site vitrine à « Gagné »", "Claude a lu
 * 12 tâches". A sentence is its actor and parts: text, and the object's name, which the page links to the
 * object. Lines come from the domain's vocabulary (packages/domain/src/vocabulary/activity.ts).
 */
import type { ActivityKind, ActivityLine } from "@fataplus/domain/vocabulary";
import { appT, dictionary } from "./app";
import { crmT } from "./crm";
import type { Lang } from "./ui";

export type SentencePart = { text: string } | { object: string };
export type Sentence = { actor: string; parts: SentencePart[] };

/** Per kind: the definite article and noun (before a name), the indefinite noun phrase, the plural. */
const NOUNS: Record<Lang, Record<ActivityKind, [string, string, string]>> = {
  fr: {
    tasks: ["la tâche", "une tâche", "tâches"],
    clients: ["le client", "un client", "clients"],
    leads: ["le prospect", "un prospect", "prospects"],
    projects: ["le projet", "un projet", "projets"],
    notes: ["la note", "une note", "notes"],
    documents: ["le document", "un document", "documents"],
    file_requests: ["le fichier demandé", "un fichier demandé", "fichiers demandés"],
    approvals: ["la validation de", "une validation", "validations"],
    messages: ["le message", "un message", "messages"],
    proposals: ["la proposition", "une proposition", "propositions"],
    invitations: ["l'invitation", "une invitation", "invitations"],
    members: ["le membre", "un membre", "membres"],
    emails: ["l'e-mail", "un e-mail", "e-mails"],
    accounts: ["le compte", "un compte", "comptes"],
    other: ["l'élément", "un élément", "éléments"],
  },
  en: {
    tasks: ["the task", "a task", "tasks"],
    clients: ["the client", "a client", "clients"],
    leads: ["the lead", "a lead", "leads"],
    projects: ["the project", "a project", "projects"],
    notes: ["the note", "a note", "notes"],
    documents: ["the document", "a document", "documents"],
    file_requests: ["the requested file", "a requested file", "requested files"],
    approvals: ["the approval of", "an approval", "approvals"],
    messages: ["the message", "a message", "messages"],
    proposals: ["the proposal", "a proposal", "proposals"],
    invitations: ["the invitation", "an invitation", "invitations"],
    members: ["the member", "a member", "members"],
    emails: ["the e-mail", "an e-mail", "e-mails"],
    accounts: ["the account", "an account", "accounts"],
    other: ["the item", "an item", "items"],
  },
};

/** What each verb says, before the object (`{n}`: a count; the object follows unless the verb has none). */
const VERBS = {
  fr: {
    create: "a créé",
    update: "a modifié",
    delete: "a supprimé",
    share: "a partagé",
    request: "a demandé",
    submit: "a envoyé",
    accept: "a accepté",
    reject: "a refusé",
    changes: "a demandé des modifications sur",
    remind: "a relancé",
    ask_approval: "a demandé la validation de",
    approve: "a validé",
    post: "a écrit",
    send: "a envoyé",
    invite: "a invité",
    join: "a rejoint le projet",
    revoke: "a annulé",
    resend: "a renvoyé",
    role_change: "a changé le rôle d'",
    remove: "a retiré",
    read: "a lu",
    search: "a fait",
    add: "a ajouté",
    intake: "a créé",
    deactivate: "a désactivé",
    reactivate: "a réactivé",
    account_settings: "a modifié les réglages de son compte",
    agency_settings: "a modifié les réglages de l'agence",
    other: "a effectué",
  },
  en: {
    create: "created",
    update: "updated",
    delete: "deleted",
    share: "shared",
    request: "requested",
    submit: "uploaded",
    accept: "accepted",
    reject: "declined",
    changes: "asked for changes to",
    remind: "sent a reminder for",
    ask_approval: "asked for approval of",
    approve: "approved",
    post: "wrote",
    send: "sent",
    invite: "invited",
    join: "joined the project",
    revoke: "revoked",
    resend: "re-sent",
    role_change: "changed the role of",
    remove: "removed",
    read: "read",
    search: "ran",
    add: "added",
    intake: "created",
    deactivate: "deactivated",
    reactivate: "reactivated",
    account_settings: "changed their account settings",
    agency_settings: "changed the agency's settings",
    other: "did",
  },
} as const;

const WORDS = {
  fr: {
    someone: "Quelqu'un",
    agent: "Un assistant IA",
    intake: "Le formulaire de demande",
    system: "Fataplus",
    movedTo: "à",
    times: (n: number) => (n === 1 ? "une fois" : `${n} fois`),
    searches: (n: number) => (n === 1 ? "une recherche" : `${n} recherches`),
    lookedAt: "a consulté les",
    failed: " (en échec)",
    person: "une personne",
    open: "«\u00a0",
    close: "\u00a0»",
  },
  en: {
    someone: "Someone",
    agent: "An AI assistant",
    intake: "The intake form",
    system: "Fataplus",
    movedTo: "to",
    times: (n: number) => (n === 1 ? "once" : `${n} times`),
    searches: (n: number) => (n === 1 ? "a search" : `${n} searches`),
    lookedAt: "looked at the",
    failed: " (failed)",
    person: "someone",
    open: "“",
    close: "”",
  },
} as const;

/** A changed field's value in words (a lead's stage, a task's or project's status, a project's phase). */
function changedValue(lang: Lang, kind: ActivityKind, field: string, value: string): string {
  const words: Record<string, string> = { ...appT.strings(lang), ...crmT.strings(lang) };
  const key = field === "stage" ? `stage.${value}` : kind === "tasks" ? `task.${value}` : `${field}.${value}`;
  return words[key] ?? value;
}

/** One line as a sentence in `lang`. */
export function activitySentence(line: ActivityLine, lang: Lang): Sentence {
  const w = WORDS[lang];
  const [the, an, plural] = NOUNS[lang][line.kind];
  const verb = VERBS[lang][line.verb];
  const actor =
    line.actor.name ??
    (line.verb === "intake"
      ? w.intake
      : line.actor.type === "token"
        ? w.agent
        : line.actor.type === "system"
          ? w.system
          : w.someone);
  const text = (t: string): SentencePart => ({ text: t });
  const objectPhrase = (): SentencePart[] =>
    line.object.name ? [text(`${the} `), { object: line.object.name }] : [text(an)];
  const tail = line.failed ? [text(w.failed)] : [];
  const parts = ((): SentencePart[] => {
    switch (line.verb) {
      case "read":
        if (line.calls) return [text(`${w.lookedAt} ${plural} (${w.times(line.count)})`)];
        return [text(`${verb} ${line.count === 1 ? an : `${line.count} ${plural}`}`)];
      case "search":
        return [text(`${verb} ${w.searches(line.count)}`)];
      case "join":
      case "account_settings":
      case "agency_settings":
        return [text(verb)];
      case "post":
        return [text(`${verb} `), { object: an }];
      case "invite":
        return [text(`${verb} ${w.person}`)];
      case "other":
        return [text(`${verb} ${w.open}${line.action}${w.close}`)];
      case "role_change":
        return lang === "fr" ? [text(`${verb}un membre`)] : [text(`${verb} a member`)];
      default:
        break;
    }
    if (line.count > 1) return [text(`${verb} ${line.count} ${plural}`)];
    if (line.kind === "approvals" || (line.kind === "file_requests" && line.verb !== "remind")) {
      // "a validé Maquette v2", "a demandé le fichier Logo": the document or file's own name
      const name = line.object.name;
      const noun = line.kind === "file_requests" ? (lang === "fr" ? "le fichier" : "the file") : "";
      if (!name) return [text(`${verb} ${an}`)];
      return [text(`${verb} ${noun ? `${noun} ` : ""}`), { object: name }];
    }
    if (line.change) {
      const value = changedValue(lang, line.kind, line.change.field, line.change.value);
      const moved = lang === "fr" ? "a passé" : "moved";
      return [text(`${moved} `), ...objectPhrase(), text(` ${w.movedTo} ${w.open}${value}${w.close}`)];
    }
    return [text(`${verb} `), ...objectPhrase()];
  })();
  return { actor, parts: [...parts, ...tail] };
}

/** A sentence as plain text (e-mails, tests, accessible labels). */
export const sentenceText = (s: Sentence): string =>
  `${s.actor} ${s.parts.map((p) => ("text" in p ? p.text : p.object)).join("")}`;

/** A day heading: "Aujourd'hui", "Hier", else the date ("jeudi 3 décembre 2026"). */
export function dayHeading(day: string, today: string, yesterday: string, lang: Lang): string {
  if (day === today) return lang === "fr" ? "Aujourd'hui" : "Today";
  if (day === yesterday) return lang === "fr" ? "Hier" : "Yesterday";
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));
}

/** Strings of a client's or a lead's timeline (components/crm/Timeline.astro). */
export const timelineT = dictionary(
  {
    title: "Historique",
    empty: "Rien pour le moment.",
    unavailable: "L'historique n'a pas pu être lu.",
    pages: "Pages de l'historique",
    older: "Plus ancien →",
    newest: "← Le plus récent",
  },
  {
    title: "History",
    empty: "Nothing yet.",
    unavailable: "The history could not be read.",
    pages: "History pages",
    older: "Older →",
    newest: "← Newest",
  },
);
