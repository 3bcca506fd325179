/** Strings of the client picker (crm/ui/ClientPicker.tsx) and of the contact fields' refusals, French first. */
import type { PickerStrings } from "../crm/ui/ClientPicker";
import type { Lang } from "./ui";

const picker: Record<Lang, PickerStrings> = {
  fr: {
    placeholder: "Tapez pour rechercher un client",
    empty: "Aucun client trouvé : ce nom créera un nouveau client.",
    loading: "Recherche…",
    duplicate: "Un client au nom proche existe déjà : « {name} » ({project}).",
    pickIt: "Choisir ce client",
    none: "Aucun",
  },
  en: {
    placeholder: "Type to search clients",
    empty: "No client found: this name will create a new client.",
    loading: "Searching…",
    duplicate: "A client with a similar name already exists: “{name}” ({project}).",
    pickIt: "Use this client",
    none: "None",
  },
};

export const pickerStrings = (lang: Lang): PickerStrings => picker[lang];

/** Refusals of the contact fields and of the project's dates, as the forms show them. */
export const contactErrors: Record<Lang, { phone: string; dates: string; jobTitle: string }> = {
  fr: {
    phone: "Numéro invalide : par exemple 034 12 345 67 (Madagascar) ou +33 6 12 34 56 78 (France).",
    dates: "La date de livraison doit être le jour du début ou après.",
    jobTitle: "120 caractères au plus.",
  },
  en: {
    phone: "Invalid number: for example 034 12 345 67 (Madagascar) or +33 6 12 34 56 78 (France).",
    dates: "The due date must be on or after the start date.",
    jobTitle: "120 characters at most.",
  },
};

/** What moving a lead to won or lost asks (crm/leads/LeadsBoard.tsx, LeadForm.tsx). */
export const outcomeStrings = {
  fr: {
    lostTitle: "Pourquoi ce prospect est-il perdu ?",
    lostLabel: "Raison de la perte",
    lostHint: "Obligatoire : budget, délai, concurrent choisi…",
    lostRequired: "Indiquez la raison de la perte.",
    lostSave: "Marquer comme perdu",
    cancel: "Annuler",
    cancelled: "Déplacement annulé",
    wonTitle: "Prospect gagné : créer le projet ?",
    wonBody: "Le formulaire du nouveau projet sera prérempli avec « {title} ».",
    wonCreate: "Créer le projet",
    wonLater: "Plus tard",
  },
  en: {
    lostTitle: "Why was this lead lost?",
    lostLabel: "Reason it was lost",
    lostHint: "Required: budget, timing, competitor chosen…",
    lostRequired: "Say why the lead was lost.",
    lostSave: "Mark as lost",
    cancel: "Cancel",
    cancelled: "Move cancelled",
    wonTitle: "Lead won: create the project?",
    wonBody: "The new project form will be prefilled with “{title}”.",
    wonCreate: "Create the project",
    wonLater: "Later",
  },
} as const satisfies Record<Lang, Record<string, string>>;
export type OutcomeStrings = (typeof outcomeStrings)[Lang];

/** The new project form, prefilled from a won lead: `/crm/projects/new?name=…&client=…&budget=…`. */
export function newProjectHref(lead: { title: string; client?: string | null; value_cents?: number | null }) {
  const q = new URLSearchParams({ name: lead.title.slice(0, 200) });
  if (lead.client) q.set("client", lead.client);
  if (lead.value_cents) q.set("budget", String(lead.value_cents));
  return `/crm/projects/new?${q}`;
}
