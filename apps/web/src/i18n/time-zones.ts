/** Strings of the time zone settings (the account page's section, the agency's in /crm/settings). */
import { dictionary } from "./app";

export const timeZonesT = dictionary(
  {
    title: "Fuseau horaire",
    lead: "Les heures affichées sur la plateforme et dans les e-mails sont dans ce fuseau.",
    label: "Mon fuseau horaire",
    follow: "Suivre l'agence ({zone})",
    common: "Fréquents",
    all: "Tous les fuseaux",
    save: "Enregistrer",
    current: "Vos heures sont affichées en {zone} : il est {now}.",
    saved: "Fuseau horaire enregistré.",
    invalid: "Ce fuseau horaire est inconnu : choisissez-en un dans la liste.",
    failed: "Le fuseau horaire n'a pas pu être enregistré. Réessayez.",
    agencyTitle: "Fuseau horaire de l'agence",
    agencyLead:
      "Le fuseau de toutes les personnes qui n'en ont pas choisi un, et des envois de l'agence (résumés, rappels).",
    agencyLabel: "Fuseau de l'agence",
    forbidden: "Seuls les administrateurs de l'agence peuvent changer son fuseau horaire.",
  },
  {
    title: "Time zone",
    lead: "Times shown on the platform and in e-mails are in this zone.",
    label: "My time zone",
    follow: "Follow the agency ({zone})",
    common: "Common",
    all: "All time zones",
    save: "Save",
    current: "Your times are shown in {zone}: it is {now}.",
    saved: "Time zone saved.",
    invalid: "This time zone is unknown: pick one from the list.",
    failed: "The time zone could not be saved. Try again.",
    agencyTitle: "The agency's time zone",
    agencyLead:
      "The zone of everyone who has not picked one, and of the agency's sendings (digests, reminders).",
    agencyLabel: "The agency's zone",
    forbidden: "Only agency admins may change the agency's time zone.",
  },
);
