/**
 * Security review of the bootcamp (issue 7): what a learner or a bootcamp admin from outside the agency could
 * reach beyond the bootcamp's own rules. Each case is an attack that worked before its fix.
 */

import { env, exports } from "cloudflare:workers";
import { BOOTCAMP_SUBDOMAIN, findTenant, submitAssignment, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { type BootcampRefs, enrolMember, seedBootcamp } from "../../test/bootcamp-factories.ts";
import { call, json, scenario, type TestUser, unique } from "../../test/factories.ts";
import { pdfBytes, upload } from "../../test/portal-factories.ts";

const P = "/api/app/bootcamp";

/** A multipart submission through the real worker (binary-safe, unlike a text body). */
function submit(user: TestUser, tenant: TenantRef, path: string, file: File): Promise<Response> {
  const form = new FormData();
  form.set("file", file);
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`https://bknd.test${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "x-fataplus-tenant": tenant.subdomain },
      body: form,
    }),
  );
}

describe("learners of the bootcamp tenant and the project portal", () => {
  let B: TenantRef;
  let learner: TestUser;
  let peer: TestUser;

  beforeAll(async () => {
    const found = await findTenant({ db: env.DB, ref: BOOTCAMP_SUBDOMAIN });
    if (!found) throw new Error("the bootcamp tenant comes with its migration");
    const s = await scenario({
      tenants: ["B"],
      existing: { B: found },
      users: { learner: { in: { B: "client" } }, peer: { in: { B: "client" } } },
    });
    B = s.tenants.B;
    ({ learner, peer } = s.users);
  });

  it("a learner cannot post to, read or subscribe to a message thread shared with every other learner", async () => {
    const as = (u: TestUser) => ({ token: u.token, tenant: B.subdomain });
    const post = await call("POST", "/api/app/portal/messages", {
      ...as(peer),
      body: { body: "hello from a peer" },
    });
    expect(post.status).toBe(404);
    const list = await call("GET", "/api/app/portal/messages", as(learner));
    expect(list.status).toBe(404);
    expect(await list.text()).not.toContain(peer.email);
    expect((await call("POST", "/api/app/portal/messages/ticket", as(learner))).status).toBe(404);
    for (const path of ["home", "activity", "documents", "requests", "approvals"])
      expect((await call("GET", `/api/app/portal/${path}`, as(learner))).status, path).toBe(404);
  });
});

describe("bootcamp admins who are not the agency's people", () => {
  let T: TenantRef;
  let refs: BootcampRefs;
  let outsideAdmin: TestUser;
  let staff: TestUser;

  beforeAll(async () => {
    const found = await findTenant({ db: env.DB, ref: BOOTCAMP_SUBDOMAIN });
    if (!found) throw new Error("the bootcamp tenant comes with its migration");
    const s = await scenario({
      tenants: ["T"],
      existing: { T: found },
      users: { outsideAdmin: { in: { T: "admin" } }, staff: { agency: "staff" } },
    });
    T = s.tenants.T;
    ({ outsideAdmin, staff } = s.users);
    refs = await seedBootcamp(T);
  });

  it("of a client's project are not bootcamp staff there: no course, no enrolment, no invitation mail", async () => {
    const s = await scenario({ tenants: ["X"], names: { X: "Client project" }, roles: ["admin"] });
    const X = s.tenants.X;
    const projectAdmin = s.members.X.admin;
    const as = { token: projectAdmin.token, tenant: X.subdomain };
    const course = await call("POST", `${P}/courses`, {
      ...as,
      body: {
        slug: "phish-x",
        title: "Your account will be closed: https://evil.example",
        status: "published",
      },
    });
    expect(course.status).toBe(403);
    // with a cohort made by the system in their project, enrolling anyone is still refused
    const xRefs = await seedBootcamp(X);
    const enrol = await call("POST", `${P}/enrolments`, {
      ...as,
      body: { cohort_id: xRefs.upcoming, email: "victim@example.test", name: "Victim" },
    });
    expect(enrol.status).toBe(403);
    const mails = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE about_tenant_id = ?")
      .bind(X.id)
      .first<{ n: number }>();
    expect(mails?.n).toBe(0);
  });

  it("are never handed the invitation token of an address they enrol", async () => {
    // The token claims the address' unclaimed (intake-made) account with every membership it has, so only
    // the agency's people, who deliver it by hand, may see it (like createInvitation).
    const res = await call("POST", `${P}/enrolments`, {
      token: outsideAdmin.token,
      tenant: T.subdomain,
      body: { cohort_id: refs.upcoming, email: `${unique("someone-else")}@example.test`, name: "Someone" },
    });
    expect(res.status).toBe(201);
    const body = await json<{ acceptPath: string | null; status: string }>(res);
    expect(body.status).toBe("invited");
    expect(body.acceptPath).toBeNull();
    const byStaff = await json<{ acceptPath: string | null }>(
      await call("POST", `${P}/enrolments`, {
        token: staff.token,
        tenant: T.subdomain,
        body: { cohort_id: refs.upcoming, email: `${unique("another-one")}@example.test`, name: "Another" },
      }),
    );
    expect(byStaff.acceptPath).toMatch(/^\/invitation\?token=/);
  });
});

describe("submission files are typed by their bytes", () => {
  let T: TenantRef;
  let refs: BootcampRefs;
  let learner: TestUser;
  let enrolment: string;

  beforeAll(async () => {
    const s = await scenario({ tenants: ["T"], names: { T: "Bootcamp files" }, roles: ["client"] });
    T = s.tenants.T;
    learner = s.members.T.client;
    refs = await seedBootcamp(T);
    enrolment = await enrolMember(T, refs.pastCohort, learner.email);
  });

  it("refuses an HTML page declared as a PDF, and stores nothing", async () => {
    const html = new File(["<html><script>alert(document.domain)</script></html>"], "cv.pdf", {
      type: "application/pdf",
    });
    const res = await submit(
      learner,
      T,
      `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`,
      html,
    );
    expect(res.status).toBe(400);
    const listed = await env.BUCKET.list({ prefix: `bootcamp/${T.id}/` });
    expect(listed.objects).toHaveLength(0);
  });

  it("records the sniffed type, not the declared one", async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0,
      0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
    ]);
    const res = await submit(
      learner,
      T,
      `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`,
      new File([png], "../shot.html", { type: "application/pdf" }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const id = (await json<{ id: string }>(res)).id;
    const file = await call("GET", `${P}/submissions/${id}/file`, {
      token: learner.token,
      tenant: T.subdomain,
    });
    expect(file.headers.get("content-type")).toBe("image/png");
    // the saved name carries the sniffed type's extension, whatever the learner called it
    expect(file.headers.get("content-disposition")).toContain("filename*=UTF-8''shot.png");
    expect(file.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });
});

describe("a link submission's body", () => {
  it("cannot turn into a file submission pointing at another tenant's R2 object", async () => {
    const s = await scenario({
      tenants: ["T", "V"],
      names: { T: "Bootcamp keys", V: "Victim project" },
      users: { learner: { in: { T: "client" } }, pm: { in: { V: "project_manager" } } },
    });
    const { T, V } = s.tenants;
    const { learner, pm } = s.users;
    const refs = await seedBootcamp(T);
    const enrolment = await enrolMember(T, refs.pastCohort, learner.email);
    // Another tenant's internal document, in R2 under its own prefix.
    const doc = await json<{ versions: Array<{ id: string }>; id: string }>(
      await upload(pm.token, V.subdomain, { bytes: pdfBytes("victim secret"), name: "secret.pdf" }),
    );
    const key = `tenants/${V.id}/documents/${doc.id}/${doc.versions[0]?.id}`;
    expect(await env.BUCKET.head(key)).not.toBeNull();

    const res = await call("POST", `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`, {
      token: learner.token,
      tenant: T.subdomain,
      body: { kind: "file", file_key: key, file_name: "mine.pdf", file_type: "text/html", file_size: 10 },
    });
    expect(res.status).toBe(400);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM bootcamp_submissions WHERE tenant_id = ?")
      .bind(T.id)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
    // The verb itself refuses a key outside this enrolment's prefix, whichever transport calls it.
    await expect(
      submitAssignment({
        ctx: {
          db: env.DB,
          tenant: T,
          actor: { type: "user", userId: learner.id, email: learner.email, agencyRole: "member" },
          role: "client",
          now: () => new Date(),
        },
        input: {
          kind: "file",
          enrolment_id: enrolment,
          assignment_id: refs.assignment,
          file_key: key,
          file_name: "mine.pdf",
          file_type: "application/pdf",
          file_size: 10,
        },
      }),
    ).rejects.toThrow(/Upload the file itself/);
  });
});

describe("invitation mails about long names", () => {
  it("enrolling into a cohort whose course and cohort names are long still works (the subject is cut)", async () => {
    const s = await scenario({
      tenants: ["T"],
      names: { T: "Bootcamp long" },
      users: { staff: { agency: "staff" } },
    });
    const T = s.tenants.T;
    const staff = s.users.staff;
    const refs = await seedBootcamp(T, "L".repeat(200));
    const cohort = await call("POST", `${P}/cohorts`, {
      token: staff.token,
      tenant: T.subdomain,
      body: { course_id: refs.course, name: "N".repeat(200), start_date: "2099-01-01", seats: 5 },
    });
    expect(cohort.status).toBe(201);
    const res = await call("POST", `${P}/enrolments`, {
      token: staff.token,
      tenant: T.subdomain,
      body: { cohort_id: (await json<{ id: string }>(cohort)).id, email: "long@example.test", name: "Long" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
  });
});
