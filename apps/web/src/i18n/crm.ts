/** Strings of the CRM screens shared by several pages (dashboard, saved views, kanban, task statuses, lead stages), the notes page, and the CRM's navigation. */
import type { KanbanLabels } from "../crm/ui/Kanban";
import type { ViewsLabels } from "../crm/ui/ViewsBar";
import { appT, dictionary } from "./app";
import { bootcampT } from "./bootcamp";
import type { Lang } from "./ui";

export const crmT = dictionary(
  {
    "dash.title": "Tableau de bord",
    "dash.subtitle": "Vos projets en un coup d'œil.",
    "dash.activeProjects": "Projets actifs",
    "dash.openTasks": "Tâches ouvertes",
    "dash.overdueTasks": "Tâches en retard",
    "dash.pipeline": "Pipeline commercial",
    "dash.projects": "Projets",
    "dash.leadsByStage": "Prospects par étape",
    "dash.leadsChart": "Nombre de prospects et valeur par étape du pipeline",
    "dash.project": "Projet",
    "dash.status": "Statut",
    "dash.progress": "Avancement",
    "dash.tasks": "Tâches",
    "dash.openOverdue": "{open} ouvertes · {overdue} en retard",
    "dash.budget": "Budget / estimation",
    "dash.overBudget": "Estimation au-dessus du budget",
    "dash.lastActivity": "Dernière activité",
    "dash.noProjects": "Aucun projet en cours",
    "dash.noProjectsBody": "Les projets planifiés, actifs ou en pause apparaîtront ici.",
    "dash.leadsCount": "{count} prospect(s)",
    "views.title": "Vues",
    "views.save": "Enregistrer la vue",
    "views.name": "Nom de la vue",
    "views.saved": "Vue enregistrée.",
    "views.none": "aucune",
    "views.remove": "Supprimer la vue",
    "views.confirm": "Supprimer la vue « {name} » ?",
    "kanban.instructions":
      "Clavier : placez-vous sur une carte, Espace pour la saisir, ← → pour changer de colonne, Espace pour la déposer, Échap pour annuler.",
    "kanban.picked": "Carte « {card} » saisie.",
    "kanban.over": "« {card} » au-dessus de la colonne {column}.",
    "kanban.dropped": "« {card} » déposée dans {column}.",
    "kanban.cancelled": "Déplacement de « {card} » annulé.",
    "kanban.empty": "Aucune carte",
    "kanban.failed": "Le déplacement a échoué : {message}",
    "task.todo": "À faire",
    "task.in_progress": "En cours",
    "task.review": "En revue",
    "task.done": "Terminé",
    "stage.new": "Nouveau",
    "stage.qualified": "Qualifié",
    "stage.proposal": "Proposition",
    "stage.won": "Gagné",
    "stage.lost": "Perdu",
    "priority.low": "Basse",
    "priority.normal": "Normale",
    "priority.high": "Haute",
    "priority.urgent": "Urgente",
    "notes.title": "Notes",
    "notes.subtitle": "Ce que l'équipe a noté sur les clients et les prospects d'un projet.",
    "notes.project": "Projet",
    "notes.show": "Afficher",
    "notes.add": "Ajouter une note",
    "notes.body": "Note",
    "notes.attach": "À propos de",
    "notes.choose": "Choisissez un client ou un prospect",
    "notes.clients": "Clients",
    "notes.leads": "Prospects",
    "notes.save": "Enregistrer la note",
    "notes.saved": "Note enregistrée.",
    "notes.detached": "Détachée",
    "notes.table": "Notes du projet, les plus récentes d'abord",
    "notes.col.note": "Note",
    "notes.col.about": "À propos de",
    "notes.col.date": "Écrite le",
    "notes.empty": "Aucune note dans ce projet",
    "notes.emptyBody": "Écrivez la première ci-dessus : un appel, un rendez-vous, une décision.",
    "notes.noProject": "Aucun projet à afficher",
    "notes.noProjectBody": "Vous ne gérez encore aucun projet.",
    "notes.nothingToAttach":
      "Ce projet n'a encore ni client ni prospect : créez-en un avant d'écrire une note.",
    "notes.invalid": "La note n'a pas été enregistrée : {details}",
    "notes.forbidden": "Votre rôle ne permet pas d'écrire des notes dans ce projet.",
    "notes.failed": "La note n'a pas été enregistrée. Réessayez dans un instant.",
  },
  {
    "dash.title": "Dashboard",
    "dash.subtitle": "Your projects at a glance.",
    "dash.activeProjects": "Active projects",
    "dash.openTasks": "Open tasks",
    "dash.overdueTasks": "Overdue tasks",
    "dash.pipeline": "Sales pipeline",
    "dash.projects": "Projects",
    "dash.leadsByStage": "Leads by stage",
    "dash.leadsChart": "Number of leads and value per pipeline stage",
    "dash.project": "Project",
    "dash.status": "Status",
    "dash.progress": "Progress",
    "dash.tasks": "Tasks",
    "dash.openOverdue": "{open} open · {overdue} overdue",
    "dash.budget": "Budget / estimate",
    "dash.overBudget": "Estimate above budget",
    "dash.lastActivity": "Last activity",
    "dash.noProjects": "No project under way",
    "dash.noProjectsBody": "Planned, active and on-hold projects will show here.",
    "dash.leadsCount": "{count} lead(s)",
    "views.title": "Views",
    "views.save": "Save view",
    "views.name": "View name",
    "views.saved": "View saved.",
    "views.none": "none",
    "views.remove": "Delete view",
    "views.confirm": "Delete the view “{name}”?",
    "kanban.instructions":
      "Keyboard: focus a card, Space to pick it up, ← → to change column, Space to drop it, Escape to cancel.",
    "kanban.picked": "Picked up card “{card}”.",
    "kanban.over": "“{card}” is over column {column}.",
    "kanban.dropped": "“{card}” dropped in {column}.",
    "kanban.cancelled": "Moving “{card}” was cancelled.",
    "kanban.empty": "No cards",
    "kanban.failed": "The move failed: {message}",
    "task.todo": "To do",
    "task.in_progress": "In progress",
    "task.review": "In review",
    "task.done": "Done",
    "stage.new": "New",
    "stage.qualified": "Qualified",
    "stage.proposal": "Proposal",
    "stage.won": "Won",
    "stage.lost": "Lost",
    "priority.low": "Low",
    "priority.normal": "Normal",
    "priority.high": "High",
    "priority.urgent": "Urgent",
    "notes.title": "Notes",
    "notes.subtitle": "What the team wrote down about a project's clients and leads.",
    "notes.project": "Project",
    "notes.show": "Show",
    "notes.add": "Add a note",
    "notes.body": "Note",
    "notes.attach": "About",
    "notes.choose": "Choose a client or a lead",
    "notes.clients": "Clients",
    "notes.leads": "Leads",
    "notes.save": "Save the note",
    "notes.saved": "Note saved.",
    "notes.detached": "Detached",
    "notes.table": "The project's notes, newest first",
    "notes.col.note": "Note",
    "notes.col.about": "About",
    "notes.col.date": "Written on",
    "notes.empty": "No note in this project yet",
    "notes.emptyBody": "Write the first one above: a call, a meeting, a decision.",
    "notes.noProject": "No project to show",
    "notes.noProjectBody": "You don't manage any project yet.",
    "notes.nothingToAttach": "This project has no client or lead yet: create one before writing a note.",
    "notes.invalid": "The note was not saved: {details}",
    "notes.forbidden": "Your role may not write notes in this project.",
    "notes.failed": "The note was not saved. Try again in a moment.",
  },
);

export type CrmT = ReturnType<typeof crmT>;

/** A section of the CRM: what a page tells the layout it is (the outbox is the agency admins' alone). */
export type CrmSection =
  | ReturnType<typeof crmNav>[number][0]
  | "outbox"
  | "users"
  | "usage"
  | "notifications"
  | "invoices";

/** The CRM's navigation, in order: the layout draws it, so a new section is one line here. */
export function crmNav(lang: Lang) {
  const t = appT(lang);
  return [
    ["dashboard", "/crm", t("nav.dashboard")],
    ["clients", "/crm/clients", t("nav.clients")],
    ["leads", "/crm/leads", t("nav.leads")],
    ["notes", "/crm/notes", crmT(lang)("notes.title")],
    ["projects", "/crm/projects", t("nav.projects")],
    ["bootcamp", "/crm/bootcamp", bootcampT(lang)("staff.title")],
    ["tokens", "/crm/settings/tokens", t("nav.tokens")],
  ] as const;
}

/** Labels for <ViewsBar> (serialisable props for an island). */
export function viewsLabels(lang: Lang, common: { cancel: string; error: string }): ViewsLabels {
  const t = crmT(lang);
  return {
    title: t("views.title"),
    save: t("views.save"),
    name: t("views.name"),
    saved: t("views.saved"),
    none: t("views.none"),
    remove: t("views.remove"),
    confirm: t("views.confirm"),
    cancel: common.cancel,
    error: common.error,
  };
}

/**
 * Kanban labels are functions, which an island's props cannot carry: islands get the templates
 * (`kanbanTemplates`) and build the functions with `kanbanLabels` in the browser.
 */
export type KanbanTemplates = Record<
  "instructions" | "picked" | "over" | "dropped" | "cancelled" | "empty" | "failed",
  string
>;

export function kanbanTemplates(lang: Lang): KanbanTemplates {
  const t = crmT(lang);
  const raw = (k: Parameters<CrmT>[0]) => t(k);
  return {
    instructions: raw("kanban.instructions"),
    picked: raw("kanban.picked"),
    over: raw("kanban.over"),
    dropped: raw("kanban.dropped"),
    cancelled: raw("kanban.cancelled"),
    empty: raw("kanban.empty"),
    failed: raw("kanban.failed"),
  };
}

const fill = (tpl: string, vars: Record<string, string>) =>
  tpl.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

export function kanbanLabels(tpl: KanbanTemplates): KanbanLabels {
  return {
    instructions: tpl.instructions,
    picked: (card) => fill(tpl.picked, { card }),
    over: (card, column) => fill(tpl.over, { card, column }),
    dropped: (card, column) => fill(tpl.dropped, { card, column }),
    cancelled: (card) => fill(tpl.cancelled, { card }),
    empty: tpl.empty,
    failed: (message) => fill(tpl.failed, { message }),
  };
}
