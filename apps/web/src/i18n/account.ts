/** Strings of the account page (`/compte`, `/en/account`): the frame; each section has its own file. */
import { dictionary } from "./app";

export const accountT = dictionary(
  {
    title: "Mon compte",
    lead: "Votre mot de passe, la double authentification et les appareils où vous êtes connecté.",
    back: "← Retour",
    link: "Mon compte",
  },
  {
    title: "My account",
    lead: "Your password, two-step verification and the devices you are signed in on.",
    back: "← Back",
    link: "My account",
  },
);

/** The account page's path in each language (the same on the main site and on a project's subdomain). */
export const accountPath = (lang: "fr" | "en"): string => (lang === "en" ? "/en/account" : "/compte");
