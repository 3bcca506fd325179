/**
 * The bootcamp's tenant has no project portal (decision 010: learners see only their own work). The rule lives
 * in the portal verbs themselves (packages/domain/src/portal/tenant.ts), so every adapter gets it: REST
 * (src/routes/bootcamp.review.test.ts), MCP and the live channel (here), and any later one.
 */
import { env } from "cloudflare:workers";
import * as domain from "@fataplus/domain";
import { BOOTCAMP_SUBDOMAIN, type Ctx, DomainError, findTenant, type TenantRef } from "@fataplus/domain";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTenant, makeUser, snapshotTenant, systemCtx, type TestUser } from "../../test/factories.ts";
import { makeAccessToken, mcpClient, textOf } from "../../test/mcp-factories.ts";
import { pdfBytes } from "../../test/portal-factories.ts";

let bootcamp: TenantRef;
let staff: TestUser;

beforeAll(async () => {
  const found = await findTenant({ db: env.DB, ref: BOOTCAMP_SUBDOMAIN });
  if (!found) throw new Error("the bootcamp tenant comes with its migration");
  bootcamp = found;
  staff = await makeUser({ agencyRole: "staff" });
});

const id = "00000000-0000-4000-8000-000000000000";
const secret = "no-portal-test-secret-0123456789abcdef";

/** Every portal verb, called as the tenant's admin with input it would otherwise accept or look up. */
const verbs: Record<string, (ctx: Ctx) => Promise<unknown>> = {
  getPortalHome: (ctx) => domain.getPortalHome({ ctx }),
  listPortalActivity: (ctx) => domain.listPortalActivity({ ctx }),
  getPortalCounters: (ctx) => domain.getPortalCounters({ ctx }),
  listDocuments: (ctx) => domain.listDocuments({ ctx, input: {} }),
  uploadDocument: (ctx) =>
    domain.uploadDocument({
      ctx,
      bucket: env.BUCKET,
      input: { file_name: "a.pdf", bytes: pdfBytes() },
      maxBytes: 1024 * 1024,
    }),
  getDocument: (ctx) => domain.getDocument({ ctx, input: { id } }),
  updateDocument: (ctx) => domain.updateDocument({ ctx, input: { id, changes: { title: "x" } } }),
  deleteDocument: (ctx) => domain.deleteDocument({ ctx, bucket: env.BUCKET, input: { id } }),
  issueDownloadLink: (ctx) => domain.issueDownloadLink({ ctx, secret, input: { version_id: id } }),
  listFileRequests: (ctx) => domain.listFileRequests({ ctx }),
  createFileRequest: (ctx) => domain.createFileRequest({ ctx, input: { title: "Logo" } }),
  reviewFileRequest: (ctx) =>
    domain.reviewFileRequest({ ctx, input: { id, review: { decision: "accept" } } }),
  remindOverdue: (ctx) => domain.remindOverdue({ ctx, siteUrl: "https://fata.plus" }),
  listApprovals: (ctx) => domain.listApprovals({ ctx }),
  requestApproval: (ctx) => domain.requestApproval({ ctx, input: { document_id: id } }),
  decideApproval: (ctx) => domain.decideApproval({ ctx, input: { id, decision: { decision: "approve" } } }),
  listMessages: (ctx) => domain.listMessages({ ctx }),
  postMessage: (ctx) => domain.postMessage({ ctx, input: { body: "to every learner" } }),
  markMessagesRead: (ctx) => domain.markMessagesRead({ ctx, input: { seq: 1 } }),
  issueLiveTicket: (ctx) =>
    domain.issueLiveTicket({
      ctx: { ...ctx, actor: { type: "user", userId: staff.id, email: staff.email, agencyRole: "staff" } },
      secret,
    }),
};

describe("no project portal in the bootcamp's tenant", () => {
  it.each(Object.keys(verbs))("%s answers not found there, and writes nothing", async (name) => {
    const before = await snapshotTenant(bootcamp.id);
    const err = await (verbs[name]?.(systemCtx(bootcamp)) ?? Promise.resolve()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect(err instanceof DomainError ? [err.code, err.message] : null).toEqual([
      "NOT_FOUND",
      "The bootcamp has no project portal.",
    ]);
    expect(await snapshotTenant(bootcamp.id)).toBe(before);
  });

  it("nor through MCP: an agent can neither read the documents nor post to a thread of every learner", async () => {
    const { token } = await makeAccessToken(staff, { scope: "write" });
    const agent = await mcpClient(token);
    for (const [name, args] of [
      ["list_documents", {}],
      ["post_message", { body: "hello every learner" }],
    ] as const) {
      const result = (await agent.callTool({
        name,
        arguments: { tenant: BOOTCAMP_SUBDOMAIN, ...args },
      })) as CallToolResult;
      expect(result.isError, name).toBe(true);
      expect(textOf(result)).toBe("The bootcamp has no project portal.");
    }
    await agent.close();
  });

  it("security review 14.4: nor for anyone, however the bootcamp is named (subdomain, id, a pinned connection)", async () => {
    const learner = await makeUser({ memberships: [[bootcamp, "client"]] });
    const instructor = await makeUser({ memberships: [[bootcamp, "project_manager"]] });
    const bootcampAdmin = await makeUser({ memberships: [[bootcamp, "admin"]] });
    const before = await snapshotTenant(bootcamp.id);
    for (const who of [learner, instructor, bootcampAdmin, staff]) {
      const { token } = await makeAccessToken(who, { scope: "write" });
      for (const [pin, named] of [
        [null, BOOTCAMP_SUBDOMAIN],
        [null, bootcamp.id],
        [null, BOOTCAMP_SUBDOMAIN.toUpperCase()],
        [BOOTCAMP_SUBDOMAIN, undefined],
        [bootcamp.id, undefined],
      ] as const) {
        const agent = await mcpClient(token, pin ? { tenant: pin } : {});
        // a connection that reaches only the bootcamp is not even offered the portal's tools
        if (pin !== null || who !== staff) {
          const listed = (await agent.listTools()).tools.map((t) => t.name);
          expect(listed, `${who.email} ${pin}`).not.toContain("list_documents");
          expect(listed, `${who.email} ${pin}`).not.toContain("post_message");
        }
        for (const [name, args] of [
          ["list_documents", {}],
          ["post_message", { body: "hello every learner" }],
        ] as const) {
          const result = (await agent.callTool({
            name,
            arguments: { ...(named === undefined ? {} : { tenant: named }), ...args },
          })) as CallToolResult;
          const what = `${who.email} ${pin} ${named} ${name}: ${textOf(result)}`;
          expect(result.isError, what).toBe(true);
        }
        await agent.close();
      }
    }
    expect(await snapshotTenant(bootcamp.id)).toBe(before);
  });

  it("nor through the live channel: a ticket signed for it anyway is not admitted", async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const ticket = await domain.signToken(secret, {
      kind: "ws",
      tenantId: bootcamp.id,
      userId: staff.id,
      exp,
    });
    const err = await domain
      .admitLiveConnection({ db: env.DB, secret, ticket, tenantRef: BOOTCAMP_SUBDOMAIN, now: new Date() })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err instanceof DomainError ? err.code : err).toBe("NOT_FOUND");
  });
});

describe("the hourly reminders", () => {
  it("run over every active project with a portal, never the bootcamp's tenant", async () => {
    const project = await makeTenant("Reminded");
    const projects = await domain.listPortalProjects(env.DB);
    expect(projects.map((t) => t.id)).toContain(project.id);
    expect(projects.map((t) => t.subdomain)).not.toContain(BOOTCAMP_SUBDOMAIN);
    expect(projects.every((t) => t.kind === "project")).toBe(true);
    const offSlot = new Date("2026-11-23T10:30:00Z");
    expect(
      await domain.remindAllProjects({ db: env.DB, siteUrl: "https://fata.plus", now: offSlot }),
    ).toEqual({
      reminded: 0,
      failed: [],
    });
  });
});
