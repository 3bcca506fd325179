/**
 * The bootcamp through the real worker: roles (staff, instructor, learner), the release schedule, progress,
 * submissions and their marking states, reopening, certificates and their public verification, the public
 * catalogue and applications, and what one learner can never see of another.
 */
import { env } from "cloudflare:workers";
import { CERTIFICATE_ID_PATTERN, createCourse, findTenant, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BootcampRefs,
  day,
  enrolMember,
  makeInstructor,
  seedBootcamp,
} from "../../test/bootcamp-factories.ts";
import {
  call,
  json,
  loginToken,
  makeUser,
  PASSWORD,
  scenario,
  systemCtx,
  type TestUser,
  unique,
} from "../../test/factories.ts";

let T: TenantRef;
let refs: BootcampRefs;
let staff: TestUser;
let instructor: TestUser;
let otherInstructor: TestUser;
let learner: TestUser;
let peer: TestUser;
let enrolment: string;
let peerEnrolment: string;
let nowEnrolment: string;

const P = "/api/app/bootcamp";
const as = (u: { token: string }) => ({ token: u.token, tenant: T.subdomain });

beforeAll(async () => {
  const s = await scenario({
    tenants: ["T"],
    names: { T: "Bootcamp" },
    users: {
      staff: { agency: "staff" },
      instructor: { in: { T: "project_manager" } },
      otherInstructor: { in: { T: "project_manager" } },
      learner: { in: { T: "client" } },
      peer: { in: { T: "client" } },
    },
  });
  T = s.tenants.T;
  ({ staff, instructor, otherInstructor, learner, peer } = s.users);
  refs = await seedBootcamp(T);
  await makeInstructor(T, refs.pastCohort, instructor.email);
  await makeInstructor(T, refs.cohort, otherInstructor.email);
  enrolment = await enrolMember(T, refs.pastCohort, learner.email);
  peerEnrolment = await enrolMember(T, refs.pastCohort, peer.email);
  nowEnrolment = await enrolMember(T, refs.cohort, learner.email);
});

type Course = {
  modules: Array<{
    lessons: Array<{ id: string; released: boolean; completed: boolean; release_date: string }>;
  }>;
  assignments: Array<{
    id: string;
    submission: null | {
      id: string;
      marking_state: string;
      scores: number[] | null;
      feedback: string | null;
      attempt: number;
    };
  }>;
  enrolment: { certificate_id: string | null };
};

const course = async (u: TestUser, id: string) =>
  json<Course>(await call("GET", `${P}/enrolments/${id}/course`, as(u)));

describe("staff manage, others may not", () => {
  it("staff create a course, a module, a lesson, an assignment and a cohort", async () => {
    const c = await call("POST", `${P}/courses`, {
      ...as(staff),
      body: { slug: unique("figma-"), title: "Figma", language: "en", status: "draft" },
    });
    expect(c.status).toBe(201);
    const courseId = (await json<{ id: string }>(c)).id;
    const m = await call("POST", `${P}/modules`, {
      ...as(staff),
      body: { course_id: courseId, title: "Basics" },
    });
    expect(m.status).toBe(201);
    const moduleId = (await json<{ id: string }>(m)).id;
    const l = await call("POST", `${P}/lessons`, {
      ...as(staff),
      body: { module_id: moduleId, title: "Frames", body_md: "Hi" },
    });
    expect(l.status).toBe(201);
    const a = await call("POST", `${P}/assignments`, {
      ...as(staff),
      body: { course_id: courseId, title: "Make a frame", rubric: [{ criterion: "Layout", points: 4 }] },
    });
    expect(a.status).toBe(201);
    const h = await call("POST", `${P}/cohorts`, {
      ...as(staff),
      body: { course_id: courseId, name: "Jan", start_date: day(10), seats: 12 },
    });
    expect(h.status).toBe(201);
    const detail = await json<{ modules: Array<{ lessons: Array<{ html: string }> }>; cohorts: unknown[] }>(
      await call("GET", `${P}/courses/${courseId}`, as(staff)),
    );
    expect(detail.modules[0]?.lessons[0]?.html).toContain("<p>Hi</p>");
    expect(detail.cohorts).toHaveLength(1);
  });

  it("refuses bad input with a readable 400 and duplicates with a 409", async () => {
    const bad = await call("POST", `${P}/cohorts`, {
      ...as(staff),
      body: { course_id: refs.course, name: "X", start_date: "2026-02-30x" },
    });
    expect(bad.status).toBe(400);
    const noRubric = await call("POST", `${P}/assignments`, {
      ...as(staff),
      body: { course_id: refs.course, title: "X", rubric: [] },
    });
    expect(noRubric.status).toBe(400);
    const slug = unique("dup-");
    expect((await call("POST", `${P}/courses`, { ...as(staff), body: { slug, title: "A" } })).status).toBe(
      201,
    );
    expect((await call("POST", `${P}/courses`, { ...as(staff), body: { slug, title: "B" } })).status).toBe(
      409,
    );
    const json = { "content-type": "application/json" };
    expect((await call("POST", `${P}/courses`, { ...as(staff), rawBody: "{", headers: json })).status).toBe(
      400,
    );
    // a body that does not say it is JSON is not read as JSON (security review, finding 6)
    expect((await call("POST", `${P}/courses`, { ...as(staff), rawBody: "{}" })).status).toBe(415);
  });

  it("instructors and learners cannot manage", async () => {
    for (const u of [instructor, learner]) {
      const res = await call("POST", `${P}/courses`, { ...as(u), body: { slug: unique("x-"), title: "X" } });
      expect(res.status).toBe(403);
      const enrol = await call("POST", `${P}/enrolments`, {
        ...as(u),
        body: { cohort_id: refs.cohort, email: "x@example.test", name: "X" },
      });
      expect(enrol.status).toBe(403);
    }
    expect((await call("GET", `${P}/overview`, as(learner))).status).toBe(403);
    expect((await call("GET", `${P}/stats`, as(instructor))).status).toBe(403);
  });

  it("instructors see only the cohorts they teach", async () => {
    const overview = await json<{ cohorts: Array<{ id: string }> }>(
      await call("GET", `${P}/overview`, as(instructor)),
    );
    expect(overview.cohorts.map((c) => c.id)).toEqual([refs.pastCohort]);
    expect((await call("GET", `${P}/cohorts/${refs.pastCohort}`, as(instructor))).status).toBe(200);
    expect((await call("GET", `${P}/cohorts/${refs.cohort}`, as(instructor))).status).toBe(404);
  });

  it("assigning an instructor who does not work here is refused", async () => {
    const outsider = await makeUser({});
    const res = await call("POST", `${P}/cohorts/${refs.cohort}/instructors`, {
      ...as(staff),
      body: { email: outsider.email },
    });
    expect(res.status).toBe(422);
  });
});

describe("release schedule and progress", () => {
  it("a cohort that starts today sees the first lesson and the second one's opening date", async () => {
    const c = await course(learner, nowEnrolment);
    const lessons = c.modules[0]?.lessons ?? [];
    expect(lessons.map((l) => l.released)).toEqual([true, false]);
    expect(lessons[1]?.release_date).toBe(day(30));
    const early = await call(
      "GET",
      `${P}/enrolments/${nowEnrolment}/lessons/${refs.lessonLater}`,
      as(learner),
    );
    expect(early.status).toBe(403);
    expect((await json<{ error: { message: string } }>(early)).error.message).toContain(day(30));
    const complete = await call(
      "POST",
      `${P}/enrolments/${nowEnrolment}/lessons/${refs.lessonLater}/complete`,
      as(learner),
    );
    expect(complete.status).toBe(403);
  });

  it("a released lesson renders its Markdown and can be completed once", async () => {
    const res = await call("GET", `${P}/enrolments/${nowEnrolment}/lessons/${refs.lessonNow}`, as(learner));
    expect(res.status).toBe(200);
    const lesson = await json<{ html: string; completed_at: string | null }>(res);
    expect(lesson.html).toContain("<strong>users</strong>");
    expect(lesson.completed_at).toBeNull();
    for (let i = 0; i < 2; i++) {
      const done = await call(
        "POST",
        `${P}/enrolments/${nowEnrolment}/lessons/${refs.lessonNow}/complete`,
        as(learner),
      );
      expect(done.status).toBe(200);
    }
    const c = await course(learner, nowEnrolment);
    expect(c.modules[0]?.lessons.map((l) => l.completed)).toEqual([true, false]);
  });
});

describe("submissions and marking states", () => {
  let submission = "";

  it("a learner submits a link; a second submit waits for a reopen", async () => {
    const bad = await call("POST", `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`, {
      ...as(learner),
      body: { url: "javascript:alert(1)" },
    });
    expect(bad.status).toBe(400);
    const res = await call("POST", `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`, {
      ...as(learner),
      body: { url: "https://figma.com/file/abc" },
    });
    expect(res.status).toBe(201);
    submission = (await json<{ id: string }>(res)).id;
    const again = await call(
      "POST",
      `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`,
      {
        ...as(learner),
        body: { url: "https://figma.com/file/other" },
      },
    );
    expect(again.status).toBe(409);
  });

  it("moves not marked → in review → released, in that order only", async () => {
    const queue = await json<{ items: Array<{ id: string; marking_state: string }> }>(
      await call("GET", `${P}/reviews`, as(instructor)),
    );
    expect(queue.items.find((i) => i.id === submission)?.marking_state).toBe("not_marked");
    expect((await call("POST", `${P}/reviews/${submission}/release`, as(instructor))).status).toBe(409);
    expect(
      (
        await call("POST", `${P}/reviews/${submission}/scores`, {
          ...as(instructor),
          body: { scores: [1, 1] },
        })
      ).status,
    ).toBe(409);
    expect((await call("POST", `${P}/reviews/${submission}/start`, as(instructor))).status).toBe(200);
    expect((await call("POST", `${P}/reviews/${submission}/start`, as(instructor))).status).toBe(409);
    expect((await call("POST", `${P}/reviews/${submission}/release`, as(instructor))).status).toBe(409);
    const wrongCount = await call("POST", `${P}/reviews/${submission}/scores`, {
      ...as(instructor),
      body: { scores: [1] },
    });
    expect(wrongCount.status).toBe(400);
    const over = await call("POST", `${P}/reviews/${submission}/scores`, {
      ...as(instructor),
      body: { scores: [6, 1] },
    });
    expect(over.status).toBe(400);
    const scored = await call("POST", `${P}/reviews/${submission}/scores`, {
      ...as(instructor),
      body: { scores: [4, 9], feedback: "Clear goals" },
    });
    expect(scored.status).toBe(200);
  });

  it("the learner sees neither score nor feedback before release", async () => {
    const sub = (await course(learner, enrolment)).assignments[0]?.submission;
    expect(sub?.marking_state).toBe("in_review");
    expect(sub?.scores).toBeNull();
    expect(sub?.feedback).toBeNull();
  });

  it("after release the learner sees them", async () => {
    expect((await call("POST", `${P}/reviews/${submission}/release`, as(instructor))).status).toBe(200);
    const sub = (await course(learner, enrolment)).assignments[0]?.submission;
    expect(sub).toMatchObject({ marking_state: "released", scores: [4, 9], feedback: "Clear goals" });
    expect((await call("POST", `${P}/reviews/${submission}/start`, as(instructor))).status).toBe(409);
  });

  it("reopening lets the learner resubmit, which resets the marking", async () => {
    expect((await call("POST", `${P}/reviews/${submission}/reopen`, as(instructor))).status).toBe(200);
    expect((await call("POST", `${P}/reviews/${submission}/reopen`, as(instructor))).status).toBe(409);
    const res = await call("POST", `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`, {
      ...as(learner),
      body: { url: "https://figma.com/file/v2" },
    });
    expect(res.status).toBe(201);
    const sub = (await course(learner, enrolment)).assignments[0]?.submission;
    expect(sub).toMatchObject({ marking_state: "not_marked", attempt: 2, scores: null, feedback: null });
  });

  it("the queue filters by state, with the tenant named in the query or a header", async () => {
    const released = await call("GET", `${P}/reviews?tenant=${T.id}&state=released`, {
      token: instructor.token,
    });
    expect(released.status).toBe(200);
    expect((await call("GET", `${P}/reviews?state=sideways`, as(instructor))).status).toBe(400);
  });

  it("an instructor of another cohort cannot see or review it", async () => {
    expect((await call("GET", `${P}/reviews/${submission}`, as(otherInstructor))).status).toBe(404);
    expect((await call("POST", `${P}/reviews/${submission}/start`, as(otherInstructor))).status).toBe(404);
    const queue = await json<{ items: Array<{ id: string }> }>(
      await call("GET", `${P}/reviews`, as(otherInstructor)),
    );
    expect(queue.items.map((i) => i.id)).not.toContain(submission);
  });

  it("a file goes to R2 and only its learner and the team can download it", async () => {
    const form = new FormData();
    form.set("file", new File(["%PDF-1.4 plan"], "plan.pdf", { type: "application/pdf" }));
    const req = new Request("https://x.test", { method: "POST", body: form });
    const res = await call(
      "POST",
      `${P}/enrolments/${peerEnrolment}/assignments/${refs.assignment}/submission`,
      {
        ...as(peer),
        rawBody: await req.text(),
        headers: { "content-type": req.headers.get("content-type") ?? "" },
      },
    );
    expect(res.status).toBe(201);
    const id = (await json<{ id: string }>(res)).id;
    const own = await call("GET", `${P}/submissions/${id}/file`, as(peer));
    expect(own.status).toBe(200);
    expect(own.headers.get("content-disposition")).toContain("attachment");
    expect(await own.text()).toBe("%PDF-1.4 plan");
    expect((await call("GET", `${P}/submissions/${id}/file`, as(instructor))).status).toBe(200);
    expect((await call("GET", `${P}/submissions/${id}/file`, as(learner))).status).toBe(404);
    const exe = new FormData();
    exe.set("file", new File(["MZ"], "x.exe", { type: "application/x-msdownload" }));
    const req2 = new Request("https://x.test", { method: "POST", body: exe });
    const refused = await call(
      "POST",
      `${P}/enrolments/${peerEnrolment}/assignments/${refs.assignment}/submission`,
      {
        ...as(peer),
        rawBody: await req2.text(),
        headers: { "content-type": req2.headers.get("content-type") ?? "" },
      },
    );
    expect(refused.status).toBe(409); // already submitted: the check comes before anything is stored
  });
});

describe("one learner never sees another's", () => {
  it("enrolment, course view, lessons, progress, submissions and certificates answer not found", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM bootcamp_progress WHERE enrolment_id = ?")
      .bind(enrolment)
      .first<{ n: number }>();
    for (const [method, path, status] of [
      ["GET", `${P}/enrolments/${enrolment}/course`, 404],
      ["GET", `${P}/enrolments/${enrolment}/lessons/${refs.lessonNow}`, 404],
      ["POST", `${P}/enrolments/${enrolment}/lessons/${refs.lessonNow}/complete`, 404],
      ["GET", `${P}/reviews`, 403],
      ["GET", `${P}/cohorts/${refs.pastCohort}`, 404],
    ] as const) {
      const res = await call(method, path, as(peer));
      expect(res.status, `${method} ${path}`).toBe(status);
    }
    const sub = await call("POST", `${P}/enrolments/${enrolment}/assignments/${refs.assignment}/submission`, {
      ...as(peer),
      body: { url: "https://evil.test/x" },
    });
    expect(sub.status).toBe(404);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM bootcamp_progress WHERE enrolment_id = ?")
      .bind(enrolment)
      .first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
    const me = await json<{ enrolments: Array<{ id: string }> }>(await call("GET", `${P}/me`, as(peer)));
    expect(me.enrolments.map((e) => e.id)).toEqual([peerEnrolment]);
  });
});

describe("certificates", () => {
  it("finishing the course issues one; it verifies publicly with only what it shows", async () => {
    const u = await makeUser({ memberships: [[T, "client"]] });
    const e = await enrolMember(T, refs.pastCohort, u.email);
    for (const lesson of [refs.lessonNow, refs.lessonLater])
      expect((await call("POST", `${P}/enrolments/${e}/lessons/${lesson}/complete`, as(u))).status).toBe(200);
    expect((await course(u, e)).enrolment.certificate_id).toBeNull(); // the assignment is not released yet
    const sub = await json<{ id: string }>(
      await call("POST", `${P}/enrolments/${e}/assignments/${refs.assignment}/submission`, {
        ...as(u),
        body: { url: "https://figma.com/file/final" },
      }),
    );
    await call("POST", `${P}/reviews/${sub.id}/start`, as(staff));
    await call("POST", `${P}/reviews/${sub.id}/scores`, { ...as(staff), body: { scores: [5, 10] } });
    expect((await call("POST", `${P}/reviews/${sub.id}/release`, as(staff))).status).toBe(200);
    const cert = (await course(u, e)).enrolment.certificate_id;
    expect(cert).toMatch(CERTIFICATE_ID_PATTERN);
    const me = await json<{ enrolments: Array<{ id: string; status: string }> }>(
      await call("GET", `${P}/me`, as(u)),
    );
    expect(me.enrolments.find((x) => x.id === e)?.status).toBe("completed");

    const pub = await call("GET", `/api/public/bootcamp/certificates/${cert}`);
    expect(pub.status).toBe(200);
    const body = await json<{ certificate: Record<string, unknown> }>(pub);
    expect(Object.keys(body.certificate).sort()).toEqual([
      "course_title",
      "holder_name",
      "id",
      "issued_at",
      "revoked_at",
      "status",
    ]);
    expect(body.certificate.status).toBe("valid");
    expect(body.certificate.course_title).toBe(refs.courseTitle);
    expect(JSON.stringify(body)).not.toContain(u.email);

    expect((await call("GET", `${P}/certificates/${cert}`, as(u))).status).toBe(200);
    expect((await call("GET", `${P}/certificates/${cert}`, as(peer))).status, "peer").toBe(404);
    // revoked by staff with a reason (decision 032): the public answer says revoked and when, not why
    expect(
      (await call("POST", `${P}/certificates/${cert}/revoke`, { ...as(u), body: { reason: "mine" } })).status,
      "the holder can't revoke",
    ).toBe(403);
    const revoke = await call("POST", `${P}/certificates/${cert}/revoke`, {
      ...as(staff),
      body: { reason: "Travail copié" },
    });
    expect(revoke.status).toBe(200);
    const revoked = await json<{ certificate: Record<string, unknown> }>(
      await call("GET", `/api/public/bootcamp/certificates/${cert}`),
    );
    expect(revoked.certificate).toMatchObject({ status: "revoked", revoked_at: expect.any(String) });
    expect(JSON.stringify(revoked)).not.toContain("copié");
    const unknown = await call("GET", "/api/public/bootcamp/certificates/FPC-AAAAAAAAAAAAAAAAAAAAAAAA");
    expect(unknown.status, "unknown").toBe(404);
    const garbage = await call("GET", "/api/public/bootcamp/certificates/1-OR-1");
    expect(garbage.status, "not an id").toBe(404);
  });
});

describe("enrolment by invitation", () => {
  it("a new person gets an invitation; accepting it and signing in makes the enrolment theirs", async () => {
    const email = `${unique("new")}@example.test`;
    const res = await call("POST", `${P}/enrolments`, {
      ...as(staff),
      body: { cohort_id: refs.cohort, email, name: "Nina New" },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; status: string; acceptPath: string }>(res);
    expect(created.status).toBe("invited");
    const token = new URL(created.acceptPath, "https://x.test").searchParams.get("token") ?? "";
    // The invitation e-mail is in the outbox, queued with the enrolment, and carries the same link.
    const mail = await env.DB.prepare(
      "SELECT kind, text_body, about_tenant_id FROM email_outbox WHERE to_address = ? AND kind = 'bootcamp.invitation'",
    )
      .bind(email)
      .first<{ kind: string; text_body: string; about_tenant_id: string }>();
    expect(mail?.about_tenant_id).toBe(T.id);
    expect(mail?.text_body).toContain(created.acceptPath);
    expect(
      (await call("POST", "/api/auth/invitations/accept", { body: { token, password: PASSWORD } })).status,
    ).toBe(201);
    const u = { id: 0, email, token: await loginToken(email) };
    const me = await json<{ enrolments: Array<{ id: string; status: string }> }>(
      await call("GET", `${P}/me`, as(u)),
    );
    expect(me.enrolments).toEqual([expect.objectContaining({ id: created.id, status: "active" })]);
    const dup = await call("POST", `${P}/enrolments`, {
      ...as(staff),
      body: { cohort_id: refs.cohort, email, name: "Nina" },
    });
    expect(dup.status).toBe(409);
  });

  it("a token alone never joins an existing account", async () => {
    const existing = await makeUser({});
    const res = await json<{ acceptPath: string }>(
      await call("POST", `${P}/enrolments`, {
        ...as(staff),
        body: { cohort_id: refs.cohort, email: existing.email, name: "Eve" },
      }),
    );
    const token = new URL(res.acceptPath, "https://x.test").searchParams.get("token") ?? "";
    const accept = await call("POST", "/api/auth/invitations/accept", {
      body: { token, password: PASSWORD },
    });
    expect(accept.status).toBe(409);
  });
});

describe("public catalogue and applications", () => {
  let B: TenantRef;
  let pub: BootcampRefs;
  const marker = unique("Published ");

  beforeAll(async () => {
    const found = await findTenant({ db: env.DB, ref: "bootcamp" });
    if (!found) throw new Error("the bootcamp tenant comes with migration 0008");
    B = found;
    pub = await seedBootcamp(B, marker);
  });

  it("lists published courses with modules, lesson titles and upcoming cohorts, never lesson bodies", async () => {
    const res = await call("GET", "/api/public/bootcamp/catalogue");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(marker);
    expect(text).toContain("Interviews");
    expect(text).not.toContain("Talk to");
    const body = JSON.parse(text) as { courses: Array<{ title: string; cohorts: Array<{ id: string }> }> };
    const c = body.courses.find((x) => x.title === marker);
    expect(c?.cohorts.map((h) => h.id)).toEqual([pub.cohort, pub.upcoming]);
  });

  it("shows one published course by its address; drafts and other tenants' courses are unknown", async () => {
    const all = await json<{ courses: Array<{ slug: string; title: string }> }>(
      await call("GET", "/api/public/bootcamp/catalogue"),
    );
    const slug = all.courses.find((c) => c.title === marker)?.slug ?? "";
    const one = await call("GET", `/api/public/bootcamp/courses/${slug}`);
    expect(one.status).toBe(200);
    expect((await json<{ course: { title: string } }>(one)).course.title).toBe(marker);
    const draft = unique("draft-");
    await createCourse({ ctx: systemCtx(B), input: { slug: draft, title: "Draft" } });
    expect((await call("GET", `/api/public/bootcamp/courses/${draft}`)).status).toBe(404);
    const elsewhere = await json<{ course: { slug: string } }>(
      await call("GET", `${P}/courses/${refs.course}`, as(staff)),
    );
    expect((await call("GET", `/api/public/bootcamp/courses/${elsewhere.course.slug}`)).status).toBe(404);
  });

  it("an application is accepted once, silently, and refused for a past cohort", async () => {
    const email = `${unique("app")}@example.test`;
    const body = { cohort_id: pub.upcoming, email, name: "Ana" };
    const headers = { "cf-connecting-ip": "203.0.113.7" };
    expect((await call("POST", "/api/public/bootcamp/applications", { body, headers })).status).toBe(202);
    expect((await call("POST", "/api/public/bootcamp/applications", { body, headers })).status).toBe(202);
    const rows = await env.DB.prepare(
      "SELECT status FROM bootcamp_enrolments WHERE tenant_id = ? AND email = ?",
    )
      .bind(B.id, email)
      .all();
    expect(rows.results).toEqual([{ status: "applied" }]);
    const past = await call("POST", "/api/public/bootcamp/applications", {
      body: { ...body, cohort_id: pub.pastCohort },
      headers,
    });
    expect(past.status).toBe(409);
    expect((await call("POST", "/api/public/bootcamp/applications", { body: { email } })).status).toBe(400);
    // A cohort of another tenant is unknown here.
    expect(
      (
        await call("POST", "/api/public/bootcamp/applications", {
          body: { ...body, cohort_id: refs.upcoming },
          headers,
        })
      ).status,
    ).toBe(404);
  });

  it("one client may send only a few applications per window", async () => {
    const headers = { "cf-connecting-ip": "198.51.100.9" };
    const answers: Array<[number, boolean]> = [];
    for (let i = 0; i < 7; i++) {
      const res = await call("POST", "/api/public/bootcamp/applications", {
        body: { cohort_id: pub.upcoming, email: `${unique("flood")}@example.test`, name: "Flood" },
        headers,
      });
      // a refusal says when to come back
      answers.push([res.status, Number(res.headers.get("retry-after")) > 0]);
    }
    expect(answers).toEqual([
      [202, false],
      [202, false],
      [202, false],
      [202, false],
      [202, false],
      [429, true],
      [429, true],
    ]);
    // Another client is not affected.
    const other = await call("POST", "/api/public/bootcamp/applications", {
      body: { cohort_id: pub.upcoming, email: `${unique("calm")}@example.test`, name: "Calm" },
      headers: { "cf-connecting-ip": "198.51.100.10" },
    });
    expect(other.status).toBe(202);
  });
});
