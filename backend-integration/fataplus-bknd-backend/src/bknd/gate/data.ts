/**
 * The tenant gate for bknd's data routes. Each request is parsed into a known shape and checked against the
 * caller's role. Reads (list, /query, count, exists, read one) are validated and rewritten so that bknd only
 * ever reads rows of the caller's tenant. Writes (create, update, delete, bulk update, bulk delete) are
 * answered here by the domain's record verbs, which validate, check ownership and references, and write the
 * change and its audit row in one D1 batch: bknd never writes (docs/decisions/013-one-write-path.md).
 * Anything unrecognised is refused: the gate is an allow-list.
 */
import {
  type Action,
  type Actor,
  type Ctx,
  can,
  countRecords,
  createRecords,
  DomainError,
  deleteRecord,
  deleteRecords,
  type ExposedEntity,
  findTenant,
  isExposedEntity,
  recordExistsInTenant,
  type TenantRef,
  type TenantRole,
  tenantOfRecord,
  updateRecord,
  updateRecords,
} from "@fataplus/domain";
import type { Context } from "hono";
import { readJsonBody } from "../../http/body.ts";
import { checkReadOneParams, scopeListQuery, scopeWhere, toSearchParams } from "./query.ts";

const MAX_BODY_BYTES = 256 * 1024;

type Shape =
  | { kind: "list"; entity: ExposedEntity; source: "query" | "body" }
  | { kind: "count" | "exists"; entity: ExposedEntity }
  | { kind: "create"; entity: ExposedEntity }
  | { kind: "bulk-update" | "bulk-delete"; entity: ExposedEntity }
  | { kind: "read" | "update" | "delete"; entity: ExposedEntity; id: string };

const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** Maps method + path segments under /api/data to a known shape, or null. */
export function parseDataRoute(method: string, segments: readonly string[]): Shape | null {
  if (segments[0] !== "entity") return null;
  const name = segments[1];
  if (!name || !isExposedEntity(name)) return null;
  const entity = name;
  const rest = segments.slice(2);
  if (rest.length === 0) {
    if (method === "GET") return { kind: "list", entity, source: "query" };
    if (method === "POST") return { kind: "create", entity };
    if (method === "PATCH") return { kind: "bulk-update", entity };
    if (method === "DELETE") return { kind: "bulk-delete", entity };
    return null;
  }
  if (rest.length === 1 && rest[0] === "query" && method === "POST")
    return { kind: "list", entity, source: "body" };
  if (rest.length === 2 && rest[0] === "fn" && method === "POST") {
    if (rest[1] === "count") return { kind: "count", entity };
    if (rest[1] === "exists") return { kind: "exists", entity };
    return null;
  }
  if (rest.length === 1 && rest[0] && ID_PATTERN.test(rest[0])) {
    const id = rest[0];
    if (method === "GET") return { kind: "read", entity, id };
    if (method === "PATCH") return { kind: "update", entity, id };
    if (method === "DELETE") return { kind: "delete", entity, id };
  }
  return null;
}

const actionOf: Record<Shape["kind"], Action> = {
  list: "read",
  count: "read",
  exists: "read",
  read: "read",
  create: "create",
  update: "update",
  "bulk-update": "update",
  delete: "delete",
  "bulk-delete": "delete",
};

const readBody = (req: Request) => readJsonBody(req, { maxBytes: MAX_BODY_BYTES });

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new DomainError("VALIDATION", `${what} must be a JSON object.`);
  }
  return v as Record<string, unknown>;
}

function replaceRequest(c: Context, opts: { search?: URLSearchParams; body?: unknown }) {
  const old = c.req.raw;
  const url = new URL(old.url);
  if (opts.search) url.search = opts.search.toString();
  const headers = new Headers(old.headers);
  headers.delete("content-length");
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set("content-type", "application/json");
  }
  c.req.raw = new Request(url.toString(), {
    method: old.method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

export type DataAccess = { db: D1Database; tenant: TenantRef; role: TenantRole; actor: Actor };

const ctxOf = (access: DataAccess): Ctx => ({
  db: access.db,
  tenant: access.tenant,
  role: access.role,
  actor: access.actor,
  now: () => new Date(),
});

/**
 * Checks one data request. Returns null when bknd may run it (a read, rewritten in place), the response when
 * the gate answered it itself (every write); throws a DomainError otherwise.
 */
export async function gateDataRequest(
  c: Context,
  segments: readonly string[],
  access: DataAccess,
): Promise<Response | null> {
  const shape = parseDataRoute(c.req.method, segments);
  if (!shape) throw new DomainError("NOT_FOUND", "No such data route.");
  const { entity } = shape;
  const action = actionOf[shape.kind];
  if (!can(access.role, entity, action)) {
    throw new DomainError(
      "FORBIDDEN",
      `Your role (${access.role}) may not ${action} ${entity} in this project.`,
    );
  }
  const tenantId = access.tenant.id;
  const url = new URL(c.req.url);
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  delete params.tenant; // the tenant was read and checked by the gate already

  switch (shape.kind) {
    case "list": {
      const source = shape.source === "query" ? params : asObject(await readBody(c.req.raw), "The query");
      const q = scopeListQuery(entity, source, tenantId, access.role);
      if (shape.source === "query") replaceRequest(c, { search: toSearchParams(q) });
      else replaceRequest(c, { search: new URLSearchParams(), body: q });
      return null;
    }
    case "count": {
      // exact, as bknd's; from the read counters when the where-clause is one they hold (decision 015)
      rejectParams(params);
      const { count } = await countRecords({
        ctx: ctxOf(access),
        input: { entity, where: await readBody(c.req.raw) },
      });
      return c.json({ entity, count });
    }
    case "exists": {
      rejectParams(params);
      const where = scopeWhere(entity, await readBody(c.req.raw), tenantId, access.role);
      replaceRequest(c, { search: new URLSearchParams(), body: where });
      return null;
    }
    case "create": {
      rejectParams(params);
      // bknd 0.20 mints time-ordered uuid v7 ids for single inserts, leaves them empty in bulk inserts, and
      // puts a bulk insert in one statement past D1's 100 bound parameters: the verb does none of that.
      const body = await readBody(c.req.raw);
      const items = Array.isArray(body) ? body : [body];
      const rows = await createRecords({ ctx: ctxOf(access), input: { entity, items } });
      return c.json({ data: Array.isArray(body) ? rows : rows[0] }, 201);
    }
    case "bulk-update": {
      rejectParams(params);
      const { update, where, ...rest } = asObject(await readBody(c.req.raw), "The body");
      if (Object.keys(rest).length > 0)
        throw new DomainError("VALIDATION", 'A bulk update takes only "update" and "where".');
      const rows = await updateRecords({ ctx: ctxOf(access), input: { entity, where, data: update } });
      return c.json({ data: rows, meta: { items: rows.length } });
    }
    case "bulk-delete": {
      rejectParams(params);
      const where = await readBody(c.req.raw);
      const rows = await deleteRecords({ ctx: ctxOf(access), input: { entity, where } });
      return c.json({ data: rows, meta: { items: rows.length } });
    }
    case "read": {
      const p = checkReadOneParams(entity, params, access.role);
      await assertOwned(access, entity, shape.id);
      replaceRequest(c, { search: toSearchParams(p) });
      return null;
    }
    case "update": {
      rejectParams(params);
      const body = await readBody(c.req.raw);
      const row = await updateRecord({ ctx: ctxOf(access), input: { entity, id: shape.id, data: body } });
      return c.json({ data: row });
    }
    case "delete": {
      rejectParams(params);
      const row = await deleteRecord({ ctx: ctxOf(access), input: { entity, id: shape.id } });
      return c.json({ data: row });
    }
  }
}

function rejectParams(params: Record<string, string>) {
  const keys = Object.keys(params);
  if (keys.length > 0) throw new DomainError("BAD_QUERY", `Unexpected query parameter "${keys[0]}".`);
}

async function assertOwned(access: DataAccess, entity: ExposedEntity, id: string) {
  if (!(await recordExistsInTenant(access.db, access.tenant.id, entity, id))) {
    throw new DomainError("NOT_FOUND", `No ${entity} with this id in this project.`);
  }
}

/**
 * An agency admin's data request that names no tenant (bknd's admin UI works that way). Reads stay bknd's,
 * unscoped (null: bknd serves them). Writes run through the same verbs as everybody's, in the tenant of the
 * row they change (a create names it with `tenant_id`), with the admin's full role there: the change and its
 * audit row are one batch in that tenant, and what the verbs refuse (moving a row to another tenant) is a
 * readable 4xx (security review, decision 019). A bulk write spans tenants and must name one.
 */
export async function gateUnscopedAdminWrite(
  c: Context,
  segments: readonly string[],
  admin: { db: D1Database; actor: Actor },
): Promise<Response | null> {
  const shape = parseDataRoute(c.req.method, segments);
  if (!shape || actionOf[shape.kind] === "read") return null;
  let tenantId: string | null;
  switch (shape.kind) {
    case "bulk-update":
    case "bulk-delete":
      throw new DomainError(
        "TENANT_REQUIRED",
        "A bulk update or delete works in one project: name it with ?tenant= (or the x-fataplus-tenant header).",
      );
    case "update":
    case "delete":
      tenantId = await tenantOfRecord(admin.db, shape.entity, shape.id);
      if (tenantId === null) throw new DomainError("NOT_FOUND", `No ${shape.entity} with this id.`);
      break;
    case "create": {
      const body = await readBody(c.req.raw);
      const items = Array.isArray(body) ? body : [body];
      const named = new Set(
        items.map((i) => (i && typeof i === "object" ? (i as Record<string, unknown>).tenant_id : undefined)),
      );
      const [only] = [...named];
      if (named.size !== 1 || typeof only !== "string") {
        throw new DomainError(
          "TENANT_REQUIRED",
          "Say which project the new records belong to: the same tenant_id on every record, or ?tenant=.",
        );
      }
      tenantId = only;
      const strip = (i: unknown) => {
        const { tenant_id: _t, ...rest } = i as Record<string, unknown>;
        return rest;
      };
      replaceRequest(c, { body: Array.isArray(body) ? body.map(strip) : strip(body) });
      break;
    }
    default:
      return null;
  }
  const tenant = await findTenant({ db: admin.db, ref: tenantId });
  if (!tenant) throw new DomainError("UNPROCESSABLE", "This project does not exist or is archived.");
  return gateDataRequest(c, segments, { db: admin.db, tenant, role: "admin", actor: admin.actor });
}
