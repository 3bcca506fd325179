/**
 * Every main screen loads without a console error, a page error or a Content-Security-Policy violation:
 * the CSP is strict (hashed scripts, no inline styles in server HTML), so a violation means something broke.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserContext } from "./browser.ts";
import { DEMO, freshPage, signIn, siteUrl, tenantUrl } from "./stack.ts";

const context = useBrowserContext();

async function problemsOn(page: Page, urls: string[]): Promise<string[]> {
  const problems: string[] = [];
  let current = "";
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${current}: ${m.text().slice(0, 200)}`);
  });
  page.on("pageerror", (e) => problems.push(`${current}: ${e.message.slice(0, 200)}`));
  for (const url of urls) {
    current = url;
    await page.goto(url, { waitUntil: "networkidle" });
    const violations = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          document.addEventListener("securitypolicyviolation", (e) =>
            seen.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
          // Violations during load were already logged as console errors; this catches late ones.
          setTimeout(() => resolve(seen), 300);
        }),
    );
    problems.push(...violations.map((v) => `${url}: CSP ${v}`));
  }
  return problems;
}

describe("no console errors, page errors or CSP violations", () => {
  it("on the CRM screens", async () => {
    const page = await freshPage(context());
    await signIn(page, DEMO.admin);
    const urls = [
      "/crm",
      "/crm/clients",
      "/crm/clients/new",
      "/crm/leads",
      "/crm/leads?view=table",
      "/crm/notes",
      "/crm/projects",
      "/crm/projects?view=kanban",
      "/crm/projects/new",
      "/crm/projects/acme",
      "/crm/projects/acme/tasks?view=kanban",
      "/crm/settings/tokens",
      "/crm/bootcamp",
      "/crm/bootcamp/reviews",
      "/crm/notifications",
    ].map((p) => siteUrl(p));
    expect(await problemsOn(page, urls)).toEqual([]);
    await page.close();
  });

  it("on the public pages, sign-in and a portal", async () => {
    const page = await freshPage(context());
    expect(
      await problemsOn(page, [
        siteUrl("/"),
        siteUrl("/en/services/"),
        siteUrl("/login"),
        siteUrl("/bootcamp"),
        siteUrl("/en/bootcamp"),
      ]),
    ).toEqual([]);
    await signIn(page, DEMO.clientAcme, tenantUrl("acme", "/login"));
    expect(await problemsOn(page, [tenantUrl("acme"), tenantUrl("acme", "/settings")])).toEqual([]);
    await page.close();
  });
});
