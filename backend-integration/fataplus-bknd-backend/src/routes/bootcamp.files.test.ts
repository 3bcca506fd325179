/**
 * Assignment files through the real worker (packages/domain/src/bootcamp/submission-files.ts): the route only
 * reads the form; the verb asks whether the learner may submit before storing anything, and removes the stored
 * object when recording the submission fails.
 */
import { env, exports } from "cloudflare:workers";
import type { TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { type BootcampRefs, enrolMember, seedBootcamp } from "../../test/bootcamp-factories.ts";
import { json, makeTenant, makeUser, type TestUser } from "../../test/factories.ts";
import { pdfBytes } from "../../test/portal-factories.ts";

const P = "/api/app/bootcamp";

function submit(user: TestUser, tenant: TenantRef, enrolment: string, assignment: string, fields: FormData) {
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`https://bknd.test${P}/enrolments/${enrolment}/assignments/${assignment}/submission`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "x-fataplus-tenant": tenant.subdomain },
      body: fields,
    }),
  );
}

const form = (note?: string) => {
  const f = new FormData();
  f.set("file", new File([pdfBytes("submission")], "plan.pdf", { type: "application/pdf" }));
  if (note !== undefined) f.set("note", note);
  return f;
};

let T: TenantRef;
let refs: BootcampRefs;
let learner: TestUser;
let other: TestUser;
let enrolment = "";

const stored = async () => (await env.BUCKET.list({ prefix: `bootcamp/${T.id}/` })).objects.length;
const recorded = async () =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ?")
      .bind(T.id)
      .first<{ n: number }>()
  )?.n ?? 0;

beforeAll(async () => {
  T = await makeTenant("Submission files");
  refs = await seedBootcamp(T);
  learner = await makeUser({ memberships: [[T, "client"]] });
  other = await makeUser({ memberships: [[T, "client"]] });
  enrolment = await enrolMember(T, refs.pastCohort, learner.email);
});

describe("a file submission", () => {
  it("that cannot be recorded leaves nothing in R2", async () => {
    const res = await submit(learner, T, enrolment, refs.assignment, form("x".repeat(5001)));
    expect(res.status).toBe(400);
    expect(await stored()).toBe(0);
    expect(await recorded()).toBe(0);
  });

  it("from someone who does not own the enrolment is refused before anything is stored", async () => {
    const res = await submit(other, T, enrolment, refs.assignment, form());
    expect(res.status).toBe(404);
    expect(await stored()).toBe(0);
  });

  it("is stored under its enrolment, recorded with its note, and final until reopened", async () => {
    const res = await submit(learner, T, enrolment, refs.assignment, form("see page 2"));
    expect(res.status, await res.clone().text()).toBe(201);
    const { attempt } = await json<{ id: string; attempt: number }>(res);
    expect(attempt).toBe(1);
    const objects = (await env.BUCKET.list({ prefix: `bootcamp/${T.id}/` })).objects;
    expect(objects.map((o) => o.key)).toEqual([
      expect.stringMatching(`^bootcamp/${T.id}/${enrolment}/.+\\.pdf$`),
    ]);
    const row = await env.DB.prepare(
      "SELECT file_key, file_name, file_type, note FROM bootcamp_submissions WHERE tenant_id = ? AND enrolment_id = ?",
    )
      .bind(T.id, enrolment)
      .first();
    expect(row).toEqual({
      file_key: objects[0]?.key,
      file_name: "plan.pdf",
      file_type: "application/pdf",
      note: "see page 2",
    });
    // A second file is refused before it is stored: one object still.
    expect((await submit(learner, T, enrolment, refs.assignment, form())).status).toBe(409);
    expect(await stored()).toBe(1);
  });
});
