/**
 * The e-mail the public intake sends the submitter (internal): the link to their project space, in the
 * intake's language. Anyone can submit the form for any address, so what the visitor typed is repeated only
 * when it can't be a link.
 */
import { mailSubject, visitorTextForMail } from "../mail/index.ts";
import type { Intake } from "./schema.ts";

export function invitationMail(opts: {
  intake: Intake;
  link: string;
  existingAccount: boolean;
  expires: string;
}): {
  subject: string;
  text: string;
} {
  const { intake, link, existingAccount } = opts;
  const day = opts.expires.slice(0, 10);
  // What the visitor typed is repeated only when it can't be a link (anyone can submit the form for any address).
  const name = visitorTextForMail(intake.name);
  const org = visitorTextForMail(intake.organisation);
  if (intake.locale === "en") {
    return {
      subject: mailSubject(
        org ? `Your project request for ${org} — Fataplus` : "Your project request — Fataplus",
      ),
      text: [
        name ? `Hello ${name},` : "Hello,",
        "",
        "Thank you for describing your project. We have prepared a project space for it, where you will find our proposal.",
        existingAccount
          ? "You already have a Fataplus account: sign in with it, then open this link to join the project:"
          : "Open this link to choose your password and enter your project space:",
        link,
        "",
        `The link works once, until ${day}. If you did not send this request, ignore this email.`,
        "",
        "Fataplus",
      ].join("\n"),
    };
  }
  return {
    subject: mailSubject(
      org ? `Votre demande de projet pour ${org} — Fataplus` : "Votre demande de projet — Fataplus",
    ),
    text: [
      name ? `Bonjour ${name},` : "Bonjour,",
      "",
      "Merci d'avoir décrit votre projet. Nous lui avons préparé un espace, où vous trouverez notre proposition.",
      existingAccount
        ? "Vous avez déjà un compte Fataplus : connectez-vous avec, puis ouvrez ce lien pour rejoindre le projet :"
        : "Ouvrez ce lien pour choisir votre mot de passe et entrer dans votre espace projet :",
      link,
      "",
      `Le lien fonctionne une fois, jusqu'au ${day}. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.`,
      "",
      "Fataplus",
    ].join("\n"),
  };
}
