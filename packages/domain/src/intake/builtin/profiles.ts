/**
 * The built-in analyser's profiles (step 1 of ../builtin.ts): per kind of project, a base effort in days and
 * the default phases, each with its share of the effort, in French and English.
 */
import type { PhaseKey } from "../../vocabulary/intake.ts";
import type { ProjectType } from "../schema.ts";

/** The agency's day rate, in cents (EUR). */
export const DAY_RATE_CENTS = 50_000;

export type Lang = "fr" | "en";
/** A text in both languages. */
export type L = { fr: string; en: string };
export type { PhaseKey };

export type Profile = {
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
