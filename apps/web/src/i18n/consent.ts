/** Strings of the consent page of MCP by URL (`/connecter`, `/en/connect`, decision 031). */
import { dictionary } from "./app";

export const consentT = dictionary(
  {
    title: "Connecter un assistant",
    asks: "{client} demande à agir pour vous dans Fataplus.",
    nameFromApp:
      "Ce nom est donné par l'application elle-même : n'acceptez que si vous venez de lancer cette connexion.",
    returnsTo: "Après votre réponse, vous reviendrez à {host}.",
    localApp: "Après votre réponse, vous reviendrez à une application de cet appareil ({host}).",
    projects: "Projets",
    allProjects: "Tous mes projets, y compris ceux à venir",
    someProjects: "Seulement ces projets :",
    noProjects: "Vous n'avez aucun projet à partager avec un assistant.",
    access: "Accès",
    read: "Lecture seule",
    readHint: "Lire les projets, tâches, documents et messages que vous pouvez lire.",
    write: "Lecture et écriture",
    writeHint: "Aussi créer et modifier, comme vous : tâches, messages… Chaque action est journalisée.",
    duration: "Durée",
    days: "{n} jours",
    year: "1 an",
    approve: "Autoriser",
    deny: "Refuser",
    revokeLater: "Vous pourrez le déconnecter à tout moment depuis vos jetons d'accès.",
    expiresSoon: "Cette demande expire dans 10 minutes.",
    expired:
      "Cette demande a expiré ou a déjà reçu une réponse. Relancez la connexion depuis votre assistant.",
    chooseProjects: "Choisissez au moins un projet, ou tous vos projets.",
    notYours: "Un des projets choisis n'est pas accessible avec votre compte.",
    tooMany: "Vous avez déjà 50 jetons actifs : révoquez-en un avant de connecter un autre assistant.",
    failed: "La connexion n'a pas pu être enregistrée. Réessayez.",
    missing: "Aucune demande de connexion ici. Lancez la connexion depuis votre assistant.",
    done: "Réponse enregistrée. Retour à {host}…",
    continue: "Continuer",
  },
  {
    title: "Connect an assistant",
    asks: "{client} asks to act for you in Fataplus.",
    nameFromApp:
      "This name comes from the application itself: approve only if you just started this connection.",
    returnsTo: "After you answer, you go back to {host}.",
    localApp: "After you answer, you go back to an application on this device ({host}).",
    projects: "Projects",
    allProjects: "All my projects, including future ones",
    someProjects: "Only these projects:",
    noProjects: "You have no project to share with an assistant.",
    access: "Access",
    read: "Read only",
    readHint: "Read the projects, tasks, documents and messages you can read.",
    write: "Read and write",
    writeHint: "Also create and change things as you: tasks, messages… Every action is logged.",
    duration: "Duration",
    days: "{n} days",
    year: "1 year",
    approve: "Approve",
    deny: "Deny",
    revokeLater: "You can disconnect it at any time from your access tokens.",
    expiresSoon: "This request expires in 10 minutes.",
    expired:
      "This request has expired or was already answered. Start the connection again from your assistant.",
    chooseProjects: "Choose at least one project, or all your projects.",
    notYours: "One of the chosen projects is not open to your account.",
    tooMany: "You already have 50 active tokens: revoke one before connecting another assistant.",
    failed: "The connection could not be saved. Please try again.",
    missing: "No connection request here. Start the connection from your assistant.",
    done: "Answer saved. Going back to {host}…",
    continue: "Continue",
  },
);

/** The consent page's path in each language. */
export const consentPath = (lang: "fr" | "en"): string => (lang === "en" ? "/en/connect" : "/connecter");
