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
import { readJsonBody } from "../http/body.ts";
import { type AppContext, type AppServer, systemCtx } from "../http/context.ts";
import { toResponse } from "../http/errors.ts";

export const BOOTCAMP_PUBLIC_ROUTES: ReadonlyArray<[string, RegExp]> = [
  ["GET", /^\/api\/public\/bootcamp\/catalogue$/],
  ["GET", /^\/api\/public\/bootcamp\/courses\/[^/]+$/],
  ["POST", /^\/api\/public\/bootcamp\/applications$/],
  ["GET", /^\/api\/public\/bootcamp\/certificates\/[^/]+$/],
];

async function bootcampTenant(c: AppContext) {
  const tenant = await findTenant({ db: c.env.DB, ref: BOOTCAMP_SUBDOMAIN });
  if (!tenant) throw new DomainError("NOT_FOUND", "The bootcamp is not open yet.");
  return tenant;
}

function answer(run: (c: AppContext) => Promise<unknown>, cache: string, status: 200 | 202 = 200) {
  return async (c: AppContext) => {
    try {
      return c.json((await run(c)) as object, status, { "cache-control": cache });
    } catch (err) {
      return toResponse(err);
    }
  };
}

export function registerBootcampPublicRoutes(server: AppServer): void {
  server.get(
    "/api/public/bootcamp/catalogue",
    answer(
      async (c) => getCatalogue({ ctx: systemCtx(c), tenant: await bootcampTenant(c) }),
      "public, max-age=60",
    ),
  );
  server.get(
    "/api/public/bootcamp/courses/:slug",
    answer(async (c) => {
      const { courses } = await getCatalogue({
        ctx: systemCtx(c),
        tenant: await bootcampTenant(c),
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
          ctx: systemCtx(c),
          tenant: await bootcampTenant(c),
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
        certificate: await verifyCertificate({ db: c.env.DB, id: c.req.param("id") ?? "" }),
      }),
      "public, max-age=300",
    ),
  );
}
