/** Strings of single sign-on (the sign-in and invitation pages' provider buttons, and why a sign-in failed). */
import { dictionary } from "./app";

export const ssoT = dictionary(
  {
    continueWith: "Continuer avec {provider}",
    or: "ou avec votre mot de passe",
    inviteOr: "ou choisissez un mot de passe",
    "fail.state": "Cette connexion a expiré ou a été commencée ailleurs. Recommencez.",
    "fail.denied": "La connexion a été annulée chez le fournisseur.",
    "fail.provider": "Le fournisseur de connexion ne répond pas. Réessayez dans un instant.",
    "fail.token": "La réponse du fournisseur n'a pas pu être vérifiée. Recommencez.",
    "fail.unverified":
      "Le fournisseur n'a pas confirmé votre adresse e-mail. Connectez-vous avec votre mot de passe, ou confirmez l'adresse chez lui.",
    "fail.no_account":
      "Aucun compte Fataplus n'utilise cette adresse. Demandez une invitation à votre agence, ou connectez-vous avec votre mot de passe.",
    "fail.invitation":
      "Cette invitation n'est plus valable, ou elle a été envoyée à une autre adresse que celle de ce compte.",
    "fail.disabled": "Ce compte est désactivé.",
    "fail.no_access": "Ce compte n'a pas accès à ce projet.",
    "fail.unavailable": "Cette méthode de connexion n'est pas disponible ici.",
    "fail.no_project": "Votre compte n'a encore accès à aucun projet.",
    "fail.sso_required":
      "Votre agence exige la connexion avec Google ou Microsoft : utilisez le bouton ci-dessus.",
    "policy.title": "Exiger Google ou Microsoft pour l'équipe de l'agence",
    "policy.lead":
      "Les administrateurs et l'équipe de l'agence ne pourront plus se connecter par mot de passe. Les clients ne sont pas concernés.",
    "policy.on": "Exigé : l'équipe se connecte uniquement avec Google ou Microsoft.",
    "policy.off": "Non exigé : l'équipe peut aussi se connecter par mot de passe.",
    "policy.enable": "Exiger",
    "policy.disable": "Ne plus exiger",
    "policy.linkFirst":
      "Connectez-vous d'abord une fois avec Google ou Microsoft, pour que l'agence ne puisse pas se retrouver bloquée.",
    "account.title": "Connexion avec Google ou Microsoft",
    "account.none":
      "Aucun compte Google ou Microsoft n'est lié. Il se lie la première fois que vous l'utilisez pour vous connecter avec cette adresse.",
    "account.linked": "{provider} — lié avec {email}, utilisé le {date}",
    "account.unlink": "Délier",
    "account.unlinked": "Ce fournisseur ne vous connecte plus par ce compte.",
    "account.failed": "Impossible de délier ce fournisseur pour le moment. Réessayez.",
  },
  {
    continueWith: "Continue with {provider}",
    or: "or with your password",
    inviteOr: "or choose a password",
    "fail.state": "This sign-in expired or was started elsewhere. Start again.",
    "fail.denied": "The sign-in was cancelled at the provider.",
    "fail.provider": "The sign-in provider is not answering. Try again in a moment.",
    "fail.token": "The provider's answer could not be verified. Start again.",
    "fail.unverified":
      "The provider did not confirm your e-mail address. Sign in with your password, or confirm the address there.",
    "fail.no_account":
      "No Fataplus account uses this address. Ask your agency for an invitation, or sign in with your password.",
    "fail.invitation":
      "This invitation is no longer valid, or it was sent to another address than this account's.",
    "fail.disabled": "This account is disabled.",
    "fail.no_access": "This account has no access to this project.",
    "fail.unavailable": "This way of signing in is not available here.",
    "fail.no_project": "Your account has no access to any project yet.",
    "fail.sso_required": "Your agency requires signing in with Google or Microsoft: use the button above.",
    "policy.title": "Require Google or Microsoft for the agency's team",
    "policy.lead":
      "The agency's admins and staff will no longer be able to sign in with a password. Clients are not concerned.",
    "policy.on": "Required: the team signs in only with Google or Microsoft.",
    "policy.off": "Not required: the team may also sign in with a password.",
    "policy.enable": "Require",
    "policy.disable": "Stop requiring",
    "policy.linkFirst": "Sign in once with Google or Microsoft first, so the agency can't get locked out.",
    "account.title": "Sign in with Google or Microsoft",
    "account.none":
      "No Google or Microsoft account is linked. One is linked the first time you use it to sign in with this address.",
    "account.linked": "{provider} — linked with {email}, last used on {date}",
    "account.unlink": "Unlink",
    "account.unlinked": "This provider no longer signs you in through that account.",
    "account.failed": "This provider could not be unlinked right now. Try again.",
  },
);

export const SSO_FAILURE_KEYS = [
  "state",
  "denied",
  "provider",
  "token",
  "unverified",
  "no_account",
  "invitation",
  "disabled",
  "no_access",
  "unavailable",
  "no_project",
  "sso_required",
] as const;

/** The API's refusal of a password sign-in that the agency's policy forbids (decision 025). */
export function isSsoRequired(error: { status: number; details: unknown }): boolean {
  return (
    error.status === 403 &&
    Array.isArray(error.details) &&
    error.details.some(
      (d) => typeof d === "object" && d !== null && (d as { message?: unknown }).message === "SSO_REQUIRED",
    )
  );
}

/** The message for a `?sso=<why>` of the API's redirect, or null for anything else. */
export function ssoFailureMessage(lang: "fr" | "en", why: string | null): string | null {
  const key = SSO_FAILURE_KEYS.find((k) => k === why);
  return key ? ssoT(lang)(`fail.${key}`) : null;
}
