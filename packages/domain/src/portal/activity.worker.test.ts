/**
 * Security review (issue 14), finding 5: a client's activity feed shows a document only while it is shared
 * with clients. Made internal later, neither its upload nor the approvals asked and decided on it show its
 * title to a client any more (the project team still sees everything).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pdfBytes } from "../../testing/files.ts";
import { bucket, given } from "../../testing/workerd.ts";
import type { Ctx } from "../kernel/context.ts";
import {
  decideApproval,
  listPortalActivity,
  requestApproval,
  updateDocument,
  uploadDocument,
} from "./index.ts";

const setup = () => given({ tenants: ["a"], roles: ["client", "project_manager"] });
let s: Awaited<ReturnType<typeof setup>>;
let pm: Ctx;
let client: Ctx;
beforeAll(async () => {
  s = await setup();
  pm = s.ctx("a", s.members.a.project_manager);
  client = s.ctx("a", s.members.a.client);
});

const upload = (ctx: Ctx, meta: Record<string, unknown>) =>
  uploadDocument({
    ctx,
    bucket: bucket(),
    input: { file_name: "plan.pdf", bytes: pdfBytes(crypto.randomUUID()), ...meta },
    maxBytes: 1e6,
  });

/** The name each line shows: the object's current name, else the title its audit row kept. */
const titlesFor = async (ctx: Ctx) =>
  (await listPortalActivity({ ctx, limit: 50 })).map(
    (i) => i.object_name ?? (JSON.parse(i.data ?? "{}") as { title?: string }).title ?? null,
  );

describe("a document made internal leaves the client's activity feed", () => {
  it("its upload, its approval request and the client's decision are no longer shown to clients", async () => {
    const secret = "Acquisition plan (confidential)";
    const doc = await upload(pm, { visibility: "client", title: secret });
    const approval = await requestApproval({ ctx: pm, input: { document_id: doc.id } });
    await decideApproval({ ctx: client, input: { id: approval.id, decision: { decision: "approve" } } });
    const kept = await upload(pm, { visibility: "client", title: "Shared brief" });
    expect(kept.id).toBeTruthy();
    expect((await titlesFor(client)).filter((t) => t === secret).length).toBe(3);

    await updateDocument({ ctx: pm, input: { id: doc.id, changes: { visibility: "internal" } } });
    const seen = await titlesFor(client);
    expect(seen).not.toContain(secret);
    expect(seen).toContain("Shared brief");
    // the team still sees all of it
    expect((await titlesFor(pm)).filter((t) => t === secret).length).toBe(3);

    // shared again, it comes back
    await updateDocument({ ctx: pm, input: { id: doc.id, changes: { visibility: "client" } } });
    expect((await titlesFor(client)).filter((t) => t === secret).length).toBe(3);
  });
});
