/**
 * The bootcamp as the public sees it (fata.plus/bootcamp): the catalogue, one course and applying to a cohort,
 * always in the tenant whose subdomain is `bootcamp` and only there. Nothing about learners.
 */
import { z } from "zod";
import type { SystemCtx, TenantRef } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { parse } from "../kernel/parse.ts";
import { findTenant } from "../tenants/index.ts";
import { BOOTCAMP_SUBDOMAIN } from "./access.ts";
import { applyToCohort } from "./apply.ts";
import { type CatalogueCourse, getCatalogue } from "./catalogue.ts";

/** The bootcamp's tenant, or "not open yet" while it does not exist (or is archived). */
export async function openBootcamp(db: D1Database): Promise<TenantRef> {
  const tenant = await findTenant({ db, ref: BOOTCAMP_SUBDOMAIN });
  if (!tenant) throw new DomainError("NOT_FOUND", "The bootcamp is not open yet.");
  return tenant;
}

export async function getPublicCatalogue({ ctx }: { ctx: SystemCtx }) {
  return getCatalogue({ ctx, tenant: await openBootcamp(ctx.db) });
}

/** A course's address is its slug; anything longer than a slug can be is simply not found. */
const courseAddress = z.strictObject({ slug: z.string().transform((s) => s.slice(0, 80)) });

export async function getPublicCourse({
  ctx,
  input,
}: {
  ctx: SystemCtx;
  input: unknown;
}): Promise<{ course: CatalogueCourse | undefined }> {
  const { slug } = parse(courseAddress, input, "course address");
  const { courses } = await getCatalogue({ ctx, tenant: await openBootcamp(ctx.db), slug });
  return { course: courses[0] };
}

/** An application from the public site (applyToCohort says what is accepted and how often). */
export async function applyToBootcamp({
  ctx,
  input,
  clientIp,
}: {
  ctx: SystemCtx;
  input: unknown;
  clientIp: string;
}) {
  return applyToCohort({ ctx, tenant: await openBootcamp(ctx.db), input, clientIp });
}
