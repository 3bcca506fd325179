/**
 * Team management in the browser (docs/decisions/026-team-management.md), in French and in English: agency
 * staff invite a partner to acme's project from the CRM; the partner sets a password and, on acme's subdomain,
 * sees the tasks, the shared documents and the messages, never the budget nor the internal estimate; staff
 * change the partner's role and remove a member after a confirmation; an invitation is re-sent (the old link
 * stops working) and revoked; an agency admin deactivates an account and its open session stops at once.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();
const PASSWORD = "Partenaire-solide-2026!";
const stamp = Date.now().toString(36);
const partnerEmail = `partner-${stamp}@studio.test`;

/** Invites `email` with `role` into acme from the CRM's project page; returns the link the form shows. */
async function inviteFromCrm(page: Page, email: string, role: string): Promise<string> {
  await page.goto(siteUrl("/crm/projects/acme"), { waitUntil: "networkidle" });
  const form = page.locator("form", { has: page.locator('select[name="role"]') });
  await form.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const select = document.querySelector('form select[name="role"]');
    return select !== null && select.closest("astro-island[ssr]") === null;
  });
  await form.locator('input[name="email"]').fill(email);
  await form.locator('select[name="role"]').selectOption(role);
  await form.locator('button[type="submit"]').click();
  const link = page.getByTestId("invite-link").locator("input");
  await link.waitFor();
  return link.inputValue();
}

/** Accepts an invitation link in a fresh page (no session): sets the password. */
async function accept(page: Page, link: string): Promise<void> {
  await page.goto(link, { waitUntil: "domcontentloaded" });
  await page.getByLabel(/nouveau mot de passe|new password/i).fill(PASSWORD);
  await page.getByLabel(/confirmez|confirm/i).fill(PASSWORD);
  await page.getByRole("button", { name: /activer|activate/i }).click();
  await page.getByRole("status").waitFor();
}

async function signInAs(page: Page, email: string, loginUrl: string): Promise<void> {
  await page.goto(loginUrl, { waitUntil: "domcontentloaded" });
  await page.getByLabel(/e-mail|email/i).fill(email);
  await page.getByLabel(/mot de passe|password/i).fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.endsWith("/login"), { timeout: 15_000 }),
    page.getByRole("button", { name: /se connecter|sign in/i }).click(),
  ]);
}

const member = (page: Page, email: string) => page.getByTestId(`member-${email}`);

/** Waits until the island that holds `testId` is hydrated (Astro drops its `ssr` attribute then). */
async function hydrated(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).first().scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return el !== null && el.closest("astro-island[ssr]") === null;
  }, testId);
}

describe("a partner on acme's project (français)", () => {
  it("agency staff invite a partner from the CRM; the partner sees tasks, shared documents and messages, no money", async () => {
    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    // Agency staff create projects too now: the CRM offers them the form.
    await staff.goto(siteUrl("/crm/projects/new"), { waitUntil: "domcontentloaded" });
    expect(await staff.getByTestId("new-project-forbidden").count()).toBe(0);
    const link = await inviteFromCrm(staff, partnerEmail, "partner");
    expect(link).toMatch(/\/invitation\?token=/);
    await staff.close();

    const partner = await freshPage(context());
    await accept(partner, link);
    await signInAs(partner, partnerEmail, tenantUrl("acme", "/login"));
    expect(new URL(partner.url()).hostname).toBe(new URL(tenantUrl("acme")).hostname);
    expect(await partner.getByTestId("tenant-name").textContent()).toMatch(/acme/i);
    await expect.poll(() => partner.getByText("Espace partenaire").count()).toBeGreaterThan(0);
    const tasks = partner.getByTestId("partner-tasks");
    expect(await tasks.textContent()).toContain("Atelier de cadrage");
    const html = await partner.content();
    expect(html).toContain("Maquettes du tableau de bord"); // a shared document
    expect(html).toContain("je regarde cela cette semaine"); // the thread
    expect(html).not.toContain("Chiffrage interne"); // the internal estimate
    expect(html).not.toContain("€");
    expect(await partner.getByTestId("portal-proposal-link").count()).toBe(0);
    // The data API leaves the money out for them too.
    const projects = await partner.evaluate(async () => {
      const res = await fetch("/api/data/entity/projects");
      return { status: res.status, text: await res.text() };
    });
    expect(projects.status).toBe(200);
    expect(projects.text).not.toMatch(/budget_cents|estimate_cents|4500000/);
    const leads = await partner.evaluate(async () => (await fetch("/api/data/entity/leads")).status);
    expect(leads).toBe(403);
    await screenshot(partner, "team-partner-portal-fr");
    await partner.close();
  });

  it("staff change the partner's role, then remove a member after confirming (Annuler first keeps them)", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl("/crm/projects/acme"), { waitUntil: "networkidle" });
    await hydrated(page, "members");
    const row = member(page, partnerEmail);
    expect(await row.textContent()).toContain(partnerEmail);
    // Project managers grant only client and partner.
    const options = await row.getByTestId("member-role").locator("option").allTextContents();
    expect(options).toEqual(["Client", "Partenaire"]);
    await Promise.all([page.waitForEvent("load"), row.getByTestId("member-role").selectOption("client")]);
    await page.waitForLoadState("networkidle");
    await hydrated(page, "members");
    expect(await member(page, partnerEmail).getByTestId("member-role").inputValue()).toBe("client");
    await Promise.all([
      page.waitForEvent("load"),
      member(page, partnerEmail).getByTestId("member-role").selectOption("partner"),
    ]);
    await page.waitForLoadState("networkidle");
    await hydrated(page, "members");
    // Acme's own project manager is out of a staff member's reach (their role is not client or partner).
    expect(await member(page, DEMO.pmAcme).getByTestId("member-remove").count()).toBe(0);

    await member(page, partnerEmail).getByTestId("member-remove").click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toMatch(/Retirer .* du projet \?/);
    await dialog.getByRole("button", { name: "Annuler" }).click();
    expect(await member(page, partnerEmail).count()).toBe(1);
    await member(page, partnerEmail).getByTestId("member-remove").click();
    await Promise.all([
      page.waitForEvent("load"),
      page.getByRole("dialog").getByRole("button", { name: "Retirer" }).click(),
    ]);
    await page.waitForLoadState("networkidle");
    expect(await member(page, partnerEmail).count()).toBe(0);
    await screenshot(page, "team-members-fr");
    await page.close();

    // Removed: acme's portal is closed to them.
    const partner = await freshPage(context());
    await signInAs(partner, partnerEmail, tenantUrl("acme", "/login"));
    const res = await partner.goto(tenantUrl("acme"), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(403);
    await partner.close();
  });
});

describe("invitations and accounts (English)", () => {
  it("an invitation is re-sent (the old link stops working) and revoked after confirming", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl(`/lang?to=en&next=${encodeURIComponent("/crm/projects/acme")}`), {
      waitUntil: "networkidle",
    });
    const email = `resend-${stamp}@studio.test`;
    const first = await inviteFromCrm(page, email, "client");
    await page.reload({ waitUntil: "networkidle" });
    await hydrated(page, "invitations");
    const row = page.getByTestId(`invitation-${email}`);
    await row.getByRole("button", { name: "Resend" }).click();
    const second = await page.getByTestId("resent-link").locator("input").inputValue();
    expect(second).not.toBe(first);
    await page
      .getByText(/the old link no longer works/)
      .first()
      .waitFor();

    const visitor = await context().browser()?.newContext();
    if (!visitor) throw new Error("no browser");
    const v = await visitor.newPage();
    await v.goto(first.replace("/invitation", "/en/invitation"), { waitUntil: "domcontentloaded" });
    await v.getByLabel(/new password/i).fill(PASSWORD);
    await v.getByLabel(/confirm/i).fill(PASSWORD);
    await v.getByRole("button", { name: /activate/i }).click();
    expect(await v.getByRole("alert").textContent()).toMatch(/no longer valid|invalid|expired/i);

    await page.getByTestId(`invitation-${email}`).getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain(`Revoke the invitation of ${email}?`);
    await Promise.all([page.waitForEvent("load"), dialog.getByRole("button", { name: "Revoke" }).click()]);
    await page.waitForLoadState("networkidle");
    expect(await page.getByTestId(`invitation-${email}`).count()).toBe(0);
    await v.goto(second.replace("/invitation", "/en/invitation"), { waitUntil: "domcontentloaded" });
    await v.getByLabel(/new password/i).fill(PASSWORD);
    await v.getByLabel(/confirm/i).fill(PASSWORD);
    await v.getByRole("button", { name: /activate/i }).click();
    expect(await v.getByRole("alert").textContent()).toMatch(/no longer valid|invalid|expired/i);
    await screenshot(page, "team-invitations-en");
    await visitor.close();
    await page.close();
  });

  it("an agency admin deactivates an account after confirming: its open session stops at once", async () => {
    const email = `deact-${stamp}@studio.test`;
    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    const link = await inviteFromCrm(staff, email, "client");
    await staff.close();

    // The person, signed in on acme's portal, in a browser of their own.
    const theirs = await context().browser()?.newContext();
    if (!theirs) throw new Error("no browser");
    const victim = await theirs.newPage();
    await accept(victim, link);
    await signInAs(victim, email, tenantUrl("acme", "/en/login"));
    expect(await victim.getByTestId("tenant-name").textContent()).toMatch(/acme/i);

    const admin = await freshPage(context());
    await signIn(admin, DEMO.admin);
    await admin.goto(siteUrl(`/lang?to=en&next=${encodeURIComponent("/crm/settings/users")}`), {
      waitUntil: "networkidle",
    });
    expect(await admin.locator("h1").first().textContent()).toMatch(/agency accounts/i);
    await hydrated(admin, "users");
    const row = admin.getByTestId(`user-${email}`);
    // No button to deactivate oneself.
    expect(await admin.getByTestId(`user-${DEMO.admin}`).getByTestId("user-deactivate").count()).toBe(0);
    await row.getByTestId("user-deactivate").click();
    const dialog = admin.getByRole("dialog");
    expect(await dialog.textContent()).toContain(`Deactivate the account of ${email}?`);
    await Promise.all([
      admin.waitForEvent("load"),
      dialog.getByRole("button", { name: "Deactivate" }).click(),
    ]);
    await admin.waitForLoadState("networkidle");
    expect(await admin.getByTestId(`user-${email}`).getByTestId("user-status").textContent()).toBe(
      "Deactivated",
    );
    await screenshot(admin, "team-users-en");

    // Their open session: the next page asks them to sign in, and their API calls are refused.
    const status = await victim.evaluate(async () => (await fetch("/api/app/portal/home")).status);
    expect(status).toBe(401);
    await victim.reload({ waitUntil: "domcontentloaded" });
    expect(new URL(victim.url()).pathname).toMatch(/\/login$/);

    await hydrated(admin, "users");
    await Promise.all([
      admin.waitForEvent("load"),
      admin.getByTestId(`user-${email}`).getByTestId("user-reactivate").click(),
    ]);
    await admin.waitForLoadState("networkidle");
    expect(await admin.getByTestId(`user-${email}`).getByTestId("user-status").textContent()).toBe("Active");
    await theirs.close();
    await admin.close();
  });
});
