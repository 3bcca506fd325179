/**
 * Team management through the real worker (docs/decisions/026-team-management.md): the routes, a deactivated
 * person's session and token ending at once, and what a partner of a project sees inside it (its tasks, shared
 * documents and messages; never money, internal documents, the CRM's clients, leads, notes, the audit log, the
 * proposal, or the team). The cross-tenant side is in isolation.matrix.test.ts and src/mcp's matrix.
 */
import { env } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, json, type Refs, scenario, type TestUser, unique } from "../../test/factories.ts";
import { makeAccessToken, mcpClient, patCall, textOf } from "../../test/mcp-factories.ts";
import { pdfBytes, upload } from "../../test/portal-factories.ts";

let A: TenantRef;
let refsA: Refs;
let staff: TestUser;
let admin: TestUser;
let partner: TestUser;
let client: TestUser;
let pm: TestUser;
let internalDoc = "";
let sharedDoc = "";
const MONEY = ["654321", "123456", "budget_cents", "estimate_cents"];

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    names: { A: "Team A" },
    seed: true,
    roles: ["client", "partner", "project_manager"],
    users: { staff: { agency: "staff" }, admin: { agency: "admin" } },
  });
  A = s.tenants.A;
  refsA = s.refs.A;
  ({ staff, admin } = s.users);
  ({ partner, client, project_manager: pm } = s.members.A);
  await env.DB.prepare("UPDATE projects SET budget_cents = 654321, estimate_cents = 123456 WHERE id = ?")
    .bind(refsA.projects)
    .run();
  const doc = await upload(
    pm.token,
    A.subdomain,
    { bytes: pdfBytes("working"), name: "plan.pdf" },
    { title: "Plan de travail interne" },
  );
  expect(doc.status).toBe(201);
  internalDoc = (await json<{ id: string }>(doc)).id;
  const shared = await upload(
    pm.token,
    A.subdomain,
    { bytes: pdfBytes("shared"), name: "maquettes.pdf" },
    { title: "Maquettes", visibility: "client" },
  );
  expect(shared.status).toBe(201);
  sharedDoc = (await json<{ id: string }>(shared)).id;
  const msg = await call("POST", "/api/app/portal/messages", {
    token: client.token,
    tenant: A.subdomain,
    body: { body: "Bonjour l'équipe" },
  });
  expect(msg.status).toBe(201);
});

const get = (user: TestUser, path: string) => call("GET", path, { token: user.token, tenant: A.subdomain });

describe("a project's team, through the routes", () => {
  it("agency staff change a client into a partner and back, and remove them; clients may not", async () => {
    const extra = await scenario({ tenants: ["T"], roles: ["client"] });
    const T = extra.tenants.T;
    const who = extra.members.T.client;
    const path = `/api/app/project/members/${who.id}`;
    const refused = await call("PUT", path, {
      token: client.token,
      tenant: T.subdomain,
      body: { role: "partner" },
    });
    expect(refused.status).toBe(403);
    const changed = await call("PUT", path, {
      token: staff.token,
      tenant: T.subdomain,
      body: { role: "partner" },
    });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toEqual({ user_id: who.id, role: "partner", changed: true });
    const tooHigh = await call("PUT", path, {
      token: staff.token,
      tenant: T.subdomain,
      body: { role: "admin" },
    });
    expect(tooHigh.status).toBe(403);
    const bad = await call("PUT", path, { token: staff.token, tenant: T.subdomain, body: { role: "boss" } });
    expect(bad.status).toBe(400);
    const badId = await call("PUT", "/api/app/project/members/abc", {
      token: staff.token,
      tenant: T.subdomain,
      body: { role: "client" },
    });
    expect(badId.status).toBe(400);
    expect((await call("DELETE", path, { token: staff.token, tenant: T.subdomain })).status).toBe(200);
    expect((await call("DELETE", path, { token: staff.token, tenant: T.subdomain })).status).toBe(404);
    // Removed: the project is closed to them at once.
    expect((await get(who, "/api/app/portal/home")).status).toBe(403);
  });

  it("re-sending an invitation mails a new link and the old one stops working; revoking ends the new one", async () => {
    const email = `${unique("inv")}@example.test`;
    const created = await call("POST", "/api/app/project/invitations", {
      token: staff.token,
      tenant: A.subdomain,
      body: { email, role: "partner" },
    });
    expect(created.status).toBe(201);
    const first = await json<{ id: string; token: string }>(created);
    const resent = await call("POST", `/api/app/project/invitations/${first.id}/resend`, {
      token: staff.token,
      tenant: A.subdomain,
    });
    expect(resent.status).toBe(200);
    const again = await json<{ token: string; acceptPath: string }>(resent);
    expect(again.acceptPath).toBe(`/invitation?token=${encodeURIComponent(again.token)}`);
    const mails = await env.DB.prepare(
      "SELECT text_body FROM email_outbox WHERE to_address = ? AND kind = 'invitation' ORDER BY created_at",
    )
      .bind(email)
      .all<{ text_body: string }>();
    expect(mails.results).toHaveLength(2);
    expect(mails.results[1]?.text_body).toContain(encodeURIComponent(again.token));
    const old = await call("POST", "/api/auth/invitations/accept", {
      body: { token: first.token, password: "a-long-enough-password" },
    });
    expect(old.status).toBe(404);
    const revoked = await call("DELETE", `/api/app/project/invitations/${first.id}`, {
      token: staff.token,
      tenant: A.subdomain,
    });
    expect(revoked.status).toBe(200);
    const gone = await call("POST", "/api/auth/invitations/accept", {
      body: { token: again.token, password: "a-long-enough-password" },
    });
    expect(gone.status).toBe(404);
    const badId = await call("DELETE", "/api/app/project/invitations/nope", {
      token: staff.token,
      tenant: A.subdomain,
    });
    expect(badId.status).toBe(400);
  });
});

describe("deactivating an account", () => {
  it("ends the person's open session and their token at once; only agency admins may; history stays", async () => {
    const s = await scenario({ tenants: ["D"], roles: ["client"] });
    const victim = s.members.D.client;
    const pat = await makeAccessToken(victim, { tenants: "all" });
    expect((await call("GET", "/api/auth/me", { token: victim.token })).status).toBe(200);
    expect((await patCall(pat.token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(200);
    const path = `/api/app/agency/users/${victim.id}/status`;
    expect((await call("PUT", path, { token: staff.token, body: { status: "disabled" } })).status).toBe(403);
    expect((await call("GET", "/api/app/agency/users", { token: staff.token })).status).toBe(403);
    expect((await call("PUT", path, { token: admin.token, body: { status: "asleep" } })).status).toBe(400);
    const own = await call("PUT", `/api/app/agency/users/${admin.id}/status`, {
      token: admin.token,
      body: { status: "disabled" },
    });
    expect(own.status).toBe(403);
    const res = await call("PUT", path, { token: admin.token, body: { status: "disabled" } });
    expect(res.status).toBe(200);
    expect((await call("GET", "/api/auth/me", { token: victim.token })).status).toBe(401);
    expect((await get(victim, "/api/app/portal/home")).status).toBe(401);
    expect((await patCall(pat.token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(401);
    const login = await call("POST", "/api/auth/login", {
      body: { email: victim.email, password: "Correct-horse-battery-9" },
    });
    expect(login.status).toBe(401);
    const list = await call("GET", `/api/app/agency/users?q=${encodeURIComponent(victim.email)}`, {
      token: admin.token,
    });
    expect((await json<{ rows: Array<{ status: string }> }>(list)).rows).toEqual([
      expect.objectContaining({ email: victim.email, status: "disabled" }),
    ]);
    // Reactivated: they sign in again, but the old session and token stay ended.
    expect((await call("PUT", path, { token: admin.token, body: { status: "active" } })).status).toBe(200);
    expect((await call("GET", "/api/auth/me", { token: victim.token })).status).toBe(401);
    expect((await patCall(pat.token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(401);
    const back = await call("POST", "/api/auth/login", {
      body: { email: victim.email, password: "Correct-horse-battery-9" },
    });
    expect(back.status).toBe(200);
  });
});

describe("a partner inside their project", () => {
  it("reads its tasks, its shared documents (not the internal ones) and its messages", async () => {
    const tasks = await get(partner, "/api/data/entity/tasks");
    expect(tasks.status).toBe(200);
    expect(await tasks.text()).toContain(refsA.tasks);
    const docs = await get(partner, "/api/app/portal/documents");
    expect(docs.status).toBe(200);
    const listed = await docs.text();
    expect(listed).toContain(sharedDoc);
    expect(listed).not.toContain(internalDoc);
    expect(listed).not.toContain("Plan de travail interne");
    expect((await get(partner, `/api/app/portal/documents/${sharedDoc}`)).status).toBe(200);
    expect((await get(partner, `/api/app/portal/documents/${internalDoc}`)).status).toBe(404);
    const internalList = await get(partner, "/api/app/portal/documents?visibility=internal");
    expect(await internalList.text()).not.toContain(internalDoc);
    const activity = await get(partner, "/api/app/portal/activity");
    expect(activity.status).toBe(200);
    expect(await activity.text()).not.toContain("Plan de travail interne");
    const msgs = await get(partner, "/api/app/portal/messages");
    expect(msgs.status).toBe(200);
    expect(await msgs.text()).toContain("Bonjour l'équipe");
    const posted = await call("POST", "/api/app/portal/messages", {
      token: partner.token,
      tenant: A.subdomain,
      body: { body: "Maquettes livrées" },
    });
    expect(posted.status).toBe(201);
    // Reading is all: partners change neither documents nor tasks.
    const edit = await call("PUT", `/api/app/portal/documents/${sharedDoc}`, {
      token: partner.token,
      tenant: A.subdomain,
      body: { title: "renamed" },
    });
    expect(edit.status).toBe(403);
    const task = await call("PATCH", `/api/data/entity/tasks/${refsA.tasks}`, {
      token: partner.token,
      tenant: A.subdomain,
      body: { title: "renamed" },
    });
    expect(task.status).toBe(403);
  });

  it("never sees money: data API, portal home, MCP tools", async () => {
    for (const path of [
      "/api/data/entity/projects",
      `/api/data/entity/projects/${refsA.projects}`,
      "/api/app/portal/home",
    ]) {
      const res = await get(partner, path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      for (const m of MONEY) expect(text, path).not.toContain(m);
    }
    const agent = await mcpClient((await makeAccessToken(partner, { tenants: [A] })).token, {
      tenant: A.subdomain,
    });
    const tools = (await agent.listTools()).tools.map((t) => t.name).sort();
    expect(tools).not.toContain("list_clients");
    expect(tools).not.toContain("list_leads");
    expect(tools).not.toContain("list_notes");
    for (const [name, args] of [
      ["get_project", { id: refsA.projects }],
      ["list_projects", {}],
      ["get_project_metrics", {}],
      ["search", { query: "projects" }],
    ] as const) {
      const out = await agent.callTool({ name, arguments: args });
      const text = `${textOf(out)} ${JSON.stringify(out.structuredContent ?? {})}`;
      for (const m of ["654321", "123456"]) expect(text, name).not.toContain(m);
    }
    await agent.close();
    // The same call for the project manager carries the budget: the check above can fail.
    const pmAgent = await mcpClient((await makeAccessToken(pm, { tenants: [A] })).token, {
      tenant: A.subdomain,
    });
    const pmOut = await pmAgent.callTool({ name: "get_project", arguments: { id: refsA.projects } });
    expect(JSON.stringify(pmOut.structuredContent ?? textOf(pmOut))).toContain("654321");
    await pmAgent.close();
  });

  it("is refused the CRM's clients, leads and notes, the overview (team and audit rows) and the proposal", async () => {
    for (const path of [
      "/api/data/entity/clients",
      "/api/data/entity/leads",
      "/api/data/entity/notes",
      "/api/app/project/overview",
      "/api/app/project/assignees",
      "/api/app/portal/counters",
      "/api/app/portal/proposal",
      `/api/app/crm/clients?tenant=${A.id}`,
      `/api/app/crm/leads?tenant=${A.id}`,
      "/api/app/crm/dashboard",
    ]) {
      const res = await get(partner, path);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).not.toContain(refsA.leads);
    }
    const invite = await call("POST", "/api/app/project/invitations", {
      token: partner.token,
      tenant: A.subdomain,
      body: { email: "friend@example.test", role: "partner" },
    });
    expect(invite.status).toBe(403);
  });
});
