/** UI strings. French is the default locale (served at /), English lives under /en/. */
export const LANGS = ["fr", "en"] as const;
export type Lang = (typeof LANGS)[number];

const fr = {
  "site.name": "Fataplus",
  "site.locale": "fr_FR",
  skip: "Aller au contenu",
  "nav.label": "Navigation principale",
  "nav.home": "Accueil",
  "nav.services": "Services",
  "nav.work": "Réalisations",
  "nav.about": "À propos",
  "nav.contact": "Contact",
  "nav.bootcamp": "Bootcamp",
  "nav.cta": "Démarrer un projet",
  "nav.homeLabel": "Fataplus, accueil",
  "home.ctaSecondary": "Voir nos réalisations",
  "home.highlights.label": "En bref",
  "home.highlights.1": "Basés à Antananarivo, Madagascar",
  "home.highlights.2": "Pensé pour les réseaux lents et les téléphones modestes",
  "home.highlights.3": "Un espace client sécurisé pour chaque projet",
  "home.servicesLead":
    "Une petite équipe pluridisciplinaire qui accompagne votre produit de la première idée à sa mise en service, puis au-delà.",
  "home.servicesMore": "Découvrir nos services",
  "home.workHeading": "Réalisations choisies",
  "home.workLead": "Quelques projets récents, du champ de vanille aux tables de la capitale.",
  "home.workMore": "Toutes nos réalisations",
  "home.bootcamp.eyebrow": "Bootcamp UX/UI",
  "home.bootcamp.heading": "Apprenez le design d'interface en le pratiquant.",
  "home.bootcamp.body":
    "Un parcours intensif en petits groupes : recherche utilisateur, prototypage sur Figma, tests et design system, sur des cas réels d'entreprises malgaches. Pour les équipes comme pour les personnes en reconversion.",
  "home.bootcamp.cta": "Découvrir le bootcamp",
  "cta.heading": "Un projet en tête ?",
  "cta.body":
    "Décrivez-nous votre besoin en quelques minutes. Nous revenons vers vous sous deux jours ouvrés avec des questions, une première estimation et les prochaines étapes.",
  "cta.button": "Démarrer un projet",
  "cta.secondary": "Nous écrire",
  "contact.heading": "Nous contacter",
  "contact.lead":
    "Une question, une idée, un appel d'offres ? Écrivez-nous, nous répondons à chaque message.",
  "contact.detailsHeading": "Nos coordonnées",
  "contact.email": "E-mail",
  "contact.phone": "Téléphone",
  "contact.address": "Adresse",
  "contact.hours": "Horaires",
  "contact.hoursValue": "Du lundi au vendredi, de 8 h à 17 h (heure de Madagascar, UTC+3)",
  "contact.languages": "Langues",
  "contact.languagesValue": "Malagasy, français, anglais",
  "contact.write": "Écrire à {email}",
  "contact.title": "Nous contacter · Fataplus",
  "contact.description":
    "Contactez Fataplus, agence digitale à Antananarivo : e-mail, adresse, horaires, et le formulaire de projet pour décrire votre besoin.",
  "contact.intakeHeading": "Décrire un nouveau projet",
  "contact.intakeBody":
    "Le formulaire de projet nous donne d'emblée ce qu'il faut pour vous répondre vite : objectifs, publics, délais et budget.",
  "contact.portalHeading": "Déjà client ?",
  "contact.portalBody":
    "Votre projet a son propre espace sécurisé à l'adresse votre-projet.fata.plus : suivez l'avancement, les phases et les prochaines échéances.",
  "services.title": "Nos services · Fataplus",
  "services.description":
    "Produits web et mobiles, plateformes AgriTech, design UX/UI et formation : ce que Fataplus conçoit, développe et transmet depuis Antananarivo.",
  "services.eyebrow": "Services",
  "services.pageHeading": "Concevoir, construire, transmettre.",
  "services.pageLead":
    "Nous intervenons sur tout le cycle de vie d'un produit numérique, avec une attention particulière aux contextes où le réseau, l'énergie et le budget sont comptés.",
  "services.deliverables": "Ce que nous livrons",
  "services.process.heading": "Notre façon de travailler",
  "work.title": "Réalisations · Fataplus",
  "work.description":
    "Traçabilité de la vanille, conseil agricole par SMS, place de marché de produits frais, design system : des projets Fataplus en AgriTech, web, mobile et UX/UI.",
  "work.eyebrow": "Réalisations",
  "work.pageHeading": "Des produits utilisés sur le terrain.",
  "work.pageLead":
    "Chaque projet part des personnes qui l'utiliseront : producteurs, techniciens, acheteurs, équipes internes. Voici quelques exemples de ce que nous construisons avec nos clients.",
  "work.read": "Lire l'étude de cas",
  "work.readLabel": "Lire l'étude de cas : {title}",
  "work.back": "Toutes les réalisations",
  "work.challenge": "Le défi",
  "work.approach": "Notre approche",
  "work.outcomes": "Résultats",
  "work.facts": "En bref",
  "work.client": "Client",
  "work.year": "Année",
  "work.services": "Services",
  "work.stack": "Technologies",
  "work.note": "Les noms des clients sont omis à leur demande.",
  "about.title": "À propos · Fataplus",
  "about.description":
    "Fataplus est une agence digitale d'Antananarivo, à Madagascar : une équipe de designers et de développeurs tournée vers l'agriculture et les services utiles.",
  "about.eyebrow": "À propos",
  "about.pageHeading": "Une agence digitale ancrée à Madagascar.",
  "about.pageLead":
    "Fataplus réunit designers, développeurs et formateurs à Antananarivo. Nous construisons des outils numériques sobres et durables pour les entreprises, les coopératives et les organisations qui font vivre le pays.",
  "about.values.heading": "Ce qui nous guide",
  "about.platform.heading": "Une plateforme ouverte",
  "about.platform.body":
    "Nos projets vivent sur Fataplus, notre propre plateforme open source hébergée sur Cloudflare. Chaque projet client est isolé dans son espace, à son adresse (votre-projet.fata.plus) : les données d'un client ne sont jamais visibles par un autre. Nos équipes, nos clients et nos agents IA y suivent le même projet, chacun avec ses droits.",
  "notFound.title": "Page introuvable · Page not found · Fataplus",
  "site.description":
    "Fataplus, agence digitale : sites web et applications mobiles, AgriTech, design UX/UI et formation.",
  "nav.switch": "English",
  "nav.switchLabel": "Read this page in English",
  "home.title": "Fataplus · Agence digitale",
  "home.eyebrow": "Agence digitale",
  "home.heading": "Des produits numériques utiles, du champ à l'écran.",
  "home.lead":
    "Fataplus est une agence digitale d'Antananarivo. Nous concevons et développons des sites, des applications mobiles et des plateformes AgriTech, et nous formons les équipes qui les font vivre.",
  "services.heading": "Nos services",
  "services.web.title": "Produits web et mobiles",
  "services.web.body":
    "Sites, applications web et mobiles rapides, accessibles et faciles à maintenir, même sur un réseau 3G.",
  "services.agritech.title": "Plateformes AgriTech",
  "services.agritech.body":
    "Traçabilité, conseil agricole, gestion de coopératives : des outils qui fonctionnent là où sont les cultures.",
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
  "footer.tagline":
    "Agence digitale à Antananarivo : produits web et mobiles, plateformes AgriTech, design UX/UI et formation.",
  "footer.navLabel": "Pied de page",
  "footer.navHeading": "Le site",
  "og.imageAlt": "Fataplus, agence digitale à Madagascar : du champ à l'écran.",
} as const;

export type UiKey = keyof typeof fr;

const en: Record<UiKey, string> = {
  "site.name": "Fataplus",
  "site.locale": "en_GB",
  skip: "Skip to content",
  "nav.label": "Main navigation",
  "nav.home": "Home",
  "nav.services": "Services",
  "nav.work": "Work",
  "nav.about": "About",
  "nav.contact": "Contact",
  "nav.bootcamp": "Bootcamp",
  "nav.cta": "Start a project",
  "nav.homeLabel": "Fataplus, home",
  "home.ctaSecondary": "See our work",
  "home.highlights.label": "At a glance",
  "home.highlights.1": "Based in Antananarivo, Madagascar",
  "home.highlights.2": "Built for slow networks and modest phones",
  "home.highlights.3": "A secure client space for every project",
  "home.servicesLead":
    "A small multidisciplinary team that takes your product from the first idea to launch, and beyond.",
  "home.servicesMore": "Explore our services",
  "home.workHeading": "Selected work",
  "home.workLead": "A few recent projects, from vanilla fields to the capital's kitchens.",
  "home.workMore": "All our work",
  "home.bootcamp.eyebrow": "UX/UI bootcamp",
  "home.bootcamp.heading": "Learn interface design by doing it.",
  "home.bootcamp.body":
    "An intensive programme in small groups: user research, prototyping in Figma, testing and design systems, on real briefs from Malagasy companies. For teams and for career changers alike.",
  "home.bootcamp.cta": "Discover the bootcamp",
  "cta.heading": "Have a project in mind?",
  "cta.body":
    "Tell us what you need in a few minutes. We get back to you within two working days with questions, a first estimate and the next steps.",
  "cta.button": "Start a project",
  "cta.secondary": "Email us",
  "contact.heading": "Get in touch",
  "contact.lead": "A question, an idea, a tender? Write to us: we answer every message.",
  "contact.detailsHeading": "Our details",
  "contact.email": "Email",
  "contact.phone": "Phone",
  "contact.address": "Address",
  "contact.hours": "Hours",
  "contact.hoursValue": "Monday to Friday, 8 am to 5 pm (Madagascar time, UTC+3)",
  "contact.languages": "Languages",
  "contact.languagesValue": "Malagasy, French, English",
  "contact.write": "Email {email}",
  "contact.title": "Contact us · Fataplus",
  "contact.description":
    "Contact Fataplus, a digital agency in Antananarivo: email, address, hours, and the project form to describe what you need.",
  "contact.intakeHeading": "Describe a new project",
  "contact.intakeBody":
    "The project form gives us what we need to answer quickly: goals, audiences, timeline and budget.",
  "contact.portalHeading": "Already a client?",
  "contact.portalBody":
    "Your project has its own secure space at your-project.fata.plus: follow progress, phases and upcoming milestones.",
  "services.title": "Our services · Fataplus",
  "services.description":
    "Web and mobile products, AgriTech platforms, UX/UI design and training: what Fataplus designs, builds and teaches from Antananarivo.",
  "services.eyebrow": "Services",
  "services.pageHeading": "Design, build, hand over.",
  "services.pageLead":
    "We work across the whole life of a digital product, with particular care for places where bandwidth, power and budgets are limited.",
  "services.deliverables": "What we deliver",
  "services.process.heading": "How we work",
  "work.title": "Work · Fataplus",
  "work.description":
    "Vanilla traceability, SMS farm advisory, a fresh produce marketplace, a design system: Fataplus projects in AgriTech, web, mobile and UX/UI.",
  "work.eyebrow": "Work",
  "work.pageHeading": "Products used in the field.",
  "work.pageLead":
    "Every project starts with the people who will use it: growers, extension officers, buyers, in-house teams. Here are a few examples of what we build with our clients.",
  "work.read": "Read the case study",
  "work.readLabel": "Read the case study: {title}",
  "work.back": "All our work",
  "work.challenge": "The challenge",
  "work.approach": "Our approach",
  "work.outcomes": "Outcomes",
  "work.facts": "At a glance",
  "work.client": "Client",
  "work.year": "Year",
  "work.services": "Services",
  "work.stack": "Technology",
  "work.note": "Client names are withheld at their request.",
  "about.title": "About · Fataplus",
  "about.description":
    "Fataplus is a digital agency in Antananarivo, Madagascar: a team of designers and developers focused on agriculture and useful services.",
  "about.eyebrow": "About",
  "about.pageHeading": "A digital agency rooted in Madagascar.",
  "about.pageLead":
    "Fataplus brings together designers, developers and trainers in Antananarivo. We build lean, durable digital tools for the companies, cooperatives and organisations that keep the country running.",
  "about.values.heading": "What guides us",
  "about.platform.heading": "An open platform",
  "about.platform.body":
    "Our projects live on Fataplus, our own open-source platform running on Cloudflare. Each client project is isolated in its own space, at its own address (your-project.fata.plus): one client's data is never visible to another. Our team, our clients and our AI agents follow the same project there, each with their own rights.",
  "notFound.title": "Page introuvable · Page not found · Fataplus",
  "site.description":
    "Fataplus, a digital agency: websites and mobile apps, AgriTech, UX/UI design and training.",
  "nav.switch": "Français",
  "nav.switchLabel": "Lire cette page en français",
  "home.title": "Fataplus · Digital agency",
  "home.eyebrow": "Digital agency",
  "home.heading": "Useful digital products, from the field to the screen.",
  "home.lead":
    "Fataplus is a digital agency in Antananarivo. We design and build websites, mobile apps and AgriTech platforms, and we train the teams who run them.",
  "services.heading": "What we do",
  "services.web.title": "Web and mobile products",
  "services.web.body":
    "Fast, accessible websites, web and mobile apps that are easy to maintain, even over 3G.",
  "services.agritech.title": "AgriTech platforms",
  "services.agritech.body":
    "Traceability, farm advisory, cooperative management: tools that work where the crops are.",
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
  "footer.tagline":
    "A digital agency in Antananarivo: web and mobile products, AgriTech platforms, UX/UI design and training.",
  "footer.navLabel": "Footer",
  "footer.navHeading": "Site",
  "og.imageAlt": "Fataplus, a digital agency in Madagascar: from the field to the screen.",
};

export const ui: Record<Lang, Record<UiKey, string>> = { fr, en };

export function t(lang: Lang, key: UiKey): string {
  return ui[lang][key];
}

/** Path of the home page in a language (`/` or `/en/`). */
export function homePath(lang: Lang): string {
  return lang === "fr" ? "/" : `/${lang}/`;
}

/** `t` with `{name}` placeholders filled in. */
export function tf(lang: Lang, key: UiKey, vars: Record<string, string>): string {
  return t(lang, key).replace(/\{(\w+)\}/g, (match, name: string) => vars[name] ?? match);
}
