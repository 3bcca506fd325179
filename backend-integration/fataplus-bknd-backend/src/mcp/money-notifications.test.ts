/**
 * The tools for what issues 15 and 16 added (issue 21): `list_invoices` (money: clients see issued invoices,
 * partners never see money) and `list_notifications` (only the token's own person's, in this project).
 */

import type { TenantRef } from "@fataplus/domain";
import * as domain from "@fataplus/domain";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { call, scenario, systemCtx, type TestUser } from "../../test/factories.ts";
import { makeAccessToken, mcpClient } from "../../test/mcp-factories.ts";

let A: TenantRef;
let pm: TestUser;
let client: TestUser;
let partner: TestUser;
let issued = "";

type Out = { items: Array<Record<string, unknown>>; next: string | null; unread?: number };

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    names: { A: "Tools money A" },
    seed: true,
    roles: ["client", "partner", "project_manager"],
  });
  A = s.tenants.A;
  ({ project_manager: pm, client, partner } = s.members.A);
  const draft = (name: string) =>
    domain.createInvoice({
      ctx: systemCtx(A),
      input: {
        currency: "EUR",
        buyer: { name },
        lines: [{ description: "Design", quantity_milli: 1000, unit_price_minor: 120_000, vat_bp: 2000 }],
      },
    });
  const one = await draft("Acme <b>SARL</b>");
  await domain.issueInvoice({ ctx: systemCtx(A), input: { id: one.invoice.id, body: { version: 1 } } });
  issued = one.invoice.id;
  await draft("Draft only");
  // the client writes to the thread: the project manager is told
  const posted = await call("POST", "/api/app/portal/messages", {
    token: client.token,
    tenant: A.subdomain,
    body: { body: "Bonjour, voici le brief" },
  });
  expect(posted.status).toBe(201);
});

const tool = async (user: TestUser, name: string, args: Record<string, unknown> = {}) => {
  const agent = await mcpClient((await makeAccessToken(user, { tenants: [A] })).token);
  const res = await agent.callTool({ name, arguments: args });
  return { res, out: res.structuredContent as Out | undefined, agent };
};

describe("list_invoices", () => {
  it("the team sees drafts and issued invoices, with number, status and balance; the buyer's name is untrusted", async () => {
    const { out } = await tool(pm, "list_invoices");
    expect(out?.items).toHaveLength(2);
    const inv = out?.items.find((i) => i.id === issued);
    expect(inv).toMatchObject({
      kind: "invoice",
      currency: "EUR",
      total_minor: 144_000,
      balance_minor: 144_000,
    });
    expect(String(inv?.number)).toMatch(/^FA-\d{4}-\d{4}$/);
    expect(inv?.buyer).toBe("<untrusted-user-content>Acme &lt;b&gt;SARL&lt;/b&gt;</untrusted-user-content>");
  });

  it("a client sees issued invoices only; a partner has no money tool", async () => {
    const { out } = await tool(client, "list_invoices");
    expect(out?.items.map((i) => i.id)).toEqual([issued]);
    const agent = await mcpClient((await makeAccessToken(partner, { tenants: [A] })).token);
    expect((await agent.listTools()).tools.map((t) => t.name)).not.toContain("list_invoices");
    const refused = await agent.callTool({ name: "list_invoices", arguments: {} });
    expect(refused.isError).toBe(true);
  });
});

describe("list_notifications", () => {
  it("the project manager reads their own notification of the client's message; the client reads none of it", async () => {
    const { out } = await vi.waitFor(async () => {
      const r = await tool(pm, "list_notifications");
      expect(r.out?.items.length).toBeGreaterThan(0);
      return r;
    });
    expect(out?.items[0]).toMatchObject({ kind: "message", read: false });
    expect(String(out?.items[0]?.text)).toContain("<untrusted-user-content>");
    expect(out?.unread).toBeGreaterThan(0);
    const mine = await tool(client, "list_notifications");
    expect(mine.out?.items.filter((i) => i.kind === "message")).toEqual([]);
  });
});
