/**
 * MCP prompts (issue 21): the agency's everyday questions, built from the caller's own read tools. Listed only
 * where the caller may use every tool a prompt reads; they embed what those tools answer this caller in one
 * tenant, never another tenant's rows; each use is in the audit log.
 */
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { type Refs, scenario, type TestUser } from "../../test/factories.ts";
import { auditOf, makeAccessToken, mcpClient } from "../../test/mcp-factories.ts";

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
let pm: TestUser;
let client: TestUser;

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "Prompts A", B: "Prompts B" },
    seed: true,
    roles: ["client", "project_manager"],
  });
  ({ A, B } = s.tenants);
  refsA = s.refs.A;
  refsB = s.refs.B;
  ({ project_manager: pm, client } = s.members.A);
});

const text = (r: { messages: Array<{ content: { type: string; text?: string } }> }) =>
  r.messages.map((m) => (m.content.type === "text" ? (m.content.text ?? "") : "")).join("\n");

describe("MCP prompts", () => {
  it("lists the prompts a role may use: a client gets no proposal draft (leads are not theirs)", async () => {
    const forPm = await mcpClient((await makeAccessToken(pm, { tenants: [A] })).token);
    expect(forPm.getServerCapabilities()?.prompts).toBeDefined();
    expect((await forPm.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
      "overdue_items",
      "proposal_draft",
      "weekly_status",
    ]);
    const forClient = await mcpClient((await makeAccessToken(client, { tenants: [A] })).token);
    expect((await forClient.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
      "overdue_items",
      "weekly_status",
    ]);
    await expect(
      forClient.getPrompt({ name: "proposal_draft", arguments: { lead_id: refsA.leads } }),
    ).rejects.toThrow(/Unknown prompt/);
  });

  it("weekly_status embeds the project, its metrics and tasks, as untrusted text, and is audited", async () => {
    const { id, token } = await makeAccessToken(pm, { tenants: [A] });
    const agent = await mcpClient(token);
    const got = await agent.getPrompt({
      name: "weekly_status",
      arguments: { project_id: refsA.projects, language: "en" },
    });
    const body = text(got);
    expect(body).toMatch(/Answer in English\./);
    expect(body).toContain("<untrusted-user-content>");
    expect(body).toContain(refsA.projects);
    expect(body).toMatch(/"progress"/);
    // written after the answer (decision 017)
    await vi.waitFor(async () =>
      expect((await auditOf(A.id, id)).map((r) => [r.action, r.entity_id])).toContainEqual([
        "mcp.prompt_get",
        "weekly_status",
      ]),
    );
    const fr = await agent.getPrompt({ name: "weekly_status", arguments: { project_id: refsA.projects } });
    expect(text(fr)).toMatch(/Réponds en français\./);
  });

  it("never embeds another tenant's rows: B's project id, or B named as the tenant, are refused", async () => {
    const agent = await mcpClient((await makeAccessToken(pm, { tenants: [A] })).token);
    await expect(
      agent.getPrompt({ name: "weekly_status", arguments: { project_id: refsB.projects } }),
    ).rejects.toThrow(/not found|No /i);
    await expect(
      agent.getPrompt({
        name: "weekly_status",
        arguments: { tenant: B.subdomain, project_id: refsB.projects },
      }),
    ).rejects.toThrow();
    await expect(
      agent.getPrompt({ name: "proposal_draft", arguments: { tenant: B.subdomain, lead_id: refsB.leads } }),
    ).rejects.toThrow();
    const overdue = await agent.getPrompt({ name: "overdue_items", arguments: {} });
    expect(text(overdue)).not.toContain(refsB.projects);
    expect(text(overdue)).toContain(refsA.projects);
  });

  it("bad arguments are a readable JSON-RPC error", async () => {
    const agent = await mcpClient((await makeAccessToken(pm, { tenants: [A] })).token);
    await expect(
      agent.getPrompt({ name: "weekly_status", arguments: { project_id: "nope" } }),
    ).rejects.toThrow(/project_id|id \(UUID\)/);
    await expect(
      agent.getPrompt({ name: "weekly_status", arguments: { project_id: refsA.projects, language: "de" } }),
    ).rejects.toThrow(/language/);
  });
});
