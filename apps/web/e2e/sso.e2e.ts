/**
 * Single sign-on in the browser (decision 025), against the local fake OIDC provider that the test command
 * starts (FAKE_OIDC_URL) and configures as "Google (dev)" / "Microsoft (dev)": the test tells the fake who
 * signs in next, clicks the button, and the whole redirect chain runs in Chromium.
 */
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, DEMO_PASSWORD, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();
const FAKE = process.env.FAKE_OIDC_URL ?? "http://127.0.0.1:8790";

/** Who the fake provider signs in at its next /authorize. */
async function nextLogin(login: { email: string; verified?: boolean; issuer?: "google" | "microsoft" }) {
  const res = await fetch(`${FAKE}/_test/next-login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  });
  expect(res.status).toBe(204);
}

describe("Continuer avec Google", () => {
  it("agency staff click it on /login and land in the CRM, signed in", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await nextLogin({ email: DEMO.staff });
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/crm", { timeout: 20_000 }),
      page.getByRole("link", { name: /continuer avec google/i }).click(),
    ]);
    expect(await page.locator("h1").first().textContent()).toMatch(/tableau de bord/i);
    await screenshot(page, "sso-google-crm");

    // The account page shows the link, and unlinks it.
    await page.goto(siteUrl("/compte"), { waitUntil: "domcontentloaded" });
    const section = page.getByTestId("account-sso");
    expect(await section.textContent()).toMatch(/Google \(dev\) — lié avec staff@fata\.plus/);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sso_unlink") === "done"),
      section.getByRole("button", { name: /délier/i }).click(),
    ]);
    expect(await page.getByTestId("account-sso").textContent()).toMatch(/aucun compte google ou microsoft/i);
    await page.close();
  });

  it("in English, a client on their project's subdomain lands in the portal", async () => {
    const page = await freshPage(context());
    await page.goto(tenantUrl("globex", "/en/login"), { waitUntil: "domcontentloaded" });
    expect(await page.getByRole("link", { name: /continue with microsoft/i }).count()).toBe(1);
    await nextLogin({ email: DEMO.clientGlobex });
    await Promise.all([
      page.waitForURL((u) => u.hostname === new URL(tenantUrl("globex")).hostname && u.pathname === "/en/", {
        timeout: 20_000,
      }),
      page.getByRole("link", { name: /continue with google/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/globex/i);
    await page.close();
  });

  it("an address the provider did not verify is refused, in the page's language", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/en/login"), { waitUntil: "domcontentloaded" });
    await nextLogin({ email: DEMO.staff, verified: false });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sso") === "unverified", { timeout: 20_000 }),
      page.getByRole("link", { name: /continue with google/i }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe("/en/login");
    expect(await page.getByTestId("sso-error").textContent()).toMatch(/did not confirm your e-mail address/i);
    // not signed in
    await page.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });

  it("an unknown address without an invitation is refused: no account", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await nextLogin({ email: `stranger-${Date.now()}@example.test` });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sso") === "no_account", { timeout: 20_000 }),
      page.getByRole("link", { name: /continuer avec google/i }).click(),
    ]);
    expect(await page.getByTestId("sso-error").textContent()).toMatch(/aucun compte fataplus/i);
    await page.close();
  });
});

describe("an invitee joins through single sign-on", () => {
  it("opens the invitation link, continues with Google, and lands in the project's portal", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    const email = `sso-invite-${Date.now()}@example.test`;
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
    await nextLogin({ email });
    await Promise.all([
      page.waitForURL((u) => u.hostname === new URL(tenantUrl("acme")).hostname, { timeout: 20_000 }),
      page.getByRole("link", { name: /continuer avec google/i }).click(),
    ]);
    expect(await page.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await screenshot(page, "sso-invitee-portal");

    // The invitation is used: the same link now says so, in English too.
    await context().clearCookies();
    const path = (invitation.body.acceptPath ?? "/invitation").replace(/^\/invitation/, "/en/invitation");
    await page.goto(siteUrl(path), { waitUntil: "domcontentloaded" });
    await nextLogin({ email });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sso") === "invitation", { timeout: 20_000 }),
      page.getByRole("link", { name: /continue with google/i }).click(),
    ]);
    expect(await page.getByTestId("sso-error").textContent()).toMatch(/no longer valid/i);
    await page.close();
  });
});

describe("the agency requires single sign-on for its team", () => {
  it("an admin turns it on from the account page; a staff password is refused with a readable message", async () => {
    const page = await freshPage(context());
    await page.goto(siteUrl("/login"), { waitUntil: "domcontentloaded" });
    await nextLogin({ email: DEMO.admin });
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/crm", { timeout: 20_000 }),
      page.getByRole("link", { name: /continuer avec google/i }).click(),
    ]);
    const setPolicy = (on: boolean) =>
      page.evaluate(async (on) => {
        const res = await fetch("/api/app/agency/sso-policy", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ staffSsoRequired: on }),
        });
        return res.status;
      }, on);
    try {
      await page.goto(siteUrl("/en/account"), { waitUntil: "domcontentloaded" });
      const policy = page.getByTestId("sso-policy");
      expect(await policy.textContent()).toMatch(/not required/i);
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get("sso_policy") === "done"),
        policy.getByRole("button", { name: /^require$/i }).click(),
      ]);
      expect(await page.getByTestId("sso-policy").textContent()).toMatch(/required: the team signs in only/i);

      const other = await context().browser()?.newContext();
      const staffPage = await other?.newPage();
      if (!staffPage) throw new Error("no second browser context");
      await staffPage.goto(siteUrl("/en/login"), { waitUntil: "domcontentloaded" });
      await staffPage.getByLabel(/email/i).fill(DEMO.staff);
      await staffPage.getByLabel(/password/i).fill(DEMO_PASSWORD);
      await staffPage.getByRole("button", { name: /sign in/i }).click();
      await staffPage.locator("#login-error").waitFor();
      expect(await staffPage.locator("#login-error").textContent()).toMatch(
        /requires signing in with google or microsoft/i,
      );
      await other?.close();
    } finally {
      expect(await setPolicy(false)).toBe(200);
    }
    await page.close();
  });
});
