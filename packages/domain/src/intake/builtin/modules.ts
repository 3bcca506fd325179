/**
 * The modules that add work (step 2 of ../builtin.ts), with the words that reveal them in the goals and the
 * must-have features, in French and English.
 */
import type { AnswerKey, Intake } from "../schema.ts";
import type { L } from "./profiles.ts";

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

export const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * Word match: the word must stand alone ("map" is not in "bitmap", "carte" is not in "cartel"), an optional
 * plural s or x aside ("cartes" is "carte"). A word written with a trailing `*` is a stem ("synchronis*" finds
 * "synchronisation").
 */
export function mentions(haystack: string, word: string): boolean {
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

export type FoundModule = { id: string; days: number; label: L; source: AnswerKey };

/** The modules an intake mentions, each citing the answer it was found in: the features first, then the goals. */
export function findModules(intake: Intake): FoundModule[] {
  const folded: Array<[AnswerKey, string]> = [
    ["features", fold(intake.features ?? "")],
    ["goals", fold(intake.goals)],
  ];
  const found: FoundModule[] = [];
  for (const m of MODULES) {
    const hit = folded.find(([, text]) => m.words.some((w) => mentions(text, w)));
    if (hit) found.push({ id: m.id, days: m.days, label: m.label, source: hit[0] });
  }
  return found;
}
