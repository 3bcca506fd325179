import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { DEMO, pickUpCard, screenshot, signIn, siteUrl } from "./stack.ts";

/**
 * The CRM's clients and leads screens, as agency staff and as acme's project manager: create (inline
 * validation first), search, detail, edit, delete after a confirmation; the leads kanban by mouse and by
 * keyboard (the stage persists); the leads table's sort; a saved view; and the project scope of the lists.
 */
let browser: Browser;
let staff: BrowserContext;
let staffPage: Page;
const run = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchChromium();
  staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  staffPage = await staff.newPage();
  await signIn(staffPage, DEMO.staff);
});

afterAll(async () => {
  await staff?.close();
  await browser?.close();
});

/**
 * Every island on the page has hydrated (Astro removes `ssr` from an island once it has), and a kanban's drag
 * and drop, which loads after the board, is ready (`data-dnd="ready"`).
 */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelectorAll("astro-island[ssr], [data-testid=kanban][data-dnd=pending]").length === 0,
  );
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(siteUrl(path), { waitUntil: "domcontentloaded" });
  await hydrated(page);
}

/** Creates a lead in the agency's workspace through the API, from the page (same origin, the user's cookie). */
async function createLead(page: Page, title: string, stage = "new"): Promise<string> {
  const id = await page.evaluate(
    async ({ title, stage }) => {
      const res = await fetch("/api/data/leads?tenant=fataplus", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ title, stage, value_cents: 100_000 }),
      });
      if (!res.ok) throw new Error(`create lead: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { data: { id: string } }).data.id;
    },
    { title, stage },
  );
  return id;
}

const card = (page: Page, id: string) => page.locator(`[data-card-id="${id}"]`);
const columnOf = (page: Page, id: string) =>
  card(page, id).evaluate((el) => el.closest("section")?.getAttribute("data-testid"));

describe("clients", () => {
  const name = `Coopérative e2e ${run}`;
  const renamed = `Coopérative e2e renommée ${run}`;
  let detailPath = "";

  it("staff create a client: an empty name is refused inline, then the client is created in the agency's workspace", async () => {
    const page = staffPage;
    await open(page, "/crm/clients/new");
    expect(await page.locator("#f-tenant option:checked").textContent()).toMatch(/Fataplus — Agence/);
    await page.getByRole("button", { name: "Créer le client" }).click();
    await page.locator('#f-name[aria-invalid="true"]').waitFor();
    expect(await page.locator("#f-name-error").textContent()).toMatch(/saisissez un nom/i);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-name");
    expect(new URL(page.url()).pathname).toBe("/crm/clients/new");
    await screenshot(page, "crm-client-new-error");

    await page.locator("#f-name").fill(name);
    await page.locator("#f-email").fill(`contact.${run}@example.test`);
    await page.locator("#f-phone").fill("+261 34 00 000 00");
    await Promise.all([
      page.waitForURL((u) => /^\/crm\/clients\/fataplus\/[^/]+$/.test(u.pathname)),
      page.getByRole("button", { name: "Créer le client" }).click(),
    ]);
    detailPath = new URL(page.url()).pathname;
    expect(await page.getByTestId("notice").textContent()).toMatch(/client créé/i);
    expect(await page.getByTestId("client-name").textContent()).toContain(name);
  });

  it("finds the client by search and opens its detail, with its projects", async () => {
    const page = staffPage;
    await open(page, "/crm/clients");
    await page.getByRole("searchbox").fill(name);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("q") === name),
      page.getByRole("button", { name: "Filtrer" }).click(),
    ]);
    const rows = page.getByTestId("client-row");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Fataplus — Agence");
    await Promise.all([
      page.waitForURL((u) => u.pathname === detailPath),
      page.getByRole("link", { name }).click(),
    ]);
    expect(await page.getByTestId("client-no-projects").isVisible()).toBe(true);

    // A seeded organisation has a project: its detail lists it.
    await open(page, "/crm/clients?q=Acme%20Agro");
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith("/crm/clients/acme/")),
      page.getByRole("link", { name: "Acme Agro SARL" }).click(),
    ]);
    expect(await page.getByTestId("client-projects").textContent()).toContain(
      "Plateforme de traçabilité AgriTech",
    );
    await screenshot(page, "crm-client-detail");
  });

  it("edits the client: a bad email is refused inline, then the change is saved", async () => {
    const page = staffPage;
    await open(page, detailPath);
    await page.getByText("Modifier le client").click();
    await page.locator("#f-name").fill(renamed);
    await page.locator("#f-email").fill("pas-une-adresse");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.locator('#f-email[aria-invalid="true"]').waitFor();
    expect(await page.locator("#f-email-error").textContent()).toMatch(/adresse e-mail valide/i);

    await page.locator("#f-email").fill(`nouveau.${run}@example.test`);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("notice") === "saved"),
      page.getByRole("button", { name: "Enregistrer" }).click(),
    ]);
    expect(await page.getByTestId("client-name").textContent()).toContain(renamed);
    expect(await page.getByTestId("client-details").textContent()).toContain(`nouveau.${run}@example.test`);
  });

  it("deletes the client only after confirming (cancel first: it is still there)", async () => {
    const page = staffPage;
    await open(page, detailPath);
    await page.getByRole("button", { name: "Supprimer le client" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(renamed);
    await dialog.getByRole("button", { name: "Annuler" }).click();
    await dialog.waitFor({ state: "hidden" });
    await open(page, detailPath);
    expect(await page.getByTestId("client-name").textContent()).toContain(renamed);

    await page.getByRole("button", { name: "Supprimer le client" }).click();
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/crm/clients" && u.searchParams.get("notice") === "deleted"),
      page.getByRole("dialog").getByRole("button", { name: "Supprimer", exact: true }).click(),
    ]);
    expect(await page.getByTestId("notice").textContent()).toMatch(/client supprimé/i);
    await open(page, `/crm/clients?q=${encodeURIComponent(renamed)}`);
    expect(await page.getByTestId("client-row").count()).toBe(0);
    expect(await page.getByTestId("empty-state").textContent()).toMatch(/aucun client ne correspond/i);
    const res = await page.goto(siteUrl(detailPath));
    expect(res?.status()).toBe(404);
  });

  it("the list sorts by name and shows every project's clients to staff", async () => {
    const page = staffPage;
    await open(page, "/crm/clients?sort=name&dir=desc");
    const projects = await page.locator('[data-testid="client-row"] td:nth-child(4)').allTextContents();
    expect(new Set(projects)).toEqual(
      new Set(["Fataplus — Agence", "Acme — Plateforme AgriTech", "Globex — Refonte UX"]),
    );
    const names = await page.locator('[data-testid="client-row"] td:first-child a').allTextContents();
    expect(names).toEqual([...names].sort().reverse());
    expect(await page.locator("th[aria-sort=descending]").textContent()).toMatch(/nom/i);
    await screenshot(page, "crm-clients-list");
  });
});

describe("clients of acme's project manager", () => {
  it("pm.acme@fata.plus sees only acme's clients, and not another project's client", async () => {
    // A globex client's address, as staff see it.
    await open(staffPage, "/crm/clients?q=Globex%20Corporation");
    const globexHref = await staffPage.getByRole("link", { name: "Globex Corporation" }).getAttribute("href");
    expect(globexHref).toMatch(/^\/crm\/clients\/globex\//);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, DEMO.pmAcme);
    await open(page, "/crm/clients");
    const projects = await page.locator('[data-testid="client-row"] td:nth-child(4)').allTextContents();
    expect(projects.length).toBeGreaterThanOrEqual(2);
    expect(new Set(projects)).toEqual(new Set(["Acme — Plateforme AgriTech"]));
    expect(await page.content()).not.toContain("Globex");
    const res = await page.goto(siteUrl(globexHref ?? "/"));
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("Globex Corporation");
    await context.close();
  });
});

describe("leads", () => {
  it("moves a card by mouse to the next stage, and the stage persists", async () => {
    const page = staffPage;
    await open(page, "/crm/leads");
    const id = await createLead(page, `Prospect souris ${run}`);
    await open(page, "/crm/leads");
    expect(await columnOf(page, id)).toBe("kanban-column-new");
    const from = await card(page, id).boundingBox();
    const to = await page.getByTestId("kanban-column-qualified").boundingBox();
    if (!from || !to) throw new Error("no boxes");
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/api/data/leads/${id}`) && r.request().method() === "PUT",
    );
    await page.mouse.move(from.x + 20, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + from.height / 2, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 15 });
    await page.mouse.up();
    expect((await saved).status()).toBe(200);
    expect(await columnOf(page, id)).toBe("kanban-column-qualified");
    await open(page, "/crm/leads");
    expect(await columnOf(page, id)).toBe("kanban-column-qualified");
    await screenshot(page, "crm-leads-kanban");
  });

  it("moves a card from the keyboard (Space, →, Space), and the stage persists", async () => {
    const page = staffPage;
    const id = await createLead(page, `Prospect clavier ${run}`, "qualified");
    await open(page, "/crm/leads");
    expect(await columnOf(page, id)).toBe("kanban-column-qualified");
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/api/data/leads/${id}`) && r.request().method() === "PUT",
    );
    // Each step waits for what dnd-kit announces to screen readers, so no key press races the sensor.
    const announced = (text: string) =>
      page.waitForFunction(
        (t) =>
          [...document.querySelectorAll('[id^="DndLiveRegion"]')].some((r) => r.textContent?.includes(t)),
        text,
      );
    await pickUpCard(page, card(page, id));
    await announced(`« Prospect clavier ${run} » au-dessus de la colonne Qualifié`);
    await page.keyboard.press("ArrowRight");
    await announced(`« Prospect clavier ${run} » au-dessus de la colonne Proposition`);
    await page.keyboard.press("Space");
    await announced(`« Prospect clavier ${run} » déposée dans Proposition`);
    expect((await saved).status()).toBe(200);
    await open(page, "/crm/leads");
    expect(await columnOf(page, id)).toBe("kanban-column-proposal");
  });

  it("the table sorts by value, both ways", async () => {
    const page = staffPage;
    await open(page, "/crm/leads?view=table");
    const values = async () =>
      (await page.getByTestId("lead-value").allTextContents())
        .map((v) => v.replace(/\D/g, ""))
        .filter((v) => v !== "")
        .map(Number);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("sort") === "value_cents"),
      page.getByRole("link", { name: /^Valeur/ }).click(),
    ]);
    const asc = await values();
    expect(asc.length).toBeGreaterThanOrEqual(4);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(await page.locator("th[aria-sort=ascending]").textContent()).toMatch(/valeur/i);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("dir") === "desc"),
      page.getByRole("link", { name: /^Valeur/ }).click(),
    ]);
    const desc = await values();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(desc[0]).toBeGreaterThan(desc[desc.length - 1] ?? 0);
    await screenshot(page, "crm-leads-table");
  });

  it("a saved view keeps the filters and sort, and can be deleted", async () => {
    const page = staffPage;
    const viewName = `Qualifiés ${run}`;
    await open(page, "/crm/leads?view=table&sort=title");
    await page.locator("#stage").selectOption("qualified");
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("stage") === "qualified"),
      page.getByRole("button", { name: "Filtrer" }).click(),
    ]);
    await hydrated(page);
    await page.getByRole("button", { name: "+ Enregistrer la vue" }).click();
    await page.getByPlaceholder("Nom de la vue").fill(viewName);
    await page.getByRole("button", { name: "Enregistrer la vue", exact: true }).click();
    await page.getByRole("link", { name: viewName }).waitFor();
    expect(await page.getByRole("link", { name: viewName }).getAttribute("aria-current")).toBe("page");

    await open(page, "/crm/leads");
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("stage") === "qualified"),
      page.getByRole("link", { name: viewName }).click(),
    ]);
    const url = new URL(page.url());
    expect(url.searchParams.get("view")).toBe("table");
    expect(url.searchParams.get("sort")).toBe("title");
    const stages = await page.locator('[data-testid="lead-row"] td:nth-child(4)').allTextContents();
    expect(stages.length).toBeGreaterThan(0);
    expect(new Set(stages)).toEqual(new Set(["Qualifié"]));

    await hydrated(page);
    await page.getByRole("button", { name: `Supprimer la vue ${viewName}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Supprimer la vue" }).click();
    await page.getByRole("link", { name: viewName }).waitFor({ state: "detached" });
    await open(page, "/crm/leads");
    expect(await page.getByRole("link", { name: viewName }).count()).toBe(0);
  });

  it("creates a lead with the form (amount refused inline first), edits its stage, then deletes it", async () => {
    const page = staffPage;
    const title = `Prospect formulaire ${run}`;
    await open(page, "/crm/leads/new");
    await page.locator("#f-title").fill(title);
    await page.locator("#f-value").fill("beaucoup");
    await page.getByRole("button", { name: "Créer le prospect" }).click();
    await page.locator('#f-value[aria-invalid="true"]').waitFor();
    expect(await page.locator("#f-value-error").textContent()).toMatch(/montant positif/i);
    await page.locator("#f-value").fill("12 500,50");
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("notice") === "created"),
      page.getByRole("button", { name: "Créer le prospect" }).click(),
    ]);
    expect(await page.getByTestId("lead-name").textContent()).toBe(title);
    expect(await page.locator("#f-value").inputValue()).toBe("12500,5");

    await hydrated(page);
    await page.locator("#f-stage").selectOption("won");
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get("notice") === "saved"),
      page.getByRole("button", { name: "Enregistrer" }).click(),
    ]);
    expect(await page.getByTestId("lead-stage").textContent()).toBe("Gagné");

    await hydrated(page);
    await page.getByRole("button", { name: "Supprimer le prospect" }).click();
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/crm/leads" && u.searchParams.get("notice") === "deleted"),
      page.getByRole("dialog").getByRole("button", { name: "Supprimer", exact: true }).click(),
    ]);
    await open(page, `/crm/leads?view=table&q=${encodeURIComponent(title)}`);
    expect(await page.getByTestId("lead-row").count()).toBe(0);
  });

  it("speaks English when the user switches language", async () => {
    const page = staffPage;
    await page.goto(siteUrl(`/lang?to=en&next=${encodeURIComponent("/crm/leads?view=table")}`));
    expect(await page.locator("main h1").textContent()).toBe("Leads");
    expect(await page.getByRole("link", { name: /^Value/ }).count()).toBe(1);
    await page.goto(siteUrl(`/lang?to=fr&next=${encodeURIComponent("/crm/leads")}`));
    expect(await page.locator("main h1").textContent()).toBe("Prospects");
  });
});
