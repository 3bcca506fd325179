/**
 * The risks and open questions of the built-in analysis (step 6 of ../builtin.ts): the budget band below the
 * estimate, a timeline shorter than the effort, no assets for a brand-dependent project, no features listed,
 * an unknown budget, field use, payments. Each risk cites its answer.
 */
import { type Analysis, BUDGET_BAND_CENTS, type Intake, TIMELINE_WEEKS } from "../schema.ts";
import type { FoundModule } from "./modules.ts";
import type { L, Lang } from "./profiles.ts";
import { splitFeatures } from "./requirements.ts";

type Findings = { risks: Analysis["risks"]; questions: string[] };

export function risksAndQuestions(
  intake: Intake,
  estimate: { effort: { min: number; max: number }; budget: { min: number; max: number } },
  found: FoundModule[],
  lang: Lang,
): Findings {
  const out: Findings = { risks: [], questions: [] };
  const risk = (text: L, source: Analysis["risks"][number]["source"]) =>
    out.risks.push({ text: text[lang], source });
  const ask = (text: L) => out.questions.push(text[lang]);

  const band = BUDGET_BAND_CENTS[intake.budget];
  if (band && band.max < estimate.budget.min) {
    risk(
      {
        fr: "Le budget indiqué est inférieur à l'estimation : prévoir un périmètre réduit ou un lotissement.",
        en: "The budget given is below the estimate: plan a smaller scope or several stages.",
      },
      "budget",
    );
  }
  if (!band)
    ask({ fr: "Quelle enveloppe budgétaire envisagez-vous ?", en: "What budget do you have in mind?" });
  const weeks = TIMELINE_WEEKS[intake.timeline];
  // one person works ~4 days a week on a project; two people in parallel at most
  if (weeks !== null && estimate.effort.min / 8 > weeks) {
    risk(
      {
        fr: "Le délai souhaité est court pour l'effort estimé : prioriser un premier lot.",
        en: "The timeline is short for the estimated effort: prioritise a first release.",
      },
      "timeline",
    );
  }
  if (!intake.assets && (intake.project_type === "website" || intake.project_type === "mobile_app")) {
    risk(
      {
        fr: "Aucun contenu ni charte graphique fourni : la production de contenus peut retarder le projet.",
        en: "No content or brand guidelines provided: producing content may delay the project.",
      },
      "assets",
    );
    ask({
      fr: "Disposez-vous d'un logo, d'une charte ou de contenus (textes, photos) ?",
      en: "Do you have a logo, brand guidelines or content (copy, photos)?",
    });
  }
  if (splitFeatures(intake.features).length === 0) {
    ask({
      fr: "Quelles sont les trois fonctionnalités indispensables au lancement ?",
      en: "Which three features are essential at launch?",
    });
  }
  const field = found.find((m) => m.id === "offline" || m.id === "iot");
  if (field) {
    risk(
      {
        fr: "Usage terrain (hors ligne, capteurs) : tests sur place à prévoir.",
        en: "Field use (offline, sensors): on-site testing needed.",
      },
      field.source,
    );
  }
  if (found.some((m) => m.id === "payments")) {
    ask({
      fr: "Quel prestataire de paiement utilisez-vous déjà (Mobile Money, carte) ?",
      en: "Which payment provider do you already use (mobile money, card)?",
    });
  }
  return out;
}
