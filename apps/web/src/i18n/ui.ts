/** UI strings. French is the default locale (served at /), English lives under /en/. */
export const LANGS = ["fr", "en"] as const;
export type Lang = (typeof LANGS)[number];

const fr = {
  "site.description":
    "Fataplus, agence digitale : sites web et applications mobiles, AgriTech, design UX/UI et formation.",
  "nav.switch": "English",
  "nav.switchLabel": "Read this page in English",
  "home.title": "Fataplus · Agence digitale",
  "home.eyebrow": "Agence digitale",
  "home.heading": "Des produits numériques utiles, du champ à l'écran.",
  "home.lead":
    "Nous concevons et développons des sites web, des applications mobiles et des outils métier, avec une expertise particulière dans l'agriculture.",
  "services.heading": "Nos services",
  "services.web.title": "Web & mobile",
  "services.web.body": "Sites, applications web et mobiles rapides, accessibles et faciles à maintenir.",
  "services.agritech.title": "AgriTech",
  "services.agritech.body": "Outils numériques pour coopératives, exploitations et filières agricoles.",
  "services.ux.title": "Design UX/UI",
  "services.ux.body": "Recherche utilisateur, prototypes et interfaces pensées pour vos usagers.",
  "services.training.title": "Formation",
  "services.training.body": "Bootcamps et ateliers UX/UI pour faire monter vos équipes en compétences.",
  "api.connected": "API : connectée",
  "api.unavailable": "API : indisponible",
  "api.unavailableHint": "Le service est momentanément injoignable.",
  "portal.title": "Espace client",
  "portal.eyebrow": "Espace client Fataplus",
  "portal.projectId": "Référence du projet",
  "portal.intro":
    "Bienvenue dans l'espace de votre projet. Vos documents et échanges arriveront ici bientôt.",
  "portal.unavailable.title": "Espace client indisponible",
  "portal.unavailable.body":
    "Nous n'arrivons pas à joindre nos services pour le moment. Merci de réessayer dans quelques instants.",
  "unknown.title": "Projet inconnu",
  "unknown.body":
    "Aucun projet ne correspond à cette adresse. Vérifiez le lien reçu ou contactez votre chef de projet.",
  "unknown.back": "Aller sur le site Fataplus",
  "footer.rights": "Fataplus. Tous droits réservés.",
} as const;

export type UiKey = keyof typeof fr;

const en: Record<UiKey, string> = {
  "site.description":
    "Fataplus, a digital agency: websites and mobile apps, AgriTech, UX/UI design and training.",
  "nav.switch": "Français",
  "nav.switchLabel": "Lire cette page en français",
  "home.title": "Fataplus · Digital agency",
  "home.eyebrow": "Digital agency",
  "home.heading": "Useful digital products, from the field to the screen.",
  "home.lead":
    "We design and build websites, mobile apps and business tools, with deep expertise in agriculture.",
  "services.heading": "What we do",
  "services.web.title": "Web & mobile",
  "services.web.body": "Fast, accessible websites, web and mobile apps that are easy to maintain.",
  "services.agritech.title": "AgriTech",
  "services.agritech.body": "Digital tools for cooperatives, farms and agricultural value chains.",
  "services.ux.title": "UX/UI design",
  "services.ux.body": "User research, prototypes and interfaces built around your users.",
  "services.training.title": "Training",
  "services.training.body": "UX/UI bootcamps and workshops to grow your team's skills.",
  "api.connected": "API: connected",
  "api.unavailable": "API: unavailable",
  "api.unavailableHint": "The service cannot be reached right now.",
  "portal.title": "Client portal",
  "portal.eyebrow": "Fataplus client portal",
  "portal.projectId": "Project reference",
  "portal.intro": "Welcome to your project space. Your documents and messages will appear here soon.",
  "portal.unavailable.title": "Client portal unavailable",
  "portal.unavailable.body": "We cannot reach our services right now. Please try again in a few moments.",
  "unknown.title": "Unknown project",
  "unknown.body":
    "No project matches this address. Check the link you received or contact your project manager.",
  "unknown.back": "Go to the Fataplus website",
  "footer.rights": "Fataplus. All rights reserved.",
};

export const ui: Record<Lang, Record<UiKey, string>> = { fr, en };

export function t(lang: Lang, key: UiKey): string {
  return ui[lang][key];
}

/** Path of the home page in a language (`/` or `/en/`). */
export function homePath(lang: Lang): string {
  return lang === "fr" ? "/" : `/${lang}/`;
}
