/**
 * Two-step verification in the browser (decision 024), in French and English: a client turns it on from the
 * account page (the code is computed here from the key shown in text, with otpauth, as an app would), signs out,
 * signs in with the password and a code, then with a recovery code; an agency admin sets the grace period, staff
 * are reminded before it and must enrol at sign-in after it.
 */
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, DEMO_PASSWORD, fetchAt, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();
const PASSWORD = "Un-mot-de-passe-solide-42";

/** The code an authenticator app shows for `secret`, for a step later than `after` (waits for it if needed). */
async function freshCode(secret: string, after: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if (step > after) {
      const totp = new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
      return { code: totp.generate(), step };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function invitedClient(page: Page, tenant: string, lang: "fr" | "en"): Promise<string> {
  await signIn(page, DEMO.admin);
  const email = `mfa-${lang}-${Date.now()}@example.test`;
  const invitation = await page.evaluate(
    async ({ email, tenant }) => {
      const res = await fetch(`/api/app/project/invitations?tenant=${tenant}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role: "client" }),
      });
      return { status: res.status, body: (await res.json()) as { acceptPath?: string } };
    },
    { email, tenant },
  );
  expect(invitation.status).toBe(201);
  await context().clearCookies();
  await page.goto(siteUrl(invitation.body.acceptPath ?? "/invitation"), { waitUntil: "domcontentloaded" });
  await page.getByLabel(/nouveau mot de passe/i).fill(PASSWORD);
  await page.getByLabel(/confirmez/i).fill(PASSWORD);
  await page.getByRole("button", { name: /activer/i }).click();
  expect(await page.getByRole("status").textContent()).toContain(email);
  return email;
}

async function passwordStep(page: Page, loginUrl: string, email: string, password = PASSWORD) {
  await page.goto(loginUrl, { waitUntil: "domcontentloaded" });
  await page.getByLabel(/e-mail|email/i).fill(email);
  await page.getByLabel(/mot de passe|password/i).fill(password);
  await submit(page, /se connecter|sign in/i);
}

/** Clicks a form's submit button and waits for the page the POST answers (a redirect, or the same URL). */
async function submit(page: Page, name: RegExp): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: "domcontentloaded" }),
    page.getByRole("button", { name }).click(),
  ]);
}

/** Signs out with the portal's own button (the session ends on the server), from the page's host. */
async function signOut(page: Page): Promise<void> {
  await page.goto(new URL("/", page.url()).href, { waitUntil: "domcontentloaded" });
  await Promise.all([
    page.waitForURL((u) => u.pathname.endsWith("/login")),
    page.getByRole("button", { name: /se déconnecter|sign out/i }).click(),
  ]);
  await context().clearCookies();
}

describe("two-step verification for a client (français)", () => {
  let email = "";
  let secret = "";
  let recovery: string[] = [];
  let lastStep = 0;

  it("turns it on from /compte: QR code, key in text, a valid code, ten recovery codes", async () => {
    const page = await freshPage(context());
    email = await invitedClient(page, "acme", "fr");
    await passwordStep(page, tenantUrl("acme", "/login"), email);
    await page.goto(tenantUrl("acme", "/compte"), { waitUntil: "domcontentloaded" });
    const section = page.getByTestId("account-mfa");
    expect(await section.getByRole("heading").first().textContent()).toMatch(/double authentification/i);
    expect(await page.getByTestId("mfa-state").textContent()).toMatch(/désactivée/i);
    await page.getByRole("button", { name: /activer la double authentification/i }).click();
    await page.getByTestId("totp-secret").waitFor();
    expect(await page.getByTestId("totp-qr").locator("svg").count()).toBe(1);
    secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel(/code à 6 chiffres/i).fill("000000");
    await page.getByRole("button", { name: /confirmer/i }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/pas le bon/i);

    const first = await freshCode(secret, 0);
    lastStep = first.step;
    await page.getByLabel(/code à 6 chiffres/i).fill(first.code);
    await page.getByRole("button", { name: /confirmer/i }).click();
    await page.getByTestId("recovery-codes").waitFor();
    recovery = (await page.getByTestId("recovery-codes").locator("li").allTextContents()).map((c) =>
      c.trim(),
    );
    expect(recovery).toHaveLength(10);
    expect(await page.getByTestId("mfa-state").textContent()).toMatch(/activée depuis/i);
    await screenshot(page, "mfa-enrolled-fr");
    await signOut(page);
    await page.close();
  }, 120_000);

  it("signs in with the password, then a code (a wrong code is refused, what was typed stays readable)", async () => {
    const page = await freshPage(context());
    await passwordStep(page, siteUrl("/login"), email);
    expect(await page.getByTestId("mfa-step").getAttribute("data-step")).toBe("verify");
    expect(page.url()).toContain("/login");
    expect(await page.getByLabel(/mot de passe/i).count()).toBe(0);
    await page.getByLabel(/code à 6 chiffres/i).fill("000000");
    await submit(page, /vérifier/i);
    expect(await page.getByRole("alert").textContent()).toMatch(/pas le bon/i);
    const next = await freshCode(secret, lastStep);
    lastStep = next.step;
    await page.getByLabel(/code à 6 chiffres/i).fill(next.code);
    await Promise.all([
      page.waitForURL((u) => u.hostname.startsWith("acme.")),
      page.getByRole("button", { name: /vérifier/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await signOut(page);
    await page.close();
  }, 120_000);

  it("signs in with a recovery code, which works once", async () => {
    const page = await freshPage(context());
    await passwordStep(page, siteUrl("/login"), email);
    await submit(page, /utiliser un code de secours/i);
    await page.getByLabel(/code de secours/i).fill(recovery[0] ?? "");
    await Promise.all([
      page.waitForURL((u) => u.hostname.startsWith("acme.")),
      page.getByRole("button", { name: /vérifier/i }).click(),
    ]);
    await page.goto(tenantUrl("acme", "/compte"), { waitUntil: "domcontentloaded" });
    await page.getByTestId("mfa-state").waitFor();
    expect(await page.getByTestId("mfa-state").textContent()).toMatch(/restants : 9/);
    await signOut(page);

    await passwordStep(page, siteUrl("/login"), email);
    await submit(page, /utiliser un code de secours/i);
    await page.getByLabel(/code de secours/i).fill(recovery[0] ?? "");
    await submit(page, /vérifier/i);
    expect(await page.getByRole("alert").textContent()).toMatch(/pas le bon/i);
    expect(page.url()).toContain("/login");
    await page.close();
  }, 120_000);
});

describe("the sign-in page's second step refuses what is not its own form", () => {
  it("answers a readable 4xx, never a 5xx, for a missing challenge, a bad key or a junk code", async () => {
    const origin = new URL(siteUrl("/")).origin;
    const post = (fields: Record<string, string>) =>
      fetchAt(siteUrl("/login"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({ email: "x@example.test", ...fields }).toString(),
      });
    const missing = await post({ step: "mfa", kind: "verify", code: "123456" });
    expect(missing.status).toBe(401);
    expect(await missing.text()).toMatch(/a expiré/);
    const badKey = await post({
      step: "mfa",
      kind: "enrol",
      challenge: "c".repeat(43),
      secret: "not a key!",
      code: "1",
    });
    expect(badKey.status).toBe(400);
    const junk = await post({ step: "mfa", kind: "verify", challenge: "c".repeat(43), code: "<script>" });
    expect(junk.status).toBe(401);
    const text = await junk.text();
    expect(text).toMatch(/a expiré/);
    expect(text).not.toContain("<script>");
  });
});

describe("two-step verification in English", () => {
  it("turns it on from /en/account, then signs in on /en/login with a code and with a recovery code", async () => {
    const page = await freshPage(context());
    const email = await invitedClient(page, "globex", "en");
    await passwordStep(page, tenantUrl("globex", "/en/login"), email);
    await page.goto(tenantUrl("globex", "/en/account"), { waitUntil: "domcontentloaded" });
    await page.getByRole("button", { name: /turn on two-step verification/i }).click();
    await page.getByTestId("totp-secret").waitFor();
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
    const first = await freshCode(secret, 0);
    await page.getByLabel(/6-digit code/i).fill(first.code);
    await page.getByRole("button", { name: /confirm/i }).click();
    await page.getByTestId("recovery-codes").waitFor();
    const recovery = (await page.getByTestId("recovery-codes").locator("li").allTextContents()).map((c) =>
      c.trim(),
    );
    expect(recovery).toHaveLength(10);
    expect(await page.getByTestId("mfa-state").textContent()).toMatch(/on since/i);
    await signOut(page);

    await passwordStep(page, tenantUrl("globex", "/en/login"), email);
    expect(await page.getByRole("heading", { name: /two-step verification/i }).count()).toBe(1);
    const next = await freshCode(secret, first.step);
    await page.getByLabel(/6-digit code/i).fill(next.code);
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/en/" || u.pathname === "/"),
      page.getByRole("button", { name: /verify/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/globex/i);
    await signOut(page);

    await passwordStep(page, tenantUrl("globex", "/en/login"), email);
    await submit(page, /use a recovery code/i);
    await page.getByLabel(/recovery code/i).fill(recovery[4] ?? "");
    await Promise.all([
      page.waitForURL((u) => !u.pathname.endsWith("/login")),
      page.getByRole("button", { name: /verify/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/globex/i);
    await page.close();
  }, 150_000);
});

describe("required for the agency's staff after the grace period", () => {
  const setPolicy = async (page: Page, day: string | null) => {
    await page.goto(siteUrl("/crm/settings/security"), { waitUntil: "domcontentloaded" });
    if (day === null) {
      await submit(page, /ne plus exiger|stop requiring/i);
    } else {
      await page.getByLabel(/dernier jour|last day/i).fill(day);
      await submit(page, /enregistrer|save/i);
    }
    expect(await page.getByRole("status").textContent()).toMatch(/enregistrée|saved/i);
  };
  let staffSecret = "";
  let staffRecovery: string[] = [];

  /** The admin's session, kept from before the deadline (after it, the admin too would have to enrol). */
  let adminCookies: Awaited<ReturnType<ReturnType<typeof context>["cookies"]>> = [];
  const asAdmin = async () => {
    await context().clearCookies();
    await context().addCookies(adminCookies);
  };

  afterAll(async () => {
    // leave the shared stack as it was: no policy, and the demo staff account without TOTP
    const page = await freshPage(context());
    await asAdmin();
    await setPolicy(page, null);
    await context().clearCookies();
    if (staffRecovery[0]) {
      await passwordStep(page, siteUrl("/login"), DEMO.staff, DEMO_PASSWORD);
      await submit(page, /code de secours|recovery code/i);
      await page.getByLabel(/code de secours|recovery code/i).fill(staffRecovery[0]);
      await submit(page, /vérifier|verify/i);
      const status = await page.evaluate(
        async ({ password, recoveryCode }) =>
          (
            await fetch("/api/app/account/mfa/disable", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ password, recoveryCode }),
            })
          ).status,
        { password: DEMO_PASSWORD, recoveryCode: staffRecovery[1] ?? "" },
      );
      expect(status).toBe(200);
    }
    await context().clearCookies();
    await page.close();
  }, 120_000);

  it("the admin sets the date and sees who has not enrolled; before it, staff are reminded on /compte", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    adminCookies = await context().cookies();
    const future = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await setPolicy(page, future);
    expect(await page.getByTestId("mfa-policy-current").textContent()).toMatch(/exigée à partir du/i);
    expect(await page.getByTestId("mfa-not-enrolled").textContent()).toContain(DEMO.staff);
    await screenshot(page, "mfa-policy-fr");

    await context().clearCookies();
    await signIn(page, DEMO.staff); // before the deadline: password only
    expect(new URL(page.url()).pathname).toBe("/crm");
    await page.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    expect(await page.getByTestId("mfa-required").textContent()).toMatch(/exige la double authentification/i);
    await context().clearCookies();

    // staff can't set the policy
    await signIn(page, DEMO.staff);
    const res = await page.goto(siteUrl("/crm/settings/security"), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(403);
    expect(await page.getByRole("alert").textContent()).toMatch(/seul un administrateur/i);
    await page.close();
  }, 120_000);

  it("after it, staff signing in (in English) must enrol first, then get the session", async () => {
    const page = await freshPage(context());
    await asAdmin();
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await setPolicy(page, past);
    await context().clearCookies();

    await passwordStep(page, siteUrl("/en/login"), DEMO.staff, DEMO_PASSWORD);
    expect(await page.getByTestId("mfa-step").getAttribute("data-step")).toBe("enrol");
    expect(await page.getByRole("heading", { name: /turn on two-step verification/i }).count()).toBe(1);
    expect(await page.getByTestId("totp-qr").locator("svg").count()).toBe(1);
    staffSecret = ((await page.getByTestId("totp-secret").textContent()) ?? "").trim();
    // no session yet
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(me).toBe(401);
    await page.getByLabel(/6-digit code/i).fill("000000");
    await submit(page, /turn on and continue/i);
    expect(await page.getByRole("alert").textContent()).toMatch(/not right/i);
    expect(((await page.getByTestId("totp-secret").textContent()) ?? "").trim()).toBe(staffSecret);

    const { code } = await freshCode(staffSecret, 0);
    await page.getByLabel(/6-digit code/i).fill(code);
    await submit(page, /turn on and continue/i);
    staffRecovery = (await page.getByTestId("recovery-codes").locator("li").allTextContents()).map((c) =>
      c.trim(),
    );
    expect(staffRecovery).toHaveLength(10);
    await screenshot(page, "mfa-staff-enrolled-en");
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/crm"),
      page.getByTestId("mfa-continue").click(),
    ]);
    expect(await page.locator("h1").first().textContent()).toMatch(/tableau de bord|dashboard/i);
    await page.close();
  }, 150_000);
});
