import type { Lang, UiKey } from "../../i18n/ui";

/** The agency's public contact details, shown on the home page, the contact page and in the footer. */
export const CONTACT = {
  email: "contact@fata.plus",
  /** No public number yet: set it here (international format) and every page shows it. */
  phone: null as string | null,
  address: {
    fr: ["Antananarivo", "Madagascar"],
    en: ["Antananarivo", "Madagascar"],
  },
} as const;

export type ServiceIcon = "device" | "leaf" | "pen" | "users";

export interface Service {
  id: "web" | "agritech" | "ux" | "training";
  icon: ServiceIcon;
  title: UiKey;
  body: UiKey;
  detail: Record<Lang, string>;
  deliverables: Record<Lang, string[]>;
}

export const SERVICES: readonly Service[] = [
  {
    id: "web",
    icon: "device",
    title: "services.web.title",
    body: "services.web.body",
    detail: {
      fr: "Du site vitrine à l'application métier, nous construisons des produits légers, rapides à charger et simples à faire évoluer. Nous hébergeons à la périphérie du réseau (Cloudflare) pour que vos utilisateurs, à Madagascar comme ailleurs, aient une réponse rapide.",
      en: "From a company website to a business application, we build light products that load fast and are easy to evolve. We host at the network edge (Cloudflare) so that your users, in Madagascar and elsewhere, get a fast response.",
    },
    deliverables: {
      fr: [
        "Sites web et applications web (Astro, React)",
        "Applications mobiles Android et iOS, hors ligne si besoin",
        "API, tableaux de bord et espaces clients",
        "Hébergement, supervision et maintenance",
      ],
      en: [
        "Websites and web apps (Astro, React)",
        "Android and iOS apps, offline when needed",
        "APIs, dashboards and client portals",
        "Hosting, monitoring and maintenance",
      ],
    },
  },
  {
    id: "agritech",
    icon: "leaf",
    title: "services.agritech.title",
    body: "services.agritech.body",
    detail: {
      fr: "Vanille, riz, girofle, maraîchage : nous connaissons les filières malgaches et leurs contraintes. Nos plateformes tiennent compte des zones sans réseau, des téléphones d'entrée de gamme et des langues de chacun.",
      en: "Vanilla, rice, cloves, market gardening: we know Malagasy value chains and their constraints. Our platforms account for areas without coverage, entry-level phones and everyone's language.",
    },
    deliverables: {
      fr: [
        "Traçabilité des lots, de la parcelle à l'export",
        "Conseil agricole et alertes par SMS",
        "Gestion de coopératives : membres, collectes, paiements",
        "Tableaux de bord pour bailleurs et programmes",
      ],
      en: [
        "Lot traceability, from plot to export",
        "Farm advisory and SMS alerts",
        "Cooperative management: members, collections, payments",
        "Dashboards for funders and programmes",
      ],
    },
  },
  {
    id: "ux",
    icon: "pen",
    title: "services.ux.title",
    body: "services.ux.body",
    detail: {
      fr: "Nous partons du terrain : entretiens, observation, tests avec de vrais utilisateurs. Puis nous prototypons et testons avant d'écrire la moindre ligne de code, pour construire la bonne chose du premier coup.",
      en: "We start in the field: interviews, observation, tests with real users. Then we prototype and test before writing a line of code, to build the right thing the first time.",
    },
    deliverables: {
      fr: [
        "Recherche utilisateur et tests d'utilisabilité",
        "Parcours, maquettes et prototypes Figma",
        "Design systems et bibliothèques de composants",
        "Audits d'accessibilité",
      ],
      en: [
        "User research and usability testing",
        "Journeys, mock-ups and Figma prototypes",
        "Design systems and component libraries",
        "Accessibility audits",
      ],
    },
  },
  {
    id: "training",
    icon: "users",
    title: "services.training.title",
    body: "services.training.body",
    detail: {
      fr: "Un bon produit doit pouvoir vivre sans nous. Nous formons les équipes de nos clients et animons un bootcamp UX/UI ouvert à tous, sur des cas réels.",
      en: "A good product must be able to live without us. We train our clients' teams and run a UX/UI bootcamp open to everyone, on real briefs.",
    },
    deliverables: {
      fr: [
        "Bootcamp UX/UI en petits groupes",
        "Ateliers sur mesure pour vos équipes",
        "Accompagnement à la reprise d'un produit",
        "Documentation et passation",
      ],
      en: [
        "UX/UI bootcamp in small groups",
        "Tailored workshops for your teams",
        "Coaching to take over a product",
        "Documentation and handover",
      ],
    },
  },
];

export interface Step {
  title: Record<Lang, string>;
  body: Record<Lang, string>;
}

export const PROCESS: readonly Step[] = [
  {
    title: { fr: "Comprendre", en: "Understand" },
    body: {
      fr: "Un atelier de cadrage et du temps sur le terrain avec vos utilisateurs. Vous repartez avec un périmètre, un calendrier et un budget clairs.",
      en: "A scoping workshop and time in the field with your users. You leave with a clear scope, timeline and budget.",
    },
  },
  {
    title: { fr: "Concevoir", en: "Design" },
    body: {
      fr: "Parcours, maquettes et prototypes testés avec de vrais utilisateurs avant le développement.",
      en: "Journeys, mock-ups and prototypes tested with real users before development starts.",
    },
  },
  {
    title: { fr: "Construire", en: "Build" },
    body: {
      fr: "Des livraisons toutes les deux semaines, visibles dans votre espace projet, avec vos retours à chaque étape.",
      en: "A delivery every two weeks, visible in your project space, with your feedback at every step.",
    },
  },
  {
    title: { fr: "Transmettre", en: "Hand over" },
    body: {
      fr: "Mise en service, formation de vos équipes, documentation, puis maintenance si vous le souhaitez.",
      en: "Launch, training for your teams, documentation, then maintenance if you wish.",
    },
  },
];

export const VALUES: readonly Step[] = [
  {
    title: { fr: "Utile avant tout", en: "Useful first" },
    body: {
      fr: "Nous mesurons un projet à ce qu'il change pour ses utilisateurs, pas au nombre de fonctionnalités.",
      en: "We measure a project by what it changes for its users, not by its number of features.",
    },
  },
  {
    title: { fr: "Sobre et rapide", en: "Lean and fast" },
    body: {
      fr: "Des pages légères, sans superflu, qui s'affichent vite sur un réseau lent et un téléphone modeste.",
      en: "Light pages with nothing superfluous, that load fast on a slow network and a modest phone.",
    },
  },
  {
    title: { fr: "Accessible à tous", en: "Accessible to all" },
    body: {
      fr: "Contrastes, navigation au clavier, textes clairs, plusieurs langues : personne ne doit rester à la porte.",
      en: "Contrast, keyboard navigation, plain language, several languages: nobody should be left out.",
    },
  },
  {
    title: { fr: "Transmettre", en: "Pass it on" },
    body: {
      fr: "Code ouvert, documentation, formation : vous restez maîtres de votre produit.",
      en: "Open code, documentation, training: you stay in control of your product.",
    },
  },
];
