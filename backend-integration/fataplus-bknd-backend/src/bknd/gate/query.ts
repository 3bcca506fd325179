/**
 * What is specific to rewriting bknd's read requests (list, /query, count, exists, read one): the tenant
 * condition added to the where-clause, and the sort, select, limit and offset parameters. The where-clause
 * itself is validated by the domain (`parseWhere`, packages/domain/src/records/where.ts), the one copy of its
 * rules, which the bulk write verbs use too (docs/decisions/001-tenancy.md, gaps 1 and 3; 013).
 */
import {
  type Condition,
  DomainError,
  type ExposedEntity,
  entities,
  MAX_LIMIT,
  parseWhere,
  queryableFields,
  type TenantRole,
} from "@fataplus/domain";

/** A where-clause as bknd receives it: validated, normalised, and scoped to the tenant. */
export type ScopedWhere = { [field: string]: Condition | string; tenant_id: string };

const bad = (message: string) => new DomainError("BAD_QUERY", message);

/** What a role reads when it names no select: everything it may see (nothing when it may see all). */
function defaultSelect(entity: ExposedEntity, role: TenantRole): string[] | undefined {
  const fields = queryableFields(entity, role);
  return fields.length < entities[entity].fields.length ? [...fields] : undefined;
}

/** Validates a where-clause (the domain's rules) and returns it with the tenant condition added. */
export function scopeWhere(
  entity: ExposedEntity,
  raw: unknown,
  tenantId: string,
  role: TenantRole,
): ScopedWhere {
  return { ...parseWhere(entity, raw, role), tenant_id: tenantId };
}

export function checkSort(
  entity: ExposedEntity,
  raw: unknown,
  role: TenantRole,
): string | { by: string; dir: "asc" | "desc" } | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const fields = queryableFields(entity, role);
  if (typeof raw === "string") {
    const field = raw.startsWith("-") ? raw.slice(1) : raw;
    if (!fields.includes(field)) throw bad(`Cannot sort ${entity} by "${field}".`);
    return raw;
  }
  if (typeof raw === "object" && !Array.isArray(raw)) {
    const { by, dir, ...rest } = raw as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof by !== "string" || !fields.includes(by)) {
      throw bad(`Invalid sort for ${entity}.`);
    }
    if (dir !== undefined && dir !== "asc" && dir !== "desc") throw bad('sort.dir must be "asc" or "desc".');
    return { by, dir: dir ?? "asc" };
  }
  throw bad("Invalid sort.");
}

export function checkSelect(entity: ExposedEntity, raw: unknown, role: TenantRole): string[] | undefined {
  if (raw === undefined || raw === null || raw === "") return defaultSelect(entity, role);
  const list = typeof raw === "string" ? raw.split(",").map((s) => s.trim()) : raw;
  if (!Array.isArray(list) || list.length === 0 || list.length > 50) throw bad("select must list fields.");
  const fields = queryableFields(entity, role);
  for (const f of list) {
    if (typeof f !== "string" || !fields.includes(f)) throw bad(`Unknown field "${String(f)}" in select.`);
  }
  // bknd needs the primary key to build rows.
  return list.includes("id") ? (list as string[]) : ["id", ...(list as string[])];
}

function checkInt(name: string, raw: unknown, max: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw bad(`${name} must be a whole number of 0 or more.`);
  return Math.min(n, max);
}

export type ListQuery = {
  where: ScopedWhere;
  sort?: string | { by: string; dir: "asc" | "desc" };
  select?: string[];
  limit: number;
  offset: number;
};

const LIST_KEYS = new Set(["where", "sort", "select", "limit", "offset"]);

/** Validates list parameters (query string or /query body) and scopes them to the tenant. `limit` is capped. */
export function scopeListQuery(
  entity: ExposedEntity,
  params: Record<string, unknown>,
  tenantId: string,
  role: TenantRole,
): ListQuery {
  for (const key of Object.keys(params)) {
    if (key === "with" || key === "join") throw bad(`Loading relations ("${key}") is not allowed.`);
    if (!LIST_KEYS.has(key)) throw bad(`Unknown query parameter "${key}".`);
  }
  const q: ListQuery = {
    where: scopeWhere(entity, params.where, tenantId, role),
    limit: Math.max(1, checkInt("limit", params.limit, MAX_LIMIT, 20)),
    offset: checkInt("offset", params.offset, 1_000_000, 0),
  };
  const sort = checkSort(entity, params.sort, role);
  if (sort !== undefined) q.sort = sort;
  const select = checkSelect(entity, params.select, role);
  if (select !== undefined) q.select = select;
  return q;
}

/** Query parameters accepted on single-row reads: only `select`. */
export function checkReadOneParams(
  entity: ExposedEntity,
  params: Record<string, unknown>,
  role: TenantRole,
): { select?: string[] } {
  for (const key of Object.keys(params)) {
    if (key === "with" || key === "join") throw bad(`Loading relations ("${key}") is not allowed.`);
    if (key !== "select") throw bad(`Unknown query parameter "${key}".`);
  }
  const select = checkSelect(entity, params.select, role);
  return select ? { select } : {};
}

export function toSearchParams(q: Partial<ListQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  if (q.where) sp.set("where", JSON.stringify(q.where));
  if (q.sort !== undefined) sp.set("sort", typeof q.sort === "string" ? q.sort : JSON.stringify(q.sort));
  if (q.select) sp.set("select", q.select.join(","));
  if (q.limit !== undefined) sp.set("limit", String(q.limit));
  if (q.offset !== undefined) sp.set("offset", String(q.offset));
  return sp;
}
