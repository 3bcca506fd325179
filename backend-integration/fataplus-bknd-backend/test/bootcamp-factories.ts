/** Bootcamp test data on the worker's D1: the shared seed of @fataplus/domain/testing, in a tenant. */
import type { TenantRef } from "@fataplus/domain";
import {
  type BootcampRefs,
  enrolMemberIn,
  makeInstructorIn,
  seedBootcampIn,
  unique,
} from "@fataplus/domain/testing";
import { systemCtx } from "./factories.ts";

export { type BootcampRefs, day } from "@fataplus/domain/testing";

/** A published course (one module, a lesson now and one in 30 days, an assignment) and three cohorts. */
export function seedBootcamp(tenant: TenantRef, title = unique("Course ")): Promise<BootcampRefs> {
  return seedBootcampIn(systemCtx(tenant), title);
}

export function makeInstructor(tenant: TenantRef, cohortId: string, email: string): Promise<void> {
  return makeInstructorIn(systemCtx(tenant), cohortId, email);
}

/** Enrols an existing member of the tenant (active at once, no invitation needed); returns the enrolment id. */
export function enrolMember(tenant: TenantRef, cohortId: string, email: string): Promise<string> {
  return enrolMemberIn(systemCtx(tenant), cohortId, email);
}
