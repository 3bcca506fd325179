/**
 * The bootcamp's public routes: the catalogue, one course, applying to a cohort and verifying a certificate.
 * They read the tenant whose subdomain is `bootcamp` only, and reveal nothing about learners (a certificate
 * shows its holder, course and date: what the printed certificate shows).
 */
import {
  applyToCohort,
  BOOTCAMP_SUBDOMAIN,
  DomainError,
  findTenant,
  getCatalogue,
  verifyCertificate,
} from "@fataplus/domain";
import type { Context, Hono } from "hono";
import { readJsonBody } from "../http/body.ts";
import { toResponse } from "../http/errors.ts";
import { runtimeEnv } from "../runtime.ts";

export const BOOTCAMP_PUBLIC_ROUTES: ReadonlyArray<[string, RegExp]> = [
  ["GET", /^\/api\/public\/bootcamp\/catalogue$/],
  ["GET", /^\/api\/public\/bootcamp\/courses\/[^/]+$/],
  ["POST", /^\/api\/public\/bootcamp\/applications$/],
  ["GET", /^\/api\/public\/bootcamp\/certificates\/[^/]+$/],
];

const sys = () => ({ db: runtimeEnv().DB, now: () => new Date() });

async function bootcampTenant() {
  const tenant = await findTenant({ db: runtimeEnv().DB, ref: BOOTCAMP_SUBDOMAIN });
  if (!tenant) throw new DomainError("NOT_FOUND", "The bootcamp is not open yet.");
  return tenant;
}

function answer(run: (c: Context) => Promise<unknown>, cache: string, status: 200 | 202 = 200) {
  return async (c: Context) => {
    try {
      return c.json((await run(c)) as object, status, { "cache-control": cache });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export function registerBootcampPublicRoutes(server: Hono): void {
  server.get(
    "/api/public/bootcamp/catalogue",
    answer(async () => getCatalogue({ ctx: sys(), tenant: await bootcampTenant() }), "public, max-age=60"),
  );
  server.get(
    "/api/public/bootcamp/courses/:slug",
    answer(async (c) => {
      const { courses } = await getCatalogue({
        ctx: sys(),
        tenant: await bootcampTenant(),
        slug: (c.req.param("slug") ?? "").slice(0, 80),
      });
      return { course: courses[0] };
    }, "public, max-age=60"),
  );
  server.post(
    "/api/public/bootcamp/applications",
    answer(
      async (c) =>
        applyToCohort({
          ctx: sys(),
          tenant: await bootcampTenant(),
          input: await readJsonBody(c.req.raw, { maxBytes: 8192 }),
          clientIp: c.req.header("cf-connecting-ip") ?? "local",
        }),
      "no-store",
      202,
    ),
  );
  server.get(
    "/api/public/bootcamp/certificates/:id",
    answer(
      async (c) => ({
        certificate: await verifyCertificate({ db: runtimeEnv().DB, id: c.req.param("id") ?? "" }),
      }),
      "public, max-age=300",
    ),
  );
}
