import { describe, expect, it } from "vitest";
import { pdfBytes } from "../../testing/files.ts";
import { bucket, given, refused } from "../../testing/workerd.ts";
import { createRecord } from "../records/index.ts";
import {
  createFileRequest,
  getPortalCounters,
  getPortalHome,
  listPortalActivity,
  uploadDocument,
} from "./index.ts";

describe("getPortalHome", () => {
  it("shows every role the project and its progress, money only to the agency, and counts the visit", async () => {
    const s = await given({
      tenants: ["a", "b"],
      seed: ["a"],
      roles: ["client", "project_manager", "admin"],
    });
    await createRecord({
      ctx: s.system("a"),
      input: { entity: "tasks", data: { title: "fini", project_id: s.refs.a.projects, status: "done" } },
    });
    const mine = await getPortalHome({ ctx: s.ctx("a", s.members.a.client) });
    expect(mine.tenant).toEqual(s.tenants.a);
    expect(mine.projects).toEqual([
      expect.objectContaining({ id: s.refs.a.projects, tasks_total: 2, tasks_done: 1 }),
    ]);
    expect(mine.projects[0]).not.toHaveProperty("budget_cents");
    const agency = await getPortalHome({ ctx: s.ctx("a", s.members.a.project_manager) });
    expect(agency.projects[0]).toHaveProperty("budget_cents");
    expect((await getPortalCounters({ ctx: s.ctx("a", s.members.a.admin) })).active_users_30d).toBe(2);
    expect((await getPortalHome({ ctx: s.ctx("b", s.members.b.client) })).projects).toEqual([]);
  });
});

describe("getPortalCounters", () => {
  it("is the agency's (clients are FORBIDDEN) and counts storage per tenant", async () => {
    const s = await given({ tenants: ["a", "b"], roles: ["client", "project_manager"] });
    const pm = s.ctx("a", s.members.a.project_manager);
    const bytes = pdfBytes("counted");
    await uploadDocument({ ctx: pm, bucket: bucket(), input: { file_name: "a.pdf", bytes }, maxBytes: 1e6 });
    expect(await getPortalCounters({ ctx: pm })).toEqual({
      storage_bytes: bytes.byteLength,
      downloads: 0,
      messages: 0,
      active_users_30d: 0,
    });
    expect((await getPortalCounters({ ctx: s.ctx("b", s.members.b.project_manager) })).storage_bytes).toBe(0);
    await refused(getPortalCounters({ ctx: s.ctx("a", s.members.a.client) }), "FORBIDDEN");
  });
});

describe("listPortalActivity", () => {
  it("shows clients only what was client-facing, the agency everything, and no tenant another's", async () => {
    const s = await given({ tenants: ["a", "b"], roles: ["client", "project_manager"] });
    const pm = s.ctx("a", s.members.a.project_manager);
    const up = (title: string, visibility: "internal" | "client") =>
      uploadDocument({
        ctx: pm,
        bucket: bucket(),
        input: { file_name: "f.pdf", bytes: pdfBytes(title), title, visibility },
        maxBytes: 1e6,
      });
    await up("Marge interne", "internal");
    await up("Maquette", "client");
    await createFileRequest({ ctx: pm, input: { title: "Logo" } });
    const titles = async (ctx: typeof pm) =>
      (await listPortalActivity({ ctx })).map((a) => a.object_name).sort();
    expect(await titles(s.ctx("a", s.members.a.client))).toEqual(["Logo", "Maquette"]);
    expect(await titles(pm)).toEqual(["Logo", "Maquette", "Marge interne"]);
    expect(await titles(s.ctx("b", s.members.b.project_manager))).toEqual([]);
    // the agency's side knows the project's people by address; a client never sees one
    expect((await listPortalActivity({ ctx: pm }))[0]?.actor_name).toBe(s.members.a.project_manager.email);
    expect((await listPortalActivity({ ctx: s.ctx("a", s.members.a.client) }))[0]?.actor_name).toBeNull();
  });
});
