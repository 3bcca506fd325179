import type { Lang } from "../../i18n/ui";

/**
 * Case studies shown on the home page (the `featured` ones) and on /realisations (/en/work).
 *
 * ILLUSTRATIVE CONTENT: these describe the kind of projects the agency takes on. Replace them with real,
 * client-approved case studies (names, figures) before launch.
 */
export type Illustration = "vanilla" | "rice" | "market" | "design";

export interface CaseStudy {
  slug: Record<Lang, string>;
  featured: boolean;
  illustration: Illustration;
  year: number;
  /** Short tags shown on cards: the services involved. */
  services: Record<Lang, string[]>;
  stack: string[];
  title: Record<Lang, string>;
  sector: Record<Lang, string>;
  summary: Record<Lang, string>;
  challenge: Record<Lang, string>;
  approach: Record<Lang, string[]>;
  outcomes: Record<Lang, string[]>;
}

export const CASE_STUDIES: readonly CaseStudy[] = [
  {
    slug: { fr: "tracabilite-vanille-sava", en: "sava-vanilla-traceability" },
    featured: true,
    illustration: "vanilla",
    year: 2025,
    services: { fr: ["AgriTech", "Mobile", "UX/UI"], en: ["AgriTech", "Mobile", "UX/UI"] },
    stack: ["React Native", "Cloudflare Workers", "D1", "SMS"],
    title: {
      fr: "Traçabilité de la vanille, du producteur à l'export",
      en: "Vanilla traceability, from grower to export",
    },
    sector: { fr: "Coopérative de vanille, région SAVA", en: "Vanilla cooperative, SAVA region" },
    summary: {
      fr: "Une application mobile hors ligne pour enregistrer chaque lot de vanille verte au point de collecte et suivre sa préparation jusqu'à l'exportateur.",
      en: "An offline-first mobile app that records every lot of green vanilla at the collection point and follows its curing all the way to the exporter.",
    },
    challenge: {
      fr: "Les lots étaient notés sur des carnets papier, dans des villages où le réseau mobile est intermittent. Les acheteurs demandaient une traçabilité vérifiable et les producteurs attendaient parfois des semaines pour savoir ce qui leur était dû.",
      en: "Lots were written down in paper notebooks, in villages where mobile coverage comes and goes. Buyers wanted traceability they could verify, and growers sometimes waited weeks to know what they were owed.",
    },
    approach: {
      fr: [
        "Deux semaines sur le terrain avec les collecteurs pour observer la pesée, le tri et les paiements.",
        "Une application Android qui fonctionne sans réseau et synchronise dès qu'une connexion apparaît.",
        "Un reçu par SMS envoyé au producteur pour chaque lot pesé, en malgache.",
        "Un tableau de bord web pour la coopérative : volumes par village, qualité, paiements en attente.",
      ],
      en: [
        "Two weeks in the field with collectors to observe weighing, grading and payments.",
        "An Android app that works without a network and syncs as soon as a connection appears.",
        "An SMS receipt in Malagasy sent to the grower for every lot weighed.",
        "A web dashboard for the cooperative: volumes per village, quality, pending payments.",
      ],
    },
    outcomes: {
      fr: [
        "Chaque lot exporté est relié à ses producteurs d'origine.",
        "Les producteurs connaissent le poids et le prix de leur lot le jour même.",
        "Les carnets papier ont été abandonnés dès la deuxième campagne.",
      ],
      en: [
        "Every exported lot is linked back to the growers who produced it.",
        "Growers know the weight and price of their lot on the same day.",
        "Paper notebooks were dropped by the second season.",
      ],
    },
  },
  {
    slug: { fr: "conseil-agricole-riz-alaotra", en: "alaotra-rice-advisory" },
    featured: true,
    illustration: "rice",
    year: 2025,
    services: { fr: ["AgriTech", "Web", "Formation"], en: ["AgriTech", "Web", "Training"] },
    stack: ["Astro", "Cloudflare Workers", "D1", "SMS / USSD"],
    title: {
      fr: "Conseil agricole pour les riziculteurs du lac Alaotra",
      en: "Farm advisory for rice growers around Lake Alaotra",
    },
    sector: { fr: "Programme de vulgarisation agricole", en: "Agricultural extension programme" },
    summary: {
      fr: "Une plateforme qui permet aux techniciens agricoles de suivre leurs parcelles et d'envoyer des conseils par SMS aux riziculteurs, au bon moment de la saison.",
      en: "A platform that lets extension officers follow their plots and send advice by SMS to rice growers at the right moment of the season.",
    },
    challenge: {
      fr: "Une poignée de techniciens accompagnait des milliers de riziculteurs avec des tableurs partagés par clé USB. Les alertes (semis, repiquage, ravageurs) arrivaient trop tard.",
      en: "A handful of extension officers supported thousands of rice growers with spreadsheets passed around on USB sticks. Alerts (sowing, transplanting, pests) arrived too late.",
    },
    approach: {
      fr: [
        "Un calendrier cultural par zone, construit avec les agronomes du programme.",
        "Des messages courts en malgache, testés avec des groupes de producteurs avant l'envoi.",
        "Une interface web légère, utilisable sur un téléphone d'entrée de gamme en 3G.",
        "Une formation des techniciens pour qu'ils rédigent et programment eux-mêmes les campagnes.",
      ],
      en: [
        "A crop calendar per area, built with the programme's agronomists.",
        "Short messages in Malagasy, tested with farmer groups before sending.",
        "A light web interface that works on an entry-level phone over 3G.",
        "Training for extension officers so that they write and schedule campaigns themselves.",
      ],
    },
    outcomes: {
      fr: [
        "Les conseils partent au moment utile, zone par zone.",
        "Les techniciens passent leur temps sur le terrain plutôt que dans les tableurs.",
        "Le programme suit les visites et les retours des producteurs en un seul endroit.",
      ],
      en: [
        "Advice goes out when it is useful, area by area.",
        "Extension officers spend their time in the field rather than in spreadsheets.",
        "The programme follows visits and farmer feedback in one place.",
      ],
    },
  },
  {
    slug: { fr: "marche-produits-frais-antananarivo", en: "antananarivo-fresh-produce-market" },
    featured: true,
    illustration: "market",
    year: 2024,
    services: { fr: ["Web", "Mobile", "UX/UI"], en: ["Web", "Mobile", "UX/UI"] },
    stack: ["Astro", "React", "Cloudflare Workers", "Mobile Money"],
    title: {
      fr: "Une place de marché de produits frais pour Antananarivo",
      en: "A fresh produce marketplace for Antananarivo",
    },
    sector: { fr: "Circuits courts alimentaires", en: "Short food supply chains" },
    summary: {
      fr: "Une application web qui relie des maraîchers des Hautes Terres aux restaurants et épiceries de la capitale, avec commande la veille et livraison le matin.",
      en: "A web app that connects Highlands market gardeners with restaurants and grocers in the capital: order the day before, delivery in the morning.",
    },
    challenge: {
      fr: "Les commandes passaient par des appels et des messages, les invendus étaient fréquents et les producteurs ne voyaient pas la demande à l'avance.",
      en: "Orders went through calls and messages, unsold produce was common and growers could not see demand ahead of time.",
    },
    approach: {
      fr: [
        "Des entretiens avec des chefs et des producteurs pour comprendre leurs horaires et leurs contraintes.",
        "Un catalogue mis à jour par les producteurs depuis leur téléphone, en quelques touches.",
        "Le paiement par Mobile Money et un bon de livraison partagé entre acheteur et livreur.",
      ],
      en: [
        "Interviews with chefs and growers to understand their schedules and constraints.",
        "A catalogue that growers update from their phone in a few taps.",
        "Mobile Money payment and a delivery note shared between buyer and driver.",
      ],
    },
    outcomes: {
      fr: [
        "Les producteurs récoltent selon les commandes de la veille.",
        "Les acheteurs commandent en quelques minutes, depuis leur téléphone.",
        "Une tournée de livraison unique remplace des dizaines d'allers-retours.",
      ],
      en: [
        "Growers harvest according to the previous day's orders.",
        "Buyers order in a few minutes, from their phone.",
        "One delivery round replaces dozens of separate trips.",
      ],
    },
  },
  {
    slug: { fr: "design-system-microfinance", en: "microfinance-design-system" },
    featured: false,
    illustration: "design",
    year: 2024,
    services: { fr: ["UX/UI", "Formation"], en: ["UX/UI", "Training"] },
    stack: ["Figma", "Design tokens", "React"],
    title: {
      fr: "Un design system pour une application de microfinance",
      en: "A design system for a microfinance app",
    },
    sector: { fr: "Institution de microfinance", en: "Microfinance institution" },
    summary: {
      fr: "La refonte de l'application mobile d'une institution de microfinance et un design system partagé, transmis à l'équipe interne par des ateliers.",
      en: "The redesign of a microfinance institution's mobile app and a shared design system, handed over to the in-house team through workshops.",
    },
    challenge: {
      fr: "L'application avait grandi écran par écran. Les clients, souvent peu familiers du numérique, se perdaient dans le parcours de demande de crédit.",
      en: "The app had grown one screen at a time. Customers, many of them new to digital services, got lost in the loan application journey.",
    },
    approach: {
      fr: [
        "Des tests d'utilisabilité en agence, avec de vrais clients et des prototypes Figma.",
        "Un parcours de demande de crédit réduit à l'essentiel, lisible en français et en malgache.",
        "Un design system (couleurs, typographie, composants) documenté et relié au code.",
        "Trois ateliers pour que l'équipe produit fasse vivre le système sans nous.",
      ],
      en: [
        "Usability tests in branches, with real customers and Figma prototypes.",
        "A loan application journey cut down to the essentials, readable in French and Malagasy.",
        "A documented design system (colours, type, components) connected to the code.",
        "Three workshops so that the product team keeps the system alive without us.",
      ],
    },
    outcomes: {
      fr: [
        "Un parcours de demande plus court et plus clair, validé en test avec des clients.",
        "Une seule bibliothèque de composants pour le web et le mobile.",
        "Une équipe interne autonome sur les évolutions de l'interface.",
      ],
      en: [
        "A shorter, clearer application journey, validated in tests with customers.",
        "One component library for web and mobile.",
        "An in-house team that evolves the interface on its own.",
      ],
    },
  },
];

export function caseStudyBySlug(lang: Lang, slug: string): CaseStudy | undefined {
  return CASE_STUDIES.find((study) => study.slug[lang] === slug);
}
