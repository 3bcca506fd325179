/**
 * The cross-tenant matrix, seen through the site: acme's project manager, client and partner (invited here:
 * the demo data has none; decision 026), signed in, ask
 * every CRM and portal page for globex (by subdomain, by ids, as filters, as search terms). No page may show
 * anything of globex, and none answers 5xx. The API's own matrices prove the same below the site.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO, DEMO_PASSWORD, fetchAt, sessionCookie, siteUrl, tenantUrl } from "./stack.ts";

/** What the demo data puts in globex only (scripts/lib/demo-data.ts). */
const GLOBEX_SECRETS = [
  "Globex Corporation",
  "Greg Client",
  "Refonte UX de l'espace client",
  "Refonte UX de l&#39;espace client",
  "User research interviews",
  "Design system tokens",
  "Mobile companion app",
];

let globex = { id: "", client: "", lead: "", task: "", project: "" };
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const admin = await sessionCookie(DEMO.admin);
  const get = async (path: string) =>
    (await (await fetchAt(siteUrl(path), { headers: { cookie: admin } })).json()) as {
      rows?: Array<{ id: string; tenant_id: string; tenant_subdomain: string }>;
      data?: Array<{ id: string }>;
    };
  const projects = (await get("/api/app/crm/projects?q=Refonte")).rows ?? [];
  const project = projects.find((p) => p.tenant_subdomain === "globex");
  if (!project) throw new Error("globex is missing from the demo data");
  const clients = (await get(`/api/app/crm/clients?tenant=${project.tenant_id}`)).rows ?? [];
  const leads = (await get(`/api/app/crm/leads?tenant=${project.tenant_id}`)).rows ?? [];
  const tasks = (await get("/api/data/entity/tasks?tenant=globex&limit=1")).data ?? [];
  globex = {
    id: project.tenant_id,
    project: project.id,
    client: clients[0]?.id ?? "",
    lead: leads[0]?.id ?? "",
    task: tasks[0]?.id ?? "",
  };
  for (const [who, email] of [
    ["pm", DEMO.pmAcme],
    ["client", DEMO.clientAcme],
  ] as const)
    cookies[who] = await sessionCookie(email);
  // A partner of acme: invited by the agency's admin, the invitation accepted with the demo password.
  const partnerEmail = `partner-iso-${Date.now()}@studio.test`;
  const origin = new URL(siteUrl("/")).origin;
  const invited = await fetchAt(siteUrl("/api/app/project/invitations?tenant=acme"), {
    method: "POST",
    headers: { cookie: admin, "content-type": "application/json", origin },
    body: JSON.stringify({ email: partnerEmail, role: "partner" }),
  });
  if (invited.status !== 201) throw new Error(`partner invitation: ${invited.status}`);
  const { token } = (await invited.json()) as { token: string };
  const accepted = await fetchAt(siteUrl("/api/auth/invitations/accept"), {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ token, password: DEMO_PASSWORD }),
  });
  if (accepted.status >= 300) throw new Error(`partner acceptance: ${accepted.status}`);
  cookies.partner = await sessionCookie(partnerEmail);
});

const pages = () => [
  siteUrl("/crm"),
  siteUrl("/crm/projects/globex"),
  siteUrl("/crm/projects/globex/tasks"),
  siteUrl("/crm/projects/globex/tasks?view=table"),
  siteUrl(`/crm/clients/globex/${globex.client}`),
  siteUrl(`/crm/clients/acme/${globex.client}`),
  siteUrl(`/crm/leads/globex/${globex.lead}`),
  siteUrl(`/crm/clients?tenant=${globex.id}`),
  siteUrl(`/crm/leads?view=table&tenant=${globex.id}`),
  siteUrl("/crm/clients?q=Globex"),
  siteUrl("/crm/leads?view=table&q=Mobile"),
  siteUrl("/crm/projects?q=Refonte"),
  siteUrl("/crm/projects?view=kanban"),
  tenantUrl("globex"),
  tenantUrl("globex", "/en/"),
  tenantUrl("globex", "/settings"),
  siteUrl(`/api/data/entity/tasks/${globex.task}?tenant=globex`),
  tenantUrl("acme", `/api/data/entity/tasks/${globex.task}`),
  // team management (decision 026): the agency's accounts, globex's team seen from acme
  siteUrl("/crm/settings/users"),
  siteUrl("/crm/settings/users?q=globex"),
  siteUrl("/api/app/agency/users?q=globex"),
  tenantUrl("acme", "/api/app/project/overview?tenant=globex"),
];

describe.each(["pm", "client", "partner"] as const)("acme's %s asking the site for globex", (who) => {
  it("sees nothing of globex on any page", async () => {
    expect(globex.client && globex.lead && globex.task).toBeTruthy();
    const leaks: string[] = [];
    for (const url of pages()) {
      const res = await fetchAt(url, { headers: { cookie: cookies[who] ?? "" } });
      if (res.status >= 500) leaks.push(`${url}: ${res.status}`);
      const body = await res.text();
      for (const secret of GLOBEX_SECRETS) if (body.includes(secret)) leaks.push(`${url}: shows "${secret}"`);
    }
    expect(leaks).toEqual([]);
  });
});

describe("the check itself", () => {
  it("finds globex's data when someone allowed asks", async () => {
    const admin = await sessionCookie(DEMO.admin);
    const body = await (
      await fetchAt(siteUrl("/crm/projects/globex"), { headers: { cookie: admin } })
    ).text();
    expect(GLOBEX_SECRETS.some((s) => body.includes(s))).toBe(true);
  });
});
