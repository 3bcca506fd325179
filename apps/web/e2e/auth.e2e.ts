import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, DEMO_PASSWORD, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();

describe("each demo role lands in the right place", () => {
  for (const [who, email] of [
    ["agency admin", DEMO.admin],
    ["agency staff", DEMO.staff],
    ["acme's project manager", DEMO.pmAcme],
  ] as const) {
    it(`${who} → /crm`, async () => {
      const page = await freshPage(context());
      await signIn(page, email);
      expect(new URL(page.url()).pathname).toBe("/crm");
      expect(await page.locator("h1").first().textContent()).toMatch(/tableau de bord|dashboard/i);
      // Only agency admins get the link to bknd's /admin (the API refuses everybody else anyway).
      expect(await page.getByTestId("admin-link").count()).toBe(email === DEMO.admin ? 1 : 0);
      await page.close();
    });
  }

  it("acme's client → acme's portal, on its own subdomain", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientAcme);
    const url = new URL(page.url());
    expect(url.hostname).toBe(new URL(tenantUrl("acme")).hostname);
    expect(url.pathname).toBe("/");
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    expect(await page.getByTestId("project-phase").textContent()).toMatch(/développement/i);
    await screenshot(page, "portal-home-acme");
    await page.close();
  });

  it("globex's client, whose language is English, gets the portal in English", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientGlobex, tenantUrl("globex", "/en/login"));
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/globex/i);
    await page.close();
  });
});

describe("the portal's doors", () => {
  it("client@acme.test sees acme's portal and is refused on globex", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await signIn(page, DEMO.clientAcme, tenantUrl("globex", "/login"));
    const res = await page.goto(tenantUrl("globex"), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(403);
    expect(await page.locator("main h1").textContent()).toMatch(/accès refusé/i);
    expect(await page.content()).not.toMatch(/Globex — Refonte UX.*Refonte UX de l'espace client/s);
    await screenshot(page, "portal-forbidden");
    await page.close();
  });

  it("an anonymous visitor goes to sign in and comes back to the page asked for", async () => {
    const page = await freshPage(context());
    const res = await page.goto(tenantUrl("acme", "/en/"), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel(/e-mail|email/i).fill(DEMO.clientAcme);
    await page.getByLabel(/mot de passe|password/i).fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/en/"),
      page.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await page.close();
  });

  it("the CRM sends visitors to sign in, and clients away", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/crm/clients"), { waitUntil: "domcontentloaded" });
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/crm/clients");
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    await page.goto(tenantUrl("acme", "/crm"), { waitUntil: "domcontentloaded" });
    expect(new URL(page.url()).pathname).not.toMatch(/^\/crm/);
    await page.close();
  });
});

describe("sign-in errors are readable", () => {
  it("a wrong password says so and keeps the email", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/e-mail/i).fill(DEMO.staff);
    await page.getByLabel(/mot de passe/i).fill("not-the-password");
    await page.getByRole("button", { name: /se connecter/i }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(/incorrect/i);
    expect(await page.getByLabel(/e-mail/i).inputValue()).toBe(DEMO.staff);
    await screenshot(page, "login-wrong-password");
    await page.close();
  });

  it("being locked out (429) says when to try again", async () => {
    const page = await freshPage(context());
    const email = `nobody-${Date.now()}@example.test`;
    let message = "";
    for (let i = 0; i < 7 && !/réessayez dans/i.test(message); i++) {
      await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
      await page.getByLabel(/e-mail/i).fill(email);
      await page.getByLabel(/mot de passe/i).fill("wrong-password");
      await page.getByRole("button", { name: /se connecter/i }).click();
      await page.getByRole("alert").waitFor();
      message = (await page.getByRole("alert").textContent()) ?? "";
    }
    expect(message).toMatch(/trop de tentatives.*réessayez dans \d+ min/i);
    await page.close();
  });

  it("signing out ends the session", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    await page.getByRole("button", { name: /se déconnecter/i }).click();
    await page.waitForURL((u) => u.pathname === "/login");
    await page.goto(tenantUrl("acme"), { waitUntil: "domcontentloaded" });
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });
});

describe("invitations", () => {
  it("an invited person sets a password, then signs in to the project's portal", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    const email = `invite-${Date.now()}@example.test`;
    const invitation = await page.evaluate(async (email) => {
      const res = await fetch("/api/app/project/invitations?tenant=acme", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role: "client" }),
      });
      return { status: res.status, body: (await res.json()) as { acceptPath?: string } };
    }, email);
    expect(invitation.status).toBe(201);
    await context().clearCookies();

    await page.goto(siteUrl(invitation.body.acceptPath ?? "/invitation"), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/nouveau mot de passe/i).fill("too-short");
    await page.getByLabel(/confirmez/i).fill("too-short");
    await page.getByRole("button", { name: /activer/i }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/12 caractères/);
    const password = "Un-mot-de-passe-solide-42";
    await page.getByLabel(/nouveau mot de passe/i).fill(password);
    await page.getByLabel(/confirmez/i).fill(password);
    await page.getByRole("button", { name: /activer/i }).click();
    expect(await page.getByRole("status").textContent()).toContain(email);

    // The same link cannot be used twice.
    await page.goto(siteUrl(invitation.body.acceptPath ?? "/invitation"), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/nouveau mot de passe/i).fill(password);
    await page.getByLabel(/confirmez/i).fill(password);
    await page.getByRole("button", { name: /activer/i }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/plus valable/i);

    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/mot de passe/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => u.hostname.startsWith("acme.")),
      page.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await page.close();
  });

  it("an existing account joins another project only through its own session", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    const email = `twice-${Date.now()}@example.test`;
    const invite = (tenant: string) =>
      page.evaluate(
        async ([email, tenant]) => {
          const res = await fetch(`/api/app/project/invitations?tenant=${tenant}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, role: "client" }),
          });
          return ((await res.json()) as { acceptPath: string }).acceptPath;
        },
        [email, tenant] as const,
      );
    const first = await invite("acme");
    const second = await invite("globex");
    await context().clearCookies();
    const password = "Un-mot-de-passe-solide-43";
    await page.goto(siteUrl(first), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/nouveau mot de passe/i).fill(password);
    await page.getByLabel(/confirmez/i).fill(password);
    await page.getByRole("button", { name: /activer/i }).click();
    await page.getByRole("status").waitFor();

    // The second link, opened without a session, cannot set a password on the existing account.
    await page.goto(siteUrl(second), { waitUntil: "domcontentloaded" });
    await page.getByLabel(/nouveau mot de passe/i).fill("Another-password-44");
    await page.getByLabel(/confirmez/i).fill("Another-password-44");
    await page.getByRole("button", { name: /activer/i }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/existe déjà/);

    // Signed in with that account, the same link joins the project.
    await page.getByRole("link", { name: /se connecter, puis revenir/i }).click();
    await page.getByLabel(/e-mail/i).fill(email);
    await page.getByLabel(/mot de passe/i).fill(password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/invitation"),
      page.getByRole("button", { name: /se connecter|sign in/i }).click(),
    ]);
    await page.getByRole("button", { name: /rejoindre le projet/i }).click();
    expect(await page.getByRole("status").textContent()).toContain(email);
    await page.close();
  });
});
