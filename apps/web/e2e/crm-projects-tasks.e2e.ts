import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { DEMO, freshPage, pickUpCard, screenshot, signIn, siteUrl, tenantUrl } from "./stack.ts";

/**
 * The CRM's projects and tasks: an agency admin creates a project (inline errors first) and invites a member;
 * staff see no "New project"; on acme's board, staff move tasks by mouse and by keyboard, the status persists,
 * the task form shows its errors inline, and a refused move rolls back with a toast. Each test makes its own
 * tasks (unique titles), so the seeded ones and the other journeys are left alone.
 */
let browser: Browser;
let context: BrowserContext;
const run = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/**
 * Waits until every island of the page is hydrated (Astro drops `ssr` from <astro-island> then) and a kanban's
 * drag and drop, which loads after the board, is ready (`data-dnd="ready"`).
 */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelectorAll("astro-island[ssr], [data-testid=kanban][data-dnd=pending]").length === 0,
    null,
    { timeout: 15_000 },
  );
}

/** A same-origin API call from the page (its session cookie, its Origin). */
async function callApi(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(b === undefined ? {} : { body: JSON.stringify(b) }),
      });
      return {
        status: res.status,
        body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
      };
    },
    [method, path, body] as const,
  );
}

async function acmeProjectId(page: Page): Promise<string> {
  const res = await callApi(page, "GET", "/api/data/projects?tenant=acme&limit=1");
  const rows = (res.body?.data ?? []) as Array<{ id: string }>;
  const id = rows[0]?.id;
  if (!id) throw new Error(`acme has no project: ${JSON.stringify(res)}`);
  return id;
}

async function newAcmeTask(page: Page, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await callApi(page, "POST", "/api/data/tasks?tenant=acme", {
    project_id: await acmeProjectId(page),
    title,
    ...extra,
  });
  expect(res.status).toBe(201);
  return String((res.body?.data as { id?: string } | undefined)?.id);
}

const column = (page: Page, status: string) => page.getByTestId(`kanban-column-${status}`);
const card = (scope: Page | Locator, title: string) =>
  scope.locator("[data-testid=kanban-card]", { hasText: title });

/** Drags a card to a column with the mouse, in small steps (dnd-kit starts a drag after 6 px). */
async function dragWithMouse(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error("card or column not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 5, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + 80, { steps: 15 });
  await page.mouse.up();
}

describe("projects (agency admin)", () => {
  const sub = `e2e-${run}`;
  const name = `Projet e2e ${run}`;

  it("creates a project: inline errors first (bad, then taken subdomain), then lands on its page; its portal answers", async () => {
    const page = await freshPage(context);
    await signIn(page, DEMO.admin);
    await page.goto(siteUrl("/crm/projects"), { waitUntil: "domcontentloaded" });
    await page.getByTestId("new-project").click();
    await page.waitForURL((u) => u.pathname === "/crm/projects/new");
    await hydrated(page);

    await page.getByLabel("Nom du projet").fill(name);
    // The subdomain follows the name until it is typed in; the hint shows the portal's address.
    expect(await page.getByLabel("Sous-domaine").inputValue()).toBe(`projet-e2e-${run}`);
    await page.getByLabel("Sous-domaine").fill("Bad_Sub!");
    expect(await page.getByTestId("subdomain-hint").textContent()).toContain("bad_sub!.localhost");
    await page.getByRole("button", { name: "Créer le projet" }).click();
    const subError = page.locator("#f-subdomain-error");
    await subError.waitFor();
    expect(await subError.textContent()).toMatch(/lettres minuscules, chiffres et tirets/);
    expect(await page.getByLabel("Sous-domaine").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/crm/projects/new");
    await screenshot(page, "crm-project-new-error");

    // A well-formed subdomain that exists already: the API's 409 comes back on the field.
    await page.getByLabel("Sous-domaine").fill("acme");
    await page.getByRole("button", { name: "Créer le projet" }).click();
    await page.locator("#f-subdomain-error", { hasText: "déjà pris" }).waitFor();

    await page.getByLabel("Sous-domaine").fill(sub);
    expect(await page.getByTestId("subdomain-hint").textContent()).toContain(`${sub}.localhost`);
    // No client organisation: the other journeys list every project's clients and expect the seeded ones.
    await page.getByLabel("Début").fill("2026-12-01");
    await page.getByLabel("Livraison prévue").fill("2027-06-30");
    await page.getByLabel("Budget (EUR)").fill("12000");
    await page.getByLabel("Estimation (EUR)").fill("13500");
    await page.getByLabel("Phase").selectOption("design");
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/crm/projects/${sub}`, { timeout: 15_000 }),
      page.getByRole("button", { name: "Créer le projet" }).click(),
    ]);
    expect(await page.locator("main h1").textContent()).toBe(name);
    expect(await page.locator("[data-testid=phase-stepper] [aria-current=step]").textContent()).toMatch(
      /Design/,
    );
    expect(await page.locator("main").textContent()).toMatch(/dépasse le budget/);
    expect(await page.getByTestId("activity").textContent()).toMatch(/Awa Admin a créé le projet/);
    const portal = await page.getByTestId("portal-link").getAttribute("href");
    expect(portal).toBe(new URL(tenantUrl(sub)).origin);

    // The new tenant's subdomain answers: an anonymous visitor is sent to its sign-in page, not a 404.
    const visitor = await browser.newPage();
    const res = await visitor.goto(tenantUrl(sub), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(200);
    expect(new URL(visitor.url()).pathname).toBe("/login");
    expect(await visitor.locator("body").textContent()).not.toMatch(/introuvable|not found/i);
    await visitor.close();
    await page.close();
  });

  it("invites a member and sees the acceptance link once", async () => {
    const page = await freshPage(context);
    await signIn(page, DEMO.admin);
    await page.goto(siteUrl(`/crm/projects/${sub}`), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    const email = `invite-${run}@example.test`;
    await page.getByRole("button", { name: "Inviter" }).click();
    await page.locator("#f-email-error").waitFor();
    await page.getByLabel("Adresse e-mail").fill(email);
    await page.getByLabel("Rôle").selectOption("project_manager");
    await page.getByRole("button", { name: "Inviter" }).click();
    const link = page.getByLabel("Lien d'invitation");
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/\/invitation\?token=[\w-]{20,}/);
    await screenshot(page, "crm-project-detail");
    await page.reload({ waitUntil: "domcontentloaded" });
    expect(await page.getByLabel("Lien d'invitation").count()).toBe(0);
    expect(await page.getByTestId("invitations").textContent()).toContain(email);
    await page.close();
  });

  it("shows the projects as a table and as a kanban by status", async () => {
    const page = await freshPage(context);
    await signIn(page, DEMO.admin);
    await page.goto(siteUrl("/crm/projects?sort=name&dir=asc"), { waitUntil: "domcontentloaded" });
    const table = page.getByTestId("projects-table");
    expect(await table.textContent()).toMatch(/Plateforme de traçabilité AgriTech/);
    await page.goto(siteUrl("/crm/projects?status=active"), { waitUntil: "domcontentloaded" });
    expect(await table.textContent()).not.toContain(name); // planned, filtered out
    await page.goto(siteUrl("/crm/projects?view=kanban"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    expect(await column(page, "planned").textContent()).toContain(name);
    expect(await column(page, "active").textContent()).toMatch(/Refonte UX de l'espace client/);
    await page.close();
  });
});

describe("projects (agency staff, not admin)", () => {
  it("sees the list and the New project button (staff create projects too: decision 026); a project manager doesn't", async () => {
    const pm = await freshPage(context);
    await signIn(pm, DEMO.pmAcme);
    await pm.goto(siteUrl("/crm/projects"), { waitUntil: "domcontentloaded" });
    await pm.getByTestId("projects-table").waitFor();
    expect(await pm.getByTestId("new-project").count()).toBe(0);
    const refused = await pm.goto(siteUrl("/crm/projects/new"), { waitUntil: "domcontentloaded" });
    expect(refused?.status()).toBe(403);
    expect(await pm.getByTestId("new-project-form").count()).toBe(0);
    await pm.close();
    const page = await freshPage(context);
    await signIn(page, DEMO.staff);
    await page.goto(siteUrl("/crm/projects"), { waitUntil: "domcontentloaded" });
    await page.getByTestId("projects-table").waitFor();
    expect(await page.getByTestId("new-project").count()).toBe(1);
    await screenshot(page, "crm-projects-table");
    const res = await page.goto(siteUrl("/crm/projects/new"), { waitUntil: "domcontentloaded" });
    expect(res?.status()).toBe(200);
    expect(await page.getByTestId("new-project-form").count()).toBe(1);
    await page.goto(siteUrl("/crm/projects?view=kanban"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    await screenshot(page, "crm-projects-kanban");
    await page.close();
  });
});

describe("acme's tasks (agency staff)", () => {
  let page: Page;
  beforeAll(async () => {
    page = await freshPage(context);
    await signIn(page, DEMO.staff);
  });
  afterAll(async () => {
    await page?.close();
  });

  it("creating a task with an empty title shows the inline error, then creates it", async () => {
    await page.goto(siteUrl("/crm/projects/acme/tasks"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    await page.getByTestId("new-task").click();
    const form = page.getByTestId("task-form");
    await form.waitFor();
    await form.getByRole("button", { name: "Enregistrer" }).click();
    const error = page.locator("#f-title-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Donnez un titre à la tâche.");
    expect(await form.getByLabel("Titre").getAttribute("aria-invalid")).toBe("true");

    const title = `Tâche créée ${run}`;
    await form.getByLabel("Titre").fill(title);
    await form.getByLabel("Priorité").selectOption("urgent");
    await form.getByLabel("Assignée à").selectOption({ label: "Sam Staff" });
    await form.getByLabel("Échéance").fill("2026-01-10");
    await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: "Enregistrer" }).click()]);
    const row = page.locator("[data-testid=tasks-table] tr", { hasText: title });
    await row.waitFor();
    expect(await row.getAttribute("data-overdue")).toBe("true");
    expect(await row.textContent()).toMatch(/Sam Staff.*En retard/s);
    await page.locator("[data-testid=toast]", { hasText: "Tâche créée." }).waitFor();
    await screenshot(page, "crm-tasks-table");
  });

  it("edits a task, and deletes one after a confirmation", async () => {
    const title = `À modifier ${run}`;
    await newAcmeTask(page, title);
    await page.goto(siteUrl(`/crm/projects/acme/tasks?q=${encodeURIComponent(title)}`), {
      waitUntil: "domcontentloaded",
    });
    await hydrated(page);
    await page.getByRole("link", { name: `Modifier ${title}` }).click();
    const form = page.getByTestId("task-form");
    await form.waitFor();
    expect(await form.getByLabel("Titre").inputValue()).toBe(title);
    await form.getByLabel("Statut").selectOption("review");
    await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: "Enregistrer" }).click()]);
    const row = page.locator("[data-testid=tasks-table] tr", { hasText: title });
    expect(await row.textContent()).toMatch(/En revue/);

    await hydrated(page);
    await page.getByRole("link", { name: `Modifier ${title}` }).click();
    await page.getByTestId("task-form").getByRole("button", { name: "Supprimer" }).click();
    const confirm = page.getByRole("dialog", { name: "Supprimer la tâche" });
    await confirm.waitFor();
    await Promise.all([
      page.waitForEvent("load"),
      confirm.getByRole("button", { name: "Supprimer" }).click(),
    ]);
    await page.getByTestId("empty-state").waitFor();
    expect(await page.locator("main").textContent()).not.toContain(title);
  });

  it("moves a task across the kanban with the mouse, and the status persists", async () => {
    const title = `Souris ${run}`;
    await newAcmeTask(page, title, { status: "todo" });
    await page.goto(siteUrl("/crm/projects/acme/tasks?view=kanban"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    await card(column(page, "todo"), title).waitFor();
    await dragWithMouse(page, card(page, title), column(page, "review"));
    await card(column(page, "review"), title).waitFor();
    await page.waitForLoadState("networkidle");
    await page.reload({ waitUntil: "domcontentloaded" });
    await card(column(page, "review"), title).waitFor();
    expect(await card(column(page, "todo"), title).count()).toBe(0);
  });

  it("moves a task across the kanban with the keyboard (Space, →, Space), and the status persists", async () => {
    const title = `Clavier ${run}`;
    await newAcmeTask(page, title, { status: "todo" });
    await page.goto(siteUrl("/crm/projects/acme/tasks?view=kanban"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    const c = card(column(page, "todo"), title);
    await c.waitFor();
    // Each key waits for the effect of the previous one: the card picked up (aria-pressed), then the board's
    // screen-reader announcements (dnd-kit's live region).
    const announced = (text: string) => page.getByText(text, { exact: true }).waitFor({ state: "attached" });
    await pickUpCard(page, c);
    await page.keyboard.press("ArrowRight");
    await announced(`« ${title} » au-dessus de la colonne En cours.`);
    await page.keyboard.press("Space");
    await announced(`« ${title} » déposée dans En cours.`);
    await card(column(page, "in_progress"), title).waitFor();
    await page.waitForLoadState("networkidle");
    await screenshot(page, "crm-tasks-kanban");
    await page.reload({ waitUntil: "domcontentloaded" });
    await card(column(page, "in_progress"), title).waitFor();
    const res = await callApi(
      page,
      "GET",
      `/api/data/tasks?tenant=acme&where=${encodeURIComponent(JSON.stringify({ title }))}`,
    );
    expect((res.body?.data as Array<{ status: string }> | undefined)?.[0]?.status).toBe("in_progress");
  });

  it("a refused move puts the card back, with a toast", async () => {
    const title = `Supprimée ailleurs ${run}`;
    const id = await newAcmeTask(page, title, { status: "todo" });
    await page.goto(siteUrl("/crm/projects/acme/tasks?view=kanban"), { waitUntil: "domcontentloaded" });
    await hydrated(page);
    await card(column(page, "todo"), title).waitFor();
    // Someone else deletes the task meanwhile (another tab of the same team).
    const other = await context.newPage();
    await other.goto(siteUrl("/crm/projects/acme/tasks"), { waitUntil: "domcontentloaded" });
    expect((await callApi(other, "DELETE", `/api/data/tasks/${id}?tenant=acme`)).status).toBeLessThan(300);
    await other.close();

    await dragWithMouse(page, card(page, title), column(page, "done"));
    const toast = page.locator("[data-testid=toast]", { hasText: "Le déplacement a échoué" });
    await toast.waitFor();
    await card(column(page, "todo"), title).waitFor();
    expect(await card(column(page, "done"), title).count()).toBe(0);
  });
});
