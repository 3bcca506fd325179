/**
 * Strings of the password screens: "Mot de passe oublié ?" (asking for a link), the reset page (choosing a new
 * password from the link), the account page's password section, and the marketing site's sign-in links.
 */
import { dictionary } from "./app";

export const passwordsT = dictionary(
  {
    "forgot.link": "Mot de passe oublié ?",
    "forgot.title": "Mot de passe oublié",
    "forgot.lead":
      "Indiquez l'adresse e-mail de votre compte : nous vous envoyons un lien pour choisir un nouveau mot de passe.",
    "forgot.email": "Adresse e-mail",
    "forgot.submit": "Envoyer le lien",
    "forgot.sent":
      "Si un compte existe pour {email}, un e-mail vient de partir avec un lien valable 30 minutes. Pensez à regarder dans les indésirables.",
    "forgot.invalid": "Saisissez une adresse e-mail valide.",
    "forgot.tooMany": "Trop de demandes. Réessayez dans {minutes} min.",
    "forgot.back": "Retour à la connexion",
    "reset.title": "Choisir un nouveau mot de passe",
    "reset.lead":
      "Au moins 12 caractères, difficile à deviner : plusieurs mots peu courants font un bon mot de passe. Tous vos appareils seront déconnectés.",
    "reset.password": "Nouveau mot de passe (12 caractères minimum)",
    "reset.confirm": "Confirmez le nouveau mot de passe",
    "reset.submit": "Enregistrer le mot de passe",
    "reset.short": "Le mot de passe doit faire au moins 12 caractères.",
    "reset.mismatch": "Les deux mots de passe ne correspondent pas.",
    "reset.invalidTitle": "Ce lien ne fonctionne plus",
    "reset.invalid":
      "Ce lien de réinitialisation est inconnu, a déjà servi ou a expiré (il est valable 30 minutes, et seul le dernier lien demandé fonctionne).",
    "reset.again": "Demander un nouveau lien",
    "reset.done": "Votre mot de passe est changé. Connectez-vous avec le nouveau.",
    "account.heading": "Mot de passe",
    "account.lead":
      "Changer de mot de passe déconnecte tous vos autres appareils ; vous restez connecté sur celui-ci.",
    "account.current": "Mot de passe actuel",
    "account.new": "Nouveau mot de passe (12 caractères minimum)",
    "account.confirm": "Confirmez le nouveau mot de passe",
    "account.submit": "Changer le mot de passe",
    "account.changed": "Votre mot de passe est changé. Vos autres appareils sont déconnectés.",
    "account.wrongCurrent": "Le mot de passe actuel est incorrect.",
    "account.forgot": "Mot de passe actuel oublié ?",
    "marketing.signIn": "Se connecter",
    "marketing.contactSignIn": "Se connecter à votre espace",
  },
  {
    "forgot.link": "Forgot your password?",
    "forgot.title": "Forgot your password",
    "forgot.lead": "Enter your account's e-mail address: we'll send you a link to choose a new password.",
    "forgot.email": "E-mail address",
    "forgot.submit": "Send the link",
    "forgot.sent":
      "If an account exists for {email}, an e-mail is on its way with a link valid for 30 minutes. Check your spam folder too.",
    "forgot.invalid": "Enter a valid e-mail address.",
    "forgot.tooMany": "Too many requests. Try again in {minutes} min.",
    "forgot.back": "Back to sign in",
    "reset.title": "Choose a new password",
    "reset.lead":
      "At least 12 characters, hard to guess: several uncommon words make a good password. Every device will be signed out.",
    "reset.password": "New password (at least 12 characters)",
    "reset.confirm": "Confirm the new password",
    "reset.submit": "Save the password",
    "reset.short": "The password must be at least 12 characters long.",
    "reset.mismatch": "The two passwords don't match.",
    "reset.invalidTitle": "This link no longer works",
    "reset.invalid":
      "This reset link is unknown, was already used or has expired (it is valid for 30 minutes, and only the latest link asked for works).",
    "reset.again": "Ask for a new link",
    "reset.done": "Your password is changed. Sign in with the new one.",
    "account.heading": "Password",
    "account.lead": "Changing your password signs out every other device; you stay signed in on this one.",
    "account.current": "Current password",
    "account.new": "New password (at least 12 characters)",
    "account.confirm": "Confirm the new password",
    "account.submit": "Change the password",
    "account.changed": "Your password is changed. Your other devices are signed out.",
    "account.wrongCurrent": "The current password is incorrect.",
    "account.forgot": "Forgot your current password?",
    "marketing.signIn": "Sign in",
    "marketing.contactSignIn": "Sign in to your space",
  },
);

/** The password pages' paths in each language (the reset page's is also in the domain's reset e-mail). */
export const PASSWORD_PATHS = {
  forgot: { fr: "/mot-de-passe-oublie", en: "/en/forgot-password" },
  reset: { fr: "/nouveau-mot-de-passe", en: "/en/new-password" },
  login: { fr: "/login", en: "/en/login" },
  account: { fr: "/compte", en: "/en/account" },
  change: { fr: "/compte/mot-de-passe", en: "/en/account/password" },
} as const;
