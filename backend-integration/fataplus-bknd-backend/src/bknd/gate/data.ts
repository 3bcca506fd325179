/**
 * The tenant gate for bknd's data routes. Each request is parsed into a known shape, checked against the
 * caller's role, validated with the entity's zod schema, and rewritten so that bknd only ever touches rows of
 * the caller's tenant. Anything unrecognised is refused: the gate is an allow-list.
 */
import {
  type Action,
  type Actor,
  assertReferencesInTenant,
  auditStatement,
  can,
  createRecords,
  DomainError,
  type ExposedEntity,
  entities,
  isExposedEntity,
  recordExistsInTenant,
  type TenantRef,
  type TenantRole,
  validationError,
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

function validateUpdate(entity: ExposedEntity, body: unknown): Record<string, unknown> {
  const parsed = entities[entity].update.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error.issues, `Invalid ${entity} update`);
  const data = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  if (Object.keys(data).length === 0) throw new DomainError("VALIDATION", "Nothing to update.");
  return data;
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

/**
 * Concurrent writes (decision 011): last write wins per field. An update writes only the fields it names
 * (plus updated_at), so two people changing different fields of a record both keep their change; when they
 * change the same field, the later write wins and the earlier value stays in the audit log with the fields
 * each write set, so nothing is lost silently.
 */
const written = new WeakMap<Context, Record<string, unknown>>();
const stamped = (data: Record<string, unknown>) => ({ ...data, updated_at: new Date().toISOString() });

export type DataAccess = { db: D1Database; tenant: TenantRef; role: TenantRole; actor: Actor };

/**
 * Checks and rewrites one data request in place. Returns null when bknd may run it, a response when the gate
 * answered itself (bulk create); throws a DomainError otherwise.
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
    case "count":
    case "exists": {
      rejectParams(params);
      const where = scopeWhere(entity, await readBody(c.req.raw), tenantId, access.role);
      replaceRequest(c, { search: new URLSearchParams(), body: where });
      return null;
    }
    case "create": {
      rejectParams(params);
      // Creates go through the domain verb (validation, references, random ids, audit in one D1 batch):
      // bknd 0.20 mints time-ordered uuid v7 ids for single inserts, leaves them empty in bulk inserts, and
      // puts a bulk insert in one statement past D1's 100 bound parameters.
      const body = await readBody(c.req.raw);
      const rows = await createRecords({
        ctx: {
          db: access.db,
          tenant: access.tenant,
          role: access.role,
          actor: access.actor,
          now: () => new Date(),
        },
        input: { entity, items: Array.isArray(body) ? body : [body] },
      });
      return c.json({ data: Array.isArray(body) ? rows : rows[0] }, 201);
    }
    case "bulk-update": {
      rejectParams(params);
      const body = asObject(await readBody(c.req.raw), "The body");
      const { update, where, ...rest } = body;
      if (Object.keys(rest).length > 0)
        throw new DomainError("VALIDATION", 'A bulk update takes only "update" and "where".');
      const data = validateUpdate(entity, update);
      await assertReferencesInTenant(access.db, tenantId, entity, data);
      written.set(c, data);
      replaceRequest(c, {
        search: new URLSearchParams(),
        body: { update: stamped(data), where: scopeWhere(entity, where, tenantId, access.role) },
      });
      return null;
    }
    case "bulk-delete": {
      rejectParams(params);
      const where = scopeWhere(entity, await readBody(c.req.raw), tenantId, access.role);
      replaceRequest(c, { search: new URLSearchParams(), body: where });
      return null;
    }
    case "read": {
      const p = checkReadOneParams(entity, params, access.role);
      await assertOwned(access, entity, shape.id);
      replaceRequest(c, { search: toSearchParams(p) });
      return null;
    }
    case "update": {
      rejectParams(params);
      const data = validateUpdate(entity, await readBody(c.req.raw));
      await assertOwned(access, entity, shape.id);
      await assertReferencesInTenant(access.db, tenantId, entity, data);
      written.set(c, data);
      replaceRequest(c, { search: new URLSearchParams(), body: stamped(data) });
      return null;
    }
    case "delete": {
      rejectParams(params);
      await assertOwned(access, entity, shape.id);
      replaceRequest(c, { search: new URLSearchParams() });
      return null;
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

const AUDITED: Partial<Record<Shape["kind"], string>> = {
  update: "update",
  delete: "delete",
  "bulk-update": "update_many",
  "bulk-delete": "delete_many",
};

/**
 * Writes the audit row of a write that bknd performed (creates are audited by their domain verb).
 * bknd's write and this row are two statements, not one batch: a crash between them loses the audit row,
 * never the data.
 */
export async function auditBkndWrite(
  c: Context,
  segments: readonly string[],
  access: DataAccess,
): Promise<void> {
  const shape = parseDataRoute(c.req.method, segments);
  const verb = shape ? AUDITED[shape.kind] : undefined;
  if (!shape || !verb || !c.res.ok) return;
  let ids: string[] = "id" in shape ? [shape.id] : [];
  if (ids.length === 0) {
    try {
      const body = (await c.res.clone().json()) as { data?: unknown };
      const rows = Array.isArray(body.data) ? body.data : body.data ? [body.data] : [];
      ids = rows.map((r) => String((r as { id?: unknown }).id ?? "")).filter(Boolean);
    } catch {
      ids = [];
    }
  }
  const ctx = {
    db: access.db,
    tenant: access.tenant,
    role: access.role,
    actor: access.actor,
    now: () => new Date(),
  };
  await auditStatement(
    ctx,
    `${shape.entity}.${verb}`,
    shape.entity,
    ids.length === 1 ? (ids[0] ?? null) : null,
    ids.length > 1
      ? { ids: ids.slice(0, 100), count: ids.length, ...(written.has(c) ? { set: written.get(c) } : {}) }
      : (written.get(c) ?? null),
  ).run();
}
