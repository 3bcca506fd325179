/**
 * The password rule for every place a password is chosen (a reset, a change, accepting an invitation): at least
 * 12 characters (`passwordSchema`), not guessable (zxcvbn-ts with its common, French and English dictionaries
 * scores it at least 3 of 4), and without the person's e-mail address or name. The reason for a refusal is
 * zxcvbn's own feedback, in French or English (docs/decisions/023-password-reset-and-strength.md).
 *
 * The dictionaries are large (about 1.1 MB gzipped) and turning them into zxcvbn's ranked lists costs a few
 * hundred milliseconds of CPU: they are imported and built on the first check only, once per isolate, so that
 * the requests that choose no password never pay for them.
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { DomainError } from "../kernel/errors.ts";

/** The lowest zxcvbn score (0 to 4) a new password may have. */
export const MIN_PASSWORD_SCORE = 3;

type Lang = "fr" | "en";
type Feedback = { warnings: Record<string, string>; suggestions: Record<string, string> };

type Checker = { zxcvbn: ZxcvbnFactory; feedback: Record<Lang, Feedback> };

let checker: Promise<Checker> | undefined;

async function buildChecker(): Promise<Checker> {
  const [{ ZxcvbnFactory }, common, fr, en] = await Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-fr"),
    import("@zxcvbn-ts/language-en"),
  ]);
  // No `translations`: zxcvbn then answers with its feedback keys, which are looked up in either language.
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return { zxcvbn, feedback: { fr: fr.translations, en: en.translations } };
}

/** zxcvbn, built on first use (and built again after a failed build). */
function getChecker(): Promise<Checker> {
  checker ??= buildChecker().catch((e: unknown) => {
    checker = undefined;
    throw e;
  });
  return checker;
}

/** Lower case, without accents: "Émilie" and "emilie" are the same word here. */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** The parts of an e-mail address and a name that a password must not contain (4 characters or more). */
export function personalWords(person: { email: string; name?: string | null }): string[] {
  const email = fold(person.email.trim());
  const local = email.split("@")[0] ?? "";
  const words = [
    email,
    local,
    ...local.split(/[^\p{L}\p{N}]+/u),
    ...fold(person.name ?? "").split(/[^\p{L}\p{N}]+/u),
  ];
  return [...new Set(words.filter((w) => w.length >= 4))];
}

const MESSAGES = {
  fr: {
    personal: "Le mot de passe ne doit contenir ni votre adresse e-mail ni votre nom.",
    weak: "Ce mot de passe est trop facile à deviner.",
    longer: "Allongez-le, par exemple avec plusieurs mots peu courants.",
  },
  en: {
    personal: "The password must not contain your e-mail address or your name.",
    weak: "This password is too easy to guess.",
    longer: "Make it longer, for example with several uncommon words.",
  },
} as const;

export type PasswordVerdict =
  | { ok: true; score: number }
  | { ok: false; score: number; reason: Record<Lang, string> };

/**
 * How guessable `password` is for this person: its zxcvbn score and, when it is refused, why (in French and in
 * English: zxcvbn's warning and first suggestion, or ours when it contains the person's address or name).
 */
export async function assessPassword(
  password: string,
  person: { email: string; name?: string | null },
): Promise<PasswordVerdict> {
  const words = personalWords(person);
  const folded = fold(password);
  const { zxcvbn, feedback } = await getChecker();
  const result = zxcvbn.check(password, words);
  if (words.some((w) => folded.includes(w)))
    return {
      ok: false,
      score: result.score,
      reason: { fr: MESSAGES.fr.personal, en: MESSAGES.en.personal },
    };
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score };
  const reasonIn = (lang: Lang) => {
    const { warning, suggestions } = result.feedback;
    const said = [
      MESSAGES[lang].weak,
      warning ? feedback[lang].warnings[warning] : undefined,
      suggestions[0] ? feedback[lang].suggestions[suggestions[0]] : MESSAGES[lang].longer,
    ];
    return said
      .filter((s): s is string => typeof s === "string" && s !== "")
      .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`))
      .join(" ");
  };
  return { ok: false, score: result.score, reason: { fr: reasonIn("fr"), en: reasonIn("en") } };
}

/**
 * Refuses a guessable password with VALIDATION, its reason in `lang` on the field `path` (the message and the
 * detail say the same). Call it after the length check of the input schema.
 */
export async function assertStrongPassword(
  password: string,
  person: { email: string; name?: string | null },
  lang: Lang,
  path = "password",
): Promise<void> {
  const verdict = await assessPassword(password, person);
  if (verdict.ok) return;
  throw new DomainError("VALIDATION", verdict.reason[lang], {
    details: [{ path, message: verdict.reason[lang] }],
  });
}
