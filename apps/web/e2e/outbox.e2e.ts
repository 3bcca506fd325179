/**
 * The email outbox in the CRM (decision 012): an invitation created by an agency admin is queued as an email
 * with its link, which the admin reads at /crm/outbox; staff neither see the entry nor reach the page.
 */
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, screenshot, signIn, siteUrl } from "./stack.ts";

const context = useBrowserContext();

describe("the email outbox", () => {
  it("an admin reads the invitation email with its link; staff are refused", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    const invitee = `outbox-${Date.now()}@example.test`;
    const res = await page.request.post(siteUrl("/api/app/project/invitations?tenant=acme"), {
      headers: { origin: new URL(siteUrl("/")).origin },
      data: { email: invitee, role: "client" },
    });
    expect(res.status()).toBe(201);
    const { acceptPath } = (await res.json()) as { acceptPath: string };

    await page.goto(siteUrl("/crm"), { waitUntil: "domcontentloaded" });
    await page.getByRole("link", { name: /boîte d'envoi/i }).click();
    await page.waitForURL(/\/crm\/outbox/);
    expect(await page.getByTestId("outbox-mode").textContent()).toMatch(/aucun e-mail ne quitte/i);
    await page.getByRole("searchbox", { name: /destinataire/i }).fill(invitee);
    await page.getByRole("button", { name: /filtrer/i }).click();
    await page.waitForURL(/q=/);
    const row = page.getByRole("row").filter({ hasText: invitee });
    expect(await row.count()).toBe(1);
    await screenshot(page, "crm-outbox");
    await row.getByRole("link").click();
    await page.waitForURL(/\/crm\/outbox\/[^/?]+$/);
    const body = (await page.getByTestId("outbox-body").textContent()) ?? "";
    expect(body).toContain(acceptPath);
    expect(body).toMatch(/Bonjour/);
    expect(body).toMatch(/Hello/);

    const staff = await freshPage(context());
    await signIn(staff, DEMO.staff);
    expect(await staff.getByRole("link", { name: /boîte d'envoi/i }).count()).toBe(0);
    const refused = await staff.goto(siteUrl("/crm/outbox"), { waitUntil: "domcontentloaded" });
    expect(refused?.status()).toBe(403);
    expect(await staff.content()).not.toContain(invitee);
  });
});
