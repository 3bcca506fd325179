/**
 * Passwords in the browser, in French and in English (docs/decisions/023-password-reset-and-strength.md):
 * "Mot de passe oublié ?" from the sign-in page, the link read from the outbox by an admin, a guessable password
 * refused with zxcvbn's reason, the new one set, then signing in with it; changing one's password on the
 * account page (the other device is signed out, this one stays); the marketing site's sign-in links.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();

type Lang = "fr" | "en";
const L = {
  fr: {
    prefix: "",
    login: "/login",
    account: "/compte",
    forgot: /mot de passe oublié/i,
    send: /envoyer le lien/i,
    sent: /si un compte existe pour/i,
    newPassword: /^nouveau mot de passe/i,
    confirm: /^confirmez le nouveau mot de passe/i,
    save: /enregistrer le mot de passe/i,
    weak: /trop facile à deviner/i,
    done: /mot de passe est changé/i,
    invalid: /ne fonctionne plus/i,
    again: /demander un nouveau lien/i,
    current: /^mot de passe actuel$/i,
    change: /changer le mot de passe/i,
    wrong: /mot de passe actuel est incorrect/i,
    changed: /vos autres appareils sont déconnectés/i,
    activate: /activer/i,
    invitePassword: /nouveau mot de passe/i,
    inviteConfirm: /confirmez/i,
    subject: "Réinitialiser votre mot de passe Fataplus",
    resetPath: "/nouveau-mot-de-passe",
    signIn: /se connecter/i,
  },
  en: {
    prefix: "/en",
    login: "/en/login",
    account: "/en/account",
    forgot: /forgot your password/i,
    send: /send the link/i,
    sent: /if an account exists for/i,
    newPassword: /^new password/i,
    confirm: /^confirm the new password/i,
    save: /save the password/i,
    weak: /too easy to guess/i,
    done: /password is changed/i,
    invalid: /no longer works/i,
    again: /ask for a new link/i,
    current: /^current password$/i,
    change: /change the password/i,
    wrong: /current password is incorrect/i,
    changed: /other devices are signed out/i,
    activate: /activer|activate/i,
    invitePassword: /nouveau mot de passe|new password/i,
    inviteConfirm: /confirmez|confirm/i,
    subject: "Reset your Fataplus password",
    resetPath: "/en/new-password",
    signIn: /sign in/i,
  },
} as const;

/** A new client of acme, through an invitation accepted on the page in `lang` (the account takes that language). */
async function newClient(lang: Lang, password: string): Promise<string> {
  const page = await freshPage(context());
  await signIn(page, DEMO.admin);
  const email = `pw-${lang}-${Date.now()}@example.test`;
  const res = await page.request.post(siteUrl("/api/app/project/invitations?tenant=acme"), {
    headers: { origin: new URL(siteUrl("/")).origin },
    data: { email, role: "client" },
  });
  expect(res.status()).toBe(201);
  const { acceptPath } = (await res.json()) as { acceptPath: string };
  await context().clearCookies();
  await page.goto(siteUrl(`${L[lang].prefix}${acceptPath}`), { waitUntil: "domcontentloaded" });
  await page.getByLabel(L[lang].invitePassword).first().fill(password);
  await page.getByLabel(L[lang].inviteConfirm).fill(password);
  await page.getByRole("button", { name: L[lang].activate }).click();
  await page.getByRole("status").waitFor();
  await page.close();
  return email;
}

/** The latest reset e-mail to `email`, as an agency admin reads it in the outbox (then signed out again). */
async function resetMail(email: string): Promise<{ subject: string; link: string }> {
  const admin = await freshPage(context());
  await signIn(admin, DEMO.admin);
  const list = await admin.request.get(siteUrl(`/api/app/crm/outbox?q=${encodeURIComponent(email)}`));
  const items = ((await list.json()) as { items: Array<{ id: string; kind: string; subject: string }> })
    .items;
  const mail = items.find((m) => m.kind === "password.reset");
  if (!mail) throw new Error(`no reset mail in ${JSON.stringify(items)}`);
  await admin.goto(siteUrl(`/crm/outbox/${mail.id}`), { waitUntil: "domcontentloaded" });
  const body = (await admin.getByTestId("outbox-body").textContent()) ?? "";
  const link = /https?:\/\/\S+\?token=[\w%-]+/.exec(body)?.[0];
  if (!link) throw new Error(`no link in: ${body}`);
  await admin.close();
  await context().clearCookies();
  return { subject: mail.subject, link };
}

async function setNewPassword(page: Page, lang: Lang, password: string) {
  await page.getByLabel(L[lang].newPassword).fill(password);
  await page.getByLabel(L[lang].confirm).fill(password);
  await page.getByRole("button", { name: L[lang].save }).click();
}

async function signInWith(page: Page, loginUrl: string, email: string, password: string) {
  await page.goto(loginUrl, { waitUntil: "domcontentloaded" });
  await page.getByLabel(/e-mail|email/i).fill(email);
  await page.getByLabel(/^mot de passe$|^password$/i).fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.endsWith("/login"), { timeout: 15_000 }),
    page
      .getByRole("button", { name: L.fr.signIn })
      .or(page.getByRole("button", { name: L.en.signIn }))
      .click(),
  ]);
}

describe.each(["fr", "en"] as const)("password reset (%s)", (lang) => {
  it("asks for a link, reads it from the outbox, refuses a guessable password, sets a new one and signs in with it", async () => {
    const first = `Baobab-Lemurien-${lang}-Vanille-71`;
    const email = await newClient(lang, first);
    // French from the main site, English from the project's subdomain: the link goes back where it was asked.
    const loginUrl = lang === "fr" ? siteUrl(L.fr.login) : tenantUrl("acme", L.en.login);
    const page = await freshPage(context());
    await page.goto(loginUrl, { waitUntil: "domcontentloaded" });
    await page.getByRole("link", { name: L[lang].forgot }).click();
    await page.waitForURL(
      (u) => u.pathname === (lang === "fr" ? "/mot-de-passe-oublie" : "/en/forgot-password"),
    );
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByRole("button", { name: L[lang].send }).click();
    expect(await page.getByTestId("forgot-sent").textContent()).toMatch(L[lang].sent);
    await screenshot(page, `password-forgot-sent-${lang}`);

    // An unknown address gets exactly the same page.
    const ghost = await freshPage(context());
    await ghost.goto(page.url(), { waitUntil: "domcontentloaded" });
    await ghost.getByLabel(/e-mail/i).fill(`nobody-${Date.now()}@example.test`);
    await ghost.getByRole("button", { name: L[lang].send }).click();
    expect(await ghost.getByTestId("forgot-sent").textContent()).toMatch(L[lang].sent);
    await ghost.close();

    const mail = await resetMail(email);
    expect(mail.subject).toBe(L[lang].subject);
    const link = new URL(mail.link);
    expect(link.pathname).toBe(L[lang].resetPath);
    expect(link.origin).toBe(new URL(loginUrl).origin);

    await page.goto(mail.link, { waitUntil: "domcontentloaded" });
    await setNewPassword(page, lang, "motdepasse123");
    expect(await page.getByRole("alert").textContent()).toMatch(L[lang].weak);
    const fresh = `Tortue-Mangue-${lang}-Baobab-88`;
    await setNewPassword(page, lang, fresh);
    await page.waitForURL((u) => u.pathname === L[lang].login && u.searchParams.has("reset"));
    expect(await page.getByRole("status").textContent()).toMatch(L[lang].done);
    expect(await page.getByLabel(/e-mail|email/i).inputValue()).toBe(email);
    await screenshot(page, `password-reset-done-${lang}`);

    // The old password no longer works, the new one does.
    await page.getByLabel(/^mot de passe$|^password$/i).fill(first);
    await page.getByRole("button", { name: L[lang].signIn }).click();
    await page.getByRole("alert").waitFor();
    await signInWith(page, loginUrl, email, fresh);
    expect(new URL(page.url()).hostname).toBe(new URL(tenantUrl("acme")).hostname);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);

    // The link is used up: a clear page, in the language, with a way to ask for a new one.
    await context().clearCookies();
    const again = await page.goto(mail.link, { waitUntil: "domcontentloaded" });
    expect(again?.status()).toBe(404);
    expect(await page.locator("main h1").textContent()).toMatch(L[lang].invalid);
    await page.getByRole("link", { name: L[lang].again }).click();
    await page.waitForURL((u) =>
      u.pathname.endsWith(lang === "fr" ? "/mot-de-passe-oublie" : "/forgot-password"),
    );
    await page.close();
  });
});

describe.each(["fr", "en"] as const)("changing one's password on the account page (%s)", (lang) => {
  it("needs the right current password, refuses a guessable one, and signs out the other device only", async () => {
    const first = `Cannelle-Zebu-${lang}-Ravinala-64`;
    const email = await newClient(lang, first);
    const loginUrl = tenantUrl("acme", L[lang].login);
    const page = await freshPage(context());
    await signInWith(page, loginUrl, email, first);
    // A second device, signed in too.
    const browser = context().browser();
    if (!browser) throw new Error("no browser");
    const other: BrowserContext = await browser.newContext();
    const otherPage = await other.newPage();
    await signInWith(otherPage, loginUrl, email, first);

    const accountUrl = tenantUrl("acme", L[lang].account);
    await page.goto(accountUrl, { waitUntil: "domcontentloaded" });
    const section = page.getByTestId("password-section");
    const fill = async (current: string, next: string) => {
      await section.getByLabel(L[lang].current).fill(current);
      await section.getByLabel(L[lang].newPassword).fill(next);
      await section.getByLabel(L[lang].confirm).fill(next);
      await section.getByRole("button", { name: L[lang].change }).click();
    };
    await fill("not-my-password", `Tortue-Mangue-${lang}-Baobab-88`);
    expect(await page.getByRole("alert").textContent()).toMatch(L[lang].wrong);
    await fill(first, "azertyuiop123");
    expect(await page.getByRole("alert").textContent()).toMatch(L[lang].weak);
    const next = `Tortue-Mangue-${lang}-Baobab-88`;
    await fill(first, next);
    await page.waitForURL(
      (u) => u.pathname === L[lang].account && u.searchParams.get("password") === "changed",
    );
    expect(await page.getByRole("status").textContent()).toMatch(L[lang].changed);
    await screenshot(page, `password-changed-${lang}`);

    // This device stays signed in; the other one is signed out.
    await page.goto(accountUrl, { waitUntil: "domcontentloaded" });
    expect(new URL(page.url()).pathname).toBe(L[lang].account);
    await otherPage.goto(accountUrl, { waitUntil: "domcontentloaded" });
    expect(new URL(otherPage.url()).pathname).toMatch(/\/login$/);
    await other.close();

    await context().clearCookies();
    await signInWith(page, loginUrl, email, next);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await page.close();
  });
});

describe.each(["fr", "en"] as const)("the marketing site's sign-in links (%s)", (lang) => {
  it("the header and /contact's « Déjà client ? » open the sign-in page", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl(lang === "fr" ? "/" : "/en/"), { waitUntil: "domcontentloaded" });
    expect(await page.getByTestId("signin-link").getAttribute("href")).toBe(L[lang].login);
    await page.getByTestId("signin-link").click();
    await page.waitForURL((u) => u.pathname === L[lang].login);
    await page.goto(siteUrl(lang === "fr" ? "/contact/" : "/en/contact/"), { waitUntil: "domcontentloaded" });
    const link = page.locator("section[aria-labelledby=portal-heading]").getByTestId("contact-signin");
    expect(await link.getAttribute("href")).toBe(L[lang].login);
    await link.click();
    await page.waitForURL((u) => u.pathname === L[lang].login);
    expect(await page.locator("h1").textContent()).toMatch(lang === "fr" ? /connexion/i : /sign in/i);
    await page.close();
  });
});
