/**
 * The requirements of the built-in analysis (step 3 of ../builtin.ts): the first sentences of the goals, every
 * must-have feature, each module found, each link and the assets, each citing the answer it comes from.
 */
import type { Analysis, Intake } from "../schema.ts";
import type { FoundModule } from "./modules.ts";
import type { Lang } from "./profiles.ts";

export const clip = (s: string, max = 200) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The must-have features the visitor listed: one per line, or separated by ; • or " - ". At most 12. */
export function splitFeatures(features: string | undefined): string[] {
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

export function requirementsOf(intake: Intake, found: FoundModule[], lang: Lang): Analysis["requirements"] {
  const requirements: Analysis["requirements"] = [];
  for (const s of sentences(intake.goals, 3)) requirements.push({ text: clip(s), source: "goals" });
  if (requirements.length === 0) requirements.push({ text: clip(intake.goals), source: "goals" });
  for (const f of splitFeatures(intake.features)) requirements.push({ text: clip(f), source: "features" });
  for (const m of found) {
    const text = lang === "fr" ? `Module : ${m.label.fr}` : `Module: ${m.label.en}`;
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
  return requirements;
}
