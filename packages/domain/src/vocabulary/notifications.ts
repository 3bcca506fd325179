/**
 * Notifications' words (docs/decisions/027-notifications.md), zod-free so the site's pages and islands share
 * them: the kinds, the channels a person chooses per kind, the defaults per role, the sentence each notification
 * reads as in French and English, and where it links to.
 */

/** Every kind of notification; each names who hears it in packages/domain/src/notifications/events.ts. */
export const notificationKinds = [
  "message",
  "request_created",
  "request_uploaded",
  "approval_requested",
  "approval_decided",
  "proposal_answered",
  "task_assigned",
  "task_due",
  "invitation_accepted",
  "bootcamp_application",
  "submission_received",
  "review_published",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** In the app only, an e-mail at once, in the project's digest, in the daily summary, or nothing at all. */
export const notificationChannels = ["app", "instant", "digest", "daily", "off"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Which kinds a role can receive at all (what the preferences page offers it). */
export const kindsForRole = {
  client: ["message", "request_created", "approval_requested", "review_published"],
  partner: ["message", "task_assigned", "task_due", "review_published"],
  project_manager: [
    "message",
    "request_uploaded",
    "approval_decided",
    "proposal_answered",
    "task_assigned",
    "task_due",
    "invitation_accepted",
    "bootcamp_application",
    "submission_received",
  ],
  admin: [
    "message",
    "request_uploaded",
    "approval_decided",
    "proposal_answered",
    "task_assigned",
    "task_due",
    "invitation_accepted",
    "bootcamp_application",
    "submission_received",
  ],
} as const satisfies Record<string, readonly NotificationKind[]>;

/**
 * The channel a person gets when they chose nothing. Clients act on what the agency asks of them, so those
 * come at once; the agency's people get their projects' traffic in a digest, and what waits a day (a task due
 * tomorrow) in the daily summary. A proposal's answer is the agency's most urgent news: at once.
 */
export function defaultChannel(
  role: "client" | "partner" | "project_manager" | "admin",
  kind: NotificationKind,
): Exclude<NotificationChannel, "off"> {
  if (role === "client")
    return kind === "request_created" || kind === "approval_requested" || kind === "review_published"
      ? "instant"
      : "digest";
  switch (kind) {
    case "proposal_answered":
    case "review_published":
      return "instant";
    case "task_due":
      return "daily";
    case "invitation_accepted":
      return "app";
    default:
      return "digest";
  }
}

/** What a notification says, from its stored parts. */
export type NotificationParts = {
  kind: string;
  variant: string | null;
  title: string;
  actor_name: string | null;
};

const who = (n: NotificationParts, fr: boolean) => n.actor_name ?? (fr ? "Quelqu’un" : "Someone");

/** The sentence of a notification in the reader's language (the title is the object's own name). */
export function notificationSentence(n: NotificationParts, locale: "fr" | "en"): string {
  const fr = locale === "fr";
  const a = who(n, fr);
  const t = `« ${n.title} »`;
  const te = `“${n.title}”`;
  switch (n.kind) {
    case "message":
      return fr ? `${a} a écrit dans le fil de ${n.title}` : `${a} wrote in the ${n.title} thread`;
    case "request_created":
      return fr ? `${a} vous demande un fichier : ${t}` : `${a} asks you for a file: ${te}`;
    case "request_uploaded":
      return fr ? `${a} a déposé le fichier demandé ${t}` : `${a} uploaded the requested file ${te}`;
    case "approval_requested":
      return fr ? `${a} attend votre validation de ${t}` : `${a} asks you to approve ${te}`;
    case "approval_decided":
      return n.variant === "approved"
        ? fr
          ? `${a} a validé ${t}`
          : `${a} approved ${te}`
        : fr
          ? `${a} demande des changements sur ${t}`
          : `${a} asked for changes to ${te}`;
    case "proposal_answered":
      return n.variant === "accepted"
        ? fr
          ? `${a} a accepté la proposition ${t}`
          : `${a} accepted the proposal ${te}`
        : fr
          ? `${a} demande des changements sur la proposition ${t}`
          : `${a} asked for changes to the proposal ${te}`;
    case "task_assigned":
      return fr ? `${a} vous a confié la tâche ${t}` : `${a} assigned you the task ${te}`;
    case "task_due":
      return n.variant === "overdue"
        ? fr
          ? `La tâche ${t} est en retard`
          : `The task ${te} is overdue`
        : fr
          ? `La tâche ${t} est à rendre demain`
          : `The task ${te} is due tomorrow`;
    case "invitation_accepted":
      return fr ? `${a} a rejoint le projet ${t}` : `${a} joined the project ${te}`;
    case "bootcamp_application":
      return fr ? `Nouvelle candidature pour ${t}` : `New application for ${te}`;
    case "submission_received":
      return fr ? `${a} a rendu le devoir ${t}` : `${a} submitted the assignment ${te}`;
    case "review_published":
      return fr ? `Votre devoir ${t} a été corrigé` : `Your assignment ${te} has been reviewed`;
    default:
      return n.title;
  }
}

/** The name of a kind on the preferences page. */
export function notificationKindLabel(kind: NotificationKind, locale: "fr" | "en"): string {
  const fr: Record<NotificationKind, string> = {
    message: "Messages du fil de projet",
    request_created: "Fichiers demandés",
    request_uploaded: "Fichiers déposés par le client",
    approval_requested: "Validations demandées",
    approval_decided: "Validations et demandes de changements",
    proposal_answered: "Réponses aux propositions",
    task_assigned: "Tâches qui vous sont confiées",
    task_due: "Tâches à rendre demain ou en retard",
    invitation_accepted: "Invitations acceptées",
    bootcamp_application: "Candidatures au bootcamp",
    submission_received: "Devoirs à corriger",
    review_published: "Corrections publiées",
  };
  const en: Record<NotificationKind, string> = {
    message: "Messages in the project thread",
    request_created: "Files requested from you",
    request_uploaded: "Files uploaded by the client",
    approval_requested: "Approvals asked of you",
    approval_decided: "Approvals and change requests",
    proposal_answered: "Answers to proposals",
    task_assigned: "Tasks assigned to you",
    task_due: "Tasks due tomorrow or overdue",
    invitation_accepted: "Invitations accepted",
    bootcamp_application: "Bootcamp applications",
    submission_received: "Assignments to review",
    review_published: "Reviews published",
  };
  return (locale === "fr" ? fr : en)[kind];
}

export type NotificationTarget = { object_type: string; object_id: string; tenant_subdomain: string };

/**
 * Where a notification leads: on the project's portal (its own subdomain) or in the CRM. Relative paths; the
 * e-mail makes them absolute with the site's address and the project's host.
 */
export function notificationPath(
  n: NotificationTarget & { kind: string },
  surface: "portal" | "crm",
): string {
  const sub = encodeURIComponent(n.tenant_subdomain);
  const id = encodeURIComponent(n.object_id);
  const crmPortal = `/crm/projects/${sub}/portal`;
  switch (n.object_type) {
    case "message":
      return surface === "portal" ? "/#messages" : `${crmPortal}#messages`;
    case "file_request":
      return surface === "portal" ? `/#request-${id}` : `${crmPortal}#request-${id}`;
    case "approval":
      return surface === "portal" ? `/#approval-${id}` : `${crmPortal}#approval-${id}`;
    case "proposal":
      return surface === "portal" ? "/proposal" : `/crm/projects/${sub}`;
    case "task":
      return surface === "portal" ? "/#tasks" : `/crm/projects/${sub}/tasks#task-${id}`;
    case "membership":
      return surface === "portal" ? "/" : `/crm/projects/${sub}#team`;
    case "enrolment":
      return `/crm/bootcamp`;
    case "submission":
      return n.kind === "review_published" ? "/bootcamp/learn" : `/crm/bootcamp/reviews/${id}`;
    default:
      return surface === "portal" ? "/" : "/crm";
  }
}
