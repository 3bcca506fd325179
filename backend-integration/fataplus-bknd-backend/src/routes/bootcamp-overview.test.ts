/**
 * Security review (issue 14), finding 2: a bootcamp instructor (a project_manager member of the bootcamp's
 * tenant) sees only the cohorts they teach (decision 010). The tenant-wide project overview, which lists every
 * member's address, every pending invitation and the tenant's audit rows, is for the bootcamp's staff only.
 */
import { env } from "cloudflare:workers";
import { BOOTCAMP_SUBDOMAIN, findTenant, type TenantRef } from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { call, makeUser, type TestUser } from "../../test/factories.ts";

let bootcamp: TenantRef;
let instructor: TestUser;
let learner: TestUser;
let staff: TestUser;
let bootcampAdmin: TestUser;

beforeAll(async () => {
  const found = await findTenant({ db: env.DB, ref: BOOTCAMP_SUBDOMAIN });
  if (!found) throw new Error("the bootcamp tenant comes with its migration");
  bootcamp = found;
  instructor = await makeUser({ memberships: [[bootcamp, "project_manager"]] });
  learner = await makeUser({ memberships: [[bootcamp, "client"]] });
  bootcampAdmin = await makeUser({ memberships: [[bootcamp, "admin"]] });
  staff = await makeUser({ agencyRole: "staff" });
});

const overview = (who: TestUser) =>
  call("GET", `/api/app/project/overview?tenant=${BOOTCAMP_SUBDOMAIN}`, { token: who.token });

describe("the bootcamp tenant's overview", () => {
  it("is refused to an instructor and a learner, without a learner's address in the answer", async () => {
    for (const who of [instructor, learner]) {
      const res = await overview(who);
      expect(res.status, who.email).toBe(403);
      const text = await res.text();
      expect(text).not.toContain(learner.email);
      if (who === instructor) expect(text).toMatch(/instructors see the cohorts they teach/);
    }
    // the same by the tenant's id
    const byId = await call("GET", `/api/app/project/overview?tenant=${bootcamp.id}`, {
      token: instructor.token,
    });
    expect(byId.status).toBe(403);
  });

  it("is open to the bootcamp's staff: the agency's staff and the tenant's own admins", async () => {
    for (const who of [staff, bootcampAdmin]) {
      const res = await overview(who);
      expect(res.status, who.email).toBe(200);
      const body = (await res.json()) as { members: Array<{ email: string }> };
      expect(body.members.map((m) => m.email)).toContain(learner.email);
    }
  });
});
