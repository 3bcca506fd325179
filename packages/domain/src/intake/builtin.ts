/**
 * The built-in analyser: the default, offline and deterministic. Same intake in, same analysis out.
 *
 * How it decides (docs/decisions/009-intake-analysis-and-proposals.md repeats this with what it gets wrong):
 *  1. **Profile.** Each kind of project has a base effort (days) and a default list of phases, each with its
 *     share of the effort (PROFILES below). The project type the visitor chose is kept as is.
 *  2. **Modules.** The goals and must-have features are searched, in French and English, for modules that add
 *     work (payments, accounts, offline use, maps, several languages, integrations, sensors…: MODULES below).
 *     Each module found becomes a requirement citing the answer it was found in, and adds its days.
 *  3. **Requirements.** Every must-have feature the visitor listed (one per line, or separated by ; or •)
 *     becomes a requirement citing `features`; the first sentences of the goals cite `goals`; each link cites
 *     `links`; assets cite `assets`.
 *  4. **Complexity.** low when the effort is under 25 days and at most one module; high from 60 days or four
 *     modules; medium otherwise. The effort range is the point estimate −15 % / +30 % (estimates run late).
 *  5. **Budget.** The effort range × the agency's day rate (DAY_RATE_CENTS).
 *  6. **Risks and questions.** The budget band below the estimate, a timeline shorter than the effort, no
 *     assets for a brand-dependent project, no features listed, an unknown budget; each cites its answer.
 *  7. **Text.** Summary, phase names and questions are written in the intake's language (fr or en).
 */
import type { Analysis, AnswerKey, Intake, ProjectType } from "./schema.ts";
import { BUDGET_BAND_CENTS, TIMELINE_WEEKS } from "./schema.ts";

/** The agency's day rate, in cents (EUR). */
export const DAY_RATE_CENTS = 50_000;

type Lang = "fr" | "en";
type L = { fr: string; en: string };
type PhaseKey = Analysis["phases"][number]["phase"];

type Profile = {
  baseDays: number;
  label: L;
  phases: Array<{ phase: PhaseKey; share: number; name: L; deliverable: L }>;
};

const P = (phase: PhaseKey, share: number, name: L, deliverable: L) => ({ phase, share, name, deliverable });

const DISCOVERY = (share: number) =>
  P(
    "discovery",
    share,
    { fr: "Cadrage", en: "Discovery" },
    { fr: "Atelier de cadrage et cahier des charges", en: "Discovery workshop and written scope" },
  );
const LAUNCH = (share: number) =>
  P(
    "launch",
    share,
    { fr: "Mise en ligne", en: "Launch" },
    { fr: "Recette, mise en production et passation", en: "Acceptance testing, go-live and hand-over" },
  );

export const PROFILES: Record<ProjectType, Profile> = {
  website: {
    baseDays: 15,
    label: { fr: "site web", en: "website" },
    phases: [
      DISCOVERY(0.15),
      P(
        "design",
        0.3,
        { fr: "Design UX/UI", en: "UX/UI design" },
        { fr: "Maquettes des pages clés", en: "Mock-ups of the key pages" },
      ),
      P(
        "build",
        0.45,
        { fr: "Développement", en: "Build" },
        { fr: "Site responsive et gestion de contenu", en: "Responsive site with content management" },
      ),
      LAUNCH(0.1),
    ],
  },
  mobile_app: {
    baseDays: 40,
    label: { fr: "application mobile", en: "mobile app" },
    phases: [
      DISCOVERY(0.1),
      P(
        "design",
        0.25,
        { fr: "Design UX/UI", en: "UX/UI design" },
        { fr: "Parcours et maquettes de l'application", en: "App journeys and mock-ups" },
      ),
      P(
        "build",
        0.5,
        { fr: "Développement", en: "Build" },
        { fr: "Application iOS/Android et son API", en: "iOS/Android app and its API" },
      ),
      LAUNCH(0.15),
    ],
  },
  agritech_platform: {
    baseDays: 50,
    label: { fr: "plateforme AgriTech", en: "AgriTech platform" },
    phases: [
      P(
        "discovery",
        0.15,
        { fr: "Cadrage terrain", en: "Field discovery" },
        {
          fr: "Entretiens avec producteurs et coopératives, cahier des charges",
          en: "Interviews with farmers and co-operatives, written scope",
        },
      ),
      P(
        "design",
        0.2,
        { fr: "Design UX/UI", en: "UX/UI design" },
        { fr: "Parcours adaptés au terrain (faible débit)", en: "Field-ready journeys (low bandwidth)" },
      ),
      P(
        "build",
        0.5,
        { fr: "Développement", en: "Build" },
        { fr: "Plateforme web/mobile et tableau de bord", en: "Web/mobile platform and dashboard" },
      ),
      LAUNCH(0.1),
      P(
        "support",
        0.05,
        { fr: "Accompagnement", en: "Support" },
        { fr: "Formation des utilisateurs et suivi", en: "User training and follow-up" },
      ),
    ],
  },
  ux_audit: {
    baseDays: 8,
    label: { fr: "audit UX / refonte", en: "UX audit / redesign" },
    phases: [
      P(
        "discovery",
        0.5,
        { fr: "Audit", en: "Audit" },
        {
          fr: "Audit heuristique, tests utilisateurs et rapport",
          en: "Heuristic review, user tests and report",
        },
      ),
      P(
        "design",
        0.5,
        { fr: "Recommandations", en: "Recommendations" },
        { fr: "Maquettes des écrans prioritaires", en: "Mock-ups of the priority screens" },
      ),
    ],
  },
  branding: {
    baseDays: 10,
    label: { fr: "identité de marque", en: "branding" },
    phases: [
      DISCOVERY(0.2),
      P(
        "design",
        0.7,
        { fr: "Création", en: "Design" },
        { fr: "Logo, palette, typographies et charte", en: "Logo, palette, type and brand guidelines" },
      ),
      LAUNCH(0.1),
    ],
  },
  training: {
    baseDays: 5,
    label: { fr: "formation", en: "training" },
    phases: [
      P(
        "discovery",
        0.2,
        { fr: "Préparation", en: "Preparation" },
        { fr: "Programme adapté à l'équipe", en: "Programme fitted to the team" },
      ),
      P(
        "support",
        0.8,
        { fr: "Sessions", en: "Sessions" },
        { fr: "Sessions de formation et supports", en: "Training sessions and materials" },
      ),
    ],
  },
};

/** Modules that add work, with the words (fr + en, lowercase, accents removed) that reveal them. */
export const MODULES: Array<{ id: string; days: number; words: string[]; label: L }> = [
  {
    id: "payments",
    days: 6,
    words: [
      "paiement",
      "payment",
      "mobile money",
      "mvola",
      "orange money",
      "stripe",
      "checkout",
      "facturation",
    ],
    label: { fr: "Paiement en ligne", en: "Online payments" },
  },
  {
    id: "accounts",
    days: 4,
    words: ["compte", "connexion", "inscription", "login", "account", "sign up", "sign-up", "espace membre"],
    label: { fr: "Comptes utilisateurs", en: "User accounts" },
  },
  {
    id: "offline",
    days: 8,
    words: ["hors ligne", "hors-ligne", "offline", "sans connexion", "faible debit", "low bandwidth"],
    label: { fr: "Fonctionnement hors ligne", en: "Offline use" },
  },
  {
    id: "maps",
    days: 4,
    words: ["carte", "gps", "geolocalis*", "map", "parcelle", "plot"],
    label: { fr: "Cartes et géolocalisation", en: "Maps and geolocation" },
  },
  {
    id: "multilingual",
    days: 3,
    words: [
      "multilingue",
      "plusieurs langues",
      "malgache",
      "multilingual",
      "languages",
      "translation",
      "traduction",
    ],
    label: { fr: "Plusieurs langues", en: "Several languages" },
  },
  {
    id: "dashboard",
    days: 5,
    words: ["tableau de bord", "statistique", "dashboard", "analytics", "reporting", "rapport"],
    label: { fr: "Tableau de bord et statistiques", en: "Dashboard and statistics" },
  },
  {
    id: "notifications",
    days: 3,
    words: ["sms", "notification", "alerte", "alert", "whatsapp"],
    label: { fr: "Notifications (SMS, alertes)", en: "Notifications (SMS, alerts)" },
  },
  {
    id: "commerce",
    days: 6,
    words: ["boutique", "e-commerce", "ecommerce", "panier", "catalogue", "marketplace", "shop", "cart"],
    label: { fr: "Catalogue et commande en ligne", en: "Catalogue and online ordering" },
  },
  {
    id: "booking",
    days: 4,
    words: ["reservation", "rendez-vous", "booking", "appointment", "calendrier", "calendar"],
    label: { fr: "Réservation", en: "Booking" },
  },
  {
    id: "integrations",
    days: 5,
    words: ["api", "erp", "integration", "synchronis*", "import", "export", "crm"],
    label: { fr: "Intégrations avec d'autres systèmes", en: "Integrations with other systems" },
  },
  {
    id: "iot",
    days: 8,
    words: ["capteur", "iot", "sensor", "station meteo", "weather station", "drone"],
    label: { fr: "Capteurs et objets connectés", en: "Sensors and connected devices" },
  },
];

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * Word match: the word must stand alone ("map" is not in "bitmap", "carte" is not in "cartel"), an optional
 * plural s or x aside ("cartes" is "carte"). A word written with a trailing `*` is a stem ("synchronis*" finds
 * "synchronisation").
 */
function mentions(haystack: string, word: string): boolean {
  const stem = word.endsWith("*");
  const w = stem ? word.slice(0, -1) : word;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(w, from);
    if (at === -1) return false;
    const before = at === 0 ? " " : (haystack[at - 1] ?? " ");
    let end = at + w.length;
    if (haystack[end] === "s" || haystack[end] === "x") end++;
    const after = haystack[end] ?? " ";
    if (!/[a-z0-9]/.test(before) && (stem || !/[a-z0-9]/.test(after))) return true;
    from = at + 1;
  }
}

const clip = (s: string, max = 200) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function splitFeatures(features: string | undefined): string[] {
  return (features ?? "")
    .split(/\r?\n|;|•|\u2022|(?:^|\s)- /)
    .map((f) => f.replace(/^[\s*\-–—\d.)]+/, "").trim())
    .filter((f) => f.length >= 3)
    .slice(0, 12);
}

function sentences(text: string, max: number): string[] {
  return text
    .split(/(?<=[.!?])\s+|\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 8)
    .slice(0, max);
}

const roundTo = (n: number, step: number) => Math.round(n / step) * step;

export function analyseBuiltin(intake: Intake): Analysis {
  const lang: Lang = intake.locale;
  const tr = (l: L) => l[lang];
  const profile = PROFILES[intake.project_type];
  const requirements: Analysis["requirements"] = [];
  const risks: Analysis["risks"] = [];
  const questions: string[] = [];

  // 2. modules, found in the features first (the answer that names them), then in the goals
  const folded: Array<[AnswerKey, string]> = [
    ["features", fold(intake.features ?? "")],
    ["goals", fold(intake.goals)],
  ];
  const found: Array<{ id: string; days: number; label: L; source: AnswerKey }> = [];
  for (const m of MODULES) {
    for (const [source, text] of folded) {
      if (m.words.some((w) => mentions(text, w))) {
        found.push({ ...m, source });
        break;
      }
    }
  }

  // 3. requirements, each citing its answer
  for (const s of sentences(intake.goals, 3)) requirements.push({ text: clip(s), source: "goals" });
  if (requirements.length === 0) requirements.push({ text: clip(intake.goals), source: "goals" });
  for (const f of splitFeatures(intake.features)) requirements.push({ text: clip(f), source: "features" });
  for (const m of found) {
    const text = lang === "fr" ? `Module : ${tr(m.label)}` : `Module: ${tr(m.label)}`;
    requirements.push({ text, source: m.source });
  }
  for (const url of intake.links ?? []) {
    const host = new URL(url).hostname;
    requirements.push({
      text: lang === "fr" ? `Tenir compte de l'existant : ${host}` : `Take the existing ${host} into account`,
      source: "links",
    });
  }
  if (intake.assets) {
    requirements.push({
      text:
        lang === "fr"
          ? `Réutiliser les éléments fournis : ${clip(intake.assets, 140)}`
          : `Reuse the assets provided: ${clip(intake.assets, 140)}`,
      source: "assets",
    });
  }

  // 4. effort and complexity
  const moduleDays = found.reduce((sum, m) => sum + m.days, 0);
  const featureDays = Math.max(0, splitFeatures(intake.features).length - 3); // beyond three features, a day each
  const point = profile.baseDays + moduleDays + featureDays;
  const complexity: Analysis["complexity"] =
    point >= 60 || found.length >= 4 ? "high" : point < 25 && found.length <= 1 ? "low" : "medium";
  const effort = { min: Math.max(1, Math.floor(point * 0.85)), max: Math.ceil(point * 1.3) };
  // 5. budget, rounded to 100 EUR
  const budget = {
    min: roundTo(effort.min * DAY_RATE_CENTS, 10_000),
    max: roundTo(effort.max * DAY_RATE_CENTS, 10_000),
  };

  // 6. risks and questions
  const band = BUDGET_BAND_CENTS[intake.budget];
  if (band && band.max < budget.min) {
    risks.push({
      text:
        lang === "fr"
          ? "Le budget indiqué est inférieur à l'estimation : prévoir un périmètre réduit ou un lotissement."
          : "The budget given is below the estimate: plan a smaller scope or several stages.",
      source: "budget",
    });
  }
  if (!band) {
    questions.push(
      lang === "fr" ? "Quelle enveloppe budgétaire envisagez-vous ?" : "What budget do you have in mind?",
    );
  }
  const weeks = TIMELINE_WEEKS[intake.timeline];
  // one person works ~4 days a week on a project; two people in parallel at most
  if (weeks !== null && effort.min / 8 > weeks) {
    risks.push({
      text:
        lang === "fr"
          ? "Le délai souhaité est court pour l'effort estimé : prioriser un premier lot."
          : "The timeline is short for the estimated effort: prioritise a first release.",
      source: "timeline",
    });
  }
  if (!intake.assets && (intake.project_type === "website" || intake.project_type === "mobile_app")) {
    risks.push({
      text:
        lang === "fr"
          ? "Aucun contenu ni charte graphique fourni : la production de contenus peut retarder le projet."
          : "No content or brand guidelines provided: producing content may delay the project.",
      source: "assets",
    });
    questions.push(
      lang === "fr"
        ? "Disposez-vous d'un logo, d'une charte ou de contenus (textes, photos) ?"
        : "Do you have a logo, brand guidelines or content (copy, photos)?",
    );
  }
  if (splitFeatures(intake.features).length === 0) {
    questions.push(
      lang === "fr"
        ? "Quelles sont les trois fonctionnalités indispensables au lancement ?"
        : "Which three features are essential at launch?",
    );
  }
  if (found.some((m) => m.id === "offline" || m.id === "iot")) {
    risks.push({
      text:
        lang === "fr"
          ? "Usage terrain (hors ligne, capteurs) : tests sur place à prévoir."
          : "Field use (offline, sensors): on-site testing needed.",
      source: found.find((m) => m.id === "offline" || m.id === "iot")?.source ?? "features",
    });
  }
  if (found.some((m) => m.id === "payments")) {
    questions.push(
      lang === "fr"
        ? "Quel prestataire de paiement utilisez-vous déjà (Mobile Money, carte) ?"
        : "Which payment provider do you already use (mobile money, card)?",
    );
  }

  // phases: the profile's shares of the point estimate; build carries the modules' citation if any
  const phases: Analysis["phases"] = profile.phases.map((p) => ({
    phase: p.phase,
    name: tr(p.name),
    deliverable: tr(p.deliverable),
    effort_days: Math.max(1, Math.round(point * p.share)),
    source:
      p.phase === "build" && found.length > 0
        ? "features"
        : p.phase === "discovery"
          ? "goals"
          : p.phase === "launch"
            ? "timeline"
            : "project_type",
  }));

  const summary =
    lang === "fr"
      ? `${intake.organisation} souhaite un projet de type ${tr(profile.label)}. ` +
        `${found.length} module(s) identifié(s)${found.length ? ` (${found.map((m) => tr(m.label).toLowerCase()).join(", ")})` : ""}. ` +
        `Complexité ${{ low: "faible", medium: "moyenne", high: "élevée" }[complexity]}, ` +
        `${effort.min} à ${effort.max} jours estimés.`
      : `${intake.organisation} wants a ${tr(profile.label)} project. ` +
        `${found.length} module(s) identified${found.length ? ` (${found.map((m) => tr(m.label).toLowerCase()).join(", ")})` : ""}. ` +
        `${complexity[0]?.toUpperCase()}${complexity.slice(1)} complexity, ${effort.min} to ${effort.max} days estimated.`;

  return {
    summary,
    project_type: intake.project_type,
    requirements: requirements.slice(0, 30),
    risks: risks.slice(0, 20),
    open_questions: questions.slice(0, 20),
    complexity,
    effort_days: effort,
    budget_cents: budget,
    phases,
  };
}
