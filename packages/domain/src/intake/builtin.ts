/**
 * The built-in analyser: the default, offline and deterministic. Same intake in, same analysis out.
 *
 * How it decides (docs/decisions/009-intake-analysis-and-proposals.md repeats this with what it gets wrong):
 *  1. **Profile.** Each kind of project has a base effort (days) and a default list of phases, each with its
 *     share of the effort (./builtin/profiles.ts). The project type the visitor chose is kept as is.
 *  2. **Modules.** The goals and must-have features are searched, in French and English, for modules that add
 *     work (payments, accounts, offline use, maps, several languages, integrations, sensors…: ./builtin/modules.ts).
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
import { type FoundModule, findModules } from "./builtin/modules.ts";
import { DAY_RATE_CENTS, type L, type Lang, PROFILES, type Profile } from "./builtin/profiles.ts";
import { requirementsOf, splitFeatures } from "./builtin/requirements.ts";
import { risksAndQuestions } from "./builtin/risks.ts";
import type { Analysis, Intake } from "./schema.ts";

export { MODULES } from "./builtin/modules.ts";
export { DAY_RATE_CENTS, PROFILES } from "./builtin/profiles.ts";

const roundTo = (n: number, step: number) => Math.round(n / step) * step;

/** Steps 4 and 5: the point estimate, complexity, effort range (−15 % / +30 %) and budget (rounded to 100 EUR). */
function estimate(intake: Intake, profile: Profile, found: FoundModule[]) {
  const moduleDays = found.reduce((sum, m) => sum + m.days, 0);
  const featureDays = Math.max(0, splitFeatures(intake.features).length - 3); // beyond three features, a day each
  const point = profile.baseDays + moduleDays + featureDays;
  const complexity: Analysis["complexity"] =
    point >= 60 || found.length >= 4 ? "high" : point < 25 && found.length <= 1 ? "low" : "medium";
  const effort = { min: Math.max(1, Math.floor(point * 0.85)), max: Math.ceil(point * 1.3) };
  const budget = {
    min: roundTo(effort.min * DAY_RATE_CENTS, 10_000),
    max: roundTo(effort.max * DAY_RATE_CENTS, 10_000),
  };
  return { point, complexity, effort, budget };
}

/** The profile's phases as shares of the point estimate; build cites the features when modules were found. */
function phasesOf(profile: Profile, point: number, found: FoundModule[], lang: Lang): Analysis["phases"] {
  return profile.phases.map((p) => ({
    phase: p.phase,
    name: p.name[lang],
    deliverable: p.deliverable[lang],
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
}

/** Step 7: the summary, in the intake's language. */
function summaryOf(
  intake: Intake,
  profile: Profile,
  found: FoundModule[],
  { complexity, effort }: ReturnType<typeof estimate>,
): string {
  const lang: Lang = intake.locale;
  const tr = (l: L) => l[lang];
  const modules = found.length ? ` (${found.map((m) => tr(m.label).toLowerCase()).join(", ")})` : "";
  return lang === "fr"
    ? `${intake.organisation} souhaite un projet de type ${tr(profile.label)}. ` +
        `${found.length} module(s) identifié(s)${modules}. ` +
        `Complexité ${{ low: "faible", medium: "moyenne", high: "élevée" }[complexity]}, ` +
        `${effort.min} à ${effort.max} jours estimés.`
    : `${intake.organisation} wants a ${tr(profile.label)} project. ` +
        `${found.length} module(s) identified${modules}. ` +
        `${complexity[0]?.toUpperCase()}${complexity.slice(1)} complexity, ${effort.min} to ${effort.max} days estimated.`;
}

export function analyseBuiltin(intake: Intake): Analysis {
  const lang: Lang = intake.locale;
  const profile = PROFILES[intake.project_type];
  const found = findModules(intake);
  const est = estimate(intake, profile, found);
  const { risks, questions } = risksAndQuestions(intake, est, found, lang);
  return {
    summary: summaryOf(intake, profile, found, est),
    project_type: intake.project_type,
    requirements: requirementsOf(intake, found, lang).slice(0, 30),
    risks: risks.slice(0, 20),
    open_questions: questions.slice(0, 20),
    complexity: est.complexity,
    effort_days: est.effort,
    budget_cents: est.budget,
    phases: phasesOf(profile, est.point, found, lang),
  };
}
