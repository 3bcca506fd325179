/**
 * What a person reads when the API refuses something, in their language (decision 034). The API answers with a
 * stable code (`VALIDATION`, `UNAUTHENTICATED`…) and, per refused field, a stable key with its parameters
 * (`too_long`, `{ max: 80 }`); its English `message` is for logs and for English readers of messages that have
 * no key yet. A French reader never gets it: a code without its own sentence reads as the code's French one.
 */
import { ApiError, type FieldErrors, type Problem } from "@fataplus/api-client/http";
import type { Lang } from "./ui";

type Params = Record<string, string | number>;

/** "1 caractère", "80 caractères": the plural form comes from Intl.PluralRules, never "(s)". */
function counted(lang: Lang, n: number, forms: { one: string; other: string }): string {
  const rule = new Intl.PluralRules(lang).select(n);
  return `${new Intl.NumberFormat(lang).format(n)} ${rule === "one" ? forms.one : forms.other}`;
}

const num = (p: Params | undefined, name: string): number | undefined => {
  const v = p?.[name];
  return typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : undefined;
};

/** The sentence of one field's problem, by key. */
const fieldSentences: Record<Lang, Record<string, (p: Params | undefined) => string>> = {
  fr: {
    required: () => "Ce champ est obligatoire.",
    too_long: (p) => {
      const max = num(p, "max");
      return max === undefined
        ? "Ce texte est trop long."
        : `Au plus ${counted("fr", max, { one: "caractère", other: "caractères" })}.`;
    },
    too_short: (p) => {
      const min = num(p, "min");
      return min === undefined
        ? "Ce texte est trop court."
        : `Au moins ${counted("fr", min, { one: "caractère", other: "caractères" })}.`;
    },
    too_many: (p) => {
      const max = num(p, "max");
      return max === undefined
        ? "Trop d'éléments."
        : `Au plus ${counted("fr", max, { one: "élément", other: "éléments" })}.`;
    },
    too_few: (p) => {
      const min = num(p, "min");
      return min === undefined
        ? "Pas assez d'éléments."
        : `Au moins ${counted("fr", min, { one: "élément", other: "éléments" })}.`;
    },
    too_big: (p) => {
      const max = num(p, "max");
      return max === undefined
        ? "Valeur trop grande."
        : `Au plus ${new Intl.NumberFormat("fr").format(max)}.`;
    },
    too_small: (p) => {
      const min = num(p, "min");
      return min === undefined
        ? "Valeur trop petite."
        : `Au moins ${new Intl.NumberFormat("fr").format(min)}.`;
    },
    invalid_url: () => "Saisissez un lien complet, commençant par https://.",
    invalid_email: () => "Saisissez une adresse e-mail valide (nom@exemple.com).",
    invalid_value: () => "Choisissez une des valeurs proposées.",
    invalid: () => "Cette valeur n'est pas valide.",
    date_order: () => "La date de fin doit être le jour de début ou après.",
    taken: () => "Déjà pris : choisissez-en un autre.",
    not_right: () => "Ce code n'est pas le bon.",
    file_type: () => "Ce type de fichier n'est pas accepté.",
  },
  en: {
    required: () => "This field is required.",
    too_long: (p) => {
      const max = num(p, "max");
      return max === undefined
        ? "This text is too long."
        : `At most ${counted("en", max, { one: "character", other: "characters" })}.`;
    },
    too_short: (p) => {
      const min = num(p, "min");
      return min === undefined
        ? "This text is too short."
        : `At least ${counted("en", min, { one: "character", other: "characters" })}.`;
    },
    too_many: (p) => {
      const max = num(p, "max");
      return max === undefined
        ? "Too many items."
        : `At most ${counted("en", max, { one: "item", other: "items" })}.`;
    },
    too_few: (p) => {
      const min = num(p, "min");
      return min === undefined
        ? "Not enough items."
        : `At least ${counted("en", min, { one: "item", other: "items" })}.`;
    },
    too_big: (p) => {
      const max = num(p, "max");
      return max === undefined ? "Value too large." : `At most ${new Intl.NumberFormat("en").format(max)}.`;
    },
    too_small: (p) => {
      const min = num(p, "min");
      return min === undefined ? "Value too small." : `At least ${new Intl.NumberFormat("en").format(min)}.`;
    },
    invalid_url: () => "Enter a full link starting with https://.",
    invalid_email: () => "Enter a valid e-mail address (name@example.com).",
    invalid_value: () => "Choose one of the values offered.",
    invalid: () => "This value is not valid.",
    date_order: () => "The end date must be on or after the start date.",
    taken: () => "Already taken: choose another one.",
    not_right: () => "This code is not right.",
    file_type: () => "This type of file is not accepted.",
  },
};

/** The sentence of a whole refusal, by code, for the codes whose English message says nothing more. */
const codeSentences: Record<Lang, Record<string, string>> = {
  fr: {
    VALIDATION: "Certains champs sont à corriger.",
    BAD_QUERY: "Cette recherche ou ce filtre n'est pas valide.",
    TENANT_REQUIRED: "Choisissez d'abord un projet.",
    UNAUTHENTICATED: "Connectez-vous d'abord.",
    FORBIDDEN: "Vous n'avez pas accès à cette action.",
    NOT_FOUND: "Introuvable : cet élément n'existe pas ou plus, ou vous n'y avez pas accès.",
    METHOD_NOT_ALLOWED: "Cette action n'est pas possible ici.",
    CONFLICT:
      "Cette action n'est plus possible : l'élément a changé entre-temps ou c'est déjà fait. Rechargez la page.",
    PAYLOAD_TOO_LARGE: "Le fichier ou le texte envoyé est trop volumineux.",
    UNSUPPORTED_MEDIA_TYPE: "Ce type de fichier n'est pas accepté.",
    UNPROCESSABLE: "Cette action n'est pas possible dans l'état actuel.",
    RATE_LIMITED: "Trop de tentatives en peu de temps.",
    INTERNAL: "Une erreur de notre côté. Réessayez dans un instant : ce que vous avez saisi est conservé.",
    UPSTREAM_UNAVAILABLE: "Le service est momentanément indisponible. Réessayez dans un instant.",
  },
  en: {
    VALIDATION: "Some fields need fixing.",
    TENANT_REQUIRED: "Choose a project first.",
    UNAUTHENTICATED: "Sign in first.",
    FORBIDDEN: "You don't have access to this action.",
    RATE_LIMITED: "Too many attempts in a short time.",
    INTERNAL: "Something went wrong on our side. Try again in a moment: what you typed is kept.",
    UPSTREAM_UNAVAILABLE: "The service is briefly unavailable. Try again in a moment.",
  },
};

/**
 * One field's problem in `lang`: its key's sentence. A problem without a key was written by hand for people
 * (some in the reader's language already, like the password rules): its message is shown as it is.
 */
export function problemText(lang: Lang, p: Problem): string {
  const sentence = p.key ? fieldSentences[lang][p.key] : undefined;
  return sentence ? sentence(p.params) : p.message;
}

/** "Réessayez dans 2 minutes." for a 429 that says how long to wait. */
function waitText(lang: Lang, seconds: number | null): string {
  if (seconds === null) return "";
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return lang === "fr"
    ? ` Réessayez dans ${counted("fr", minutes, { one: "minute", other: "minutes" })}.`
    : ` Try again in ${counted("en", minutes, { one: "minute", other: "minutes" })}.`;
}

/**
 * A refusal as one sentence in `lang`, or `fallback` when no answer of the API's came (network down, not an
 * ApiError). A validation refusal names its fields: "Certains champs sont à corriger. title : Au plus 80…".
 */
export function apiErrorText(lang: Lang, error: unknown, fallback: string): string {
  if (!(error instanceof ApiError) || error.status === 0 || error.code === "HTTP_ERROR") return fallback;
  const own = codeSentences[lang][error.code];
  if (error.code === "VALIDATION") {
    const problems = error.problems;
    if (problems.length === 0) return lang === "en" ? error.message || (own ?? fallback) : (own ?? fallback);
    const lines = problems.slice(0, 3).map((p) => `${p.path} : ${problemText(lang, p)}`);
    return `${own ?? ""} ${lines.join(" · ")}`.trim();
  }
  if (error.code === "RATE_LIMITED") return `${own ?? fallback}${waitText(lang, error.retryAfter)}`;
  if (lang === "en") return error.message || own || fallback;
  return own ?? fallback;
}

/** The refused fields, one sentence each in `lang` (the first problem of each field). */
export function fieldErrorsIn(lang: Lang, error: unknown): FieldErrors {
  const fields: FieldErrors = {};
  if (!(error instanceof ApiError)) return fields;
  for (const p of error.problems) {
    const field = p.path.split(".")[0] ?? "";
    if (field && !(field in fields)) fields[field] = problemText(lang, p);
  }
  return fields;
}

/** The catalogue's English sentences, for the test that no French screen shows one. */
export const englishSentences = (): string[] => [
  ...Object.values(codeSentences.en),
  ...Object.values(fieldSentences.en).flatMap((f) => [f(undefined), f({ max: 80, min: 2 })]),
];
