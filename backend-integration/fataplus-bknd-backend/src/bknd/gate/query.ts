/**
 * Validation and tenant-scoping of bknd data queries. Allow-list only: a where-clause may name the entity's
 * own columns with comparison operators; `$or`, relations (`with`, `join`), dotted keys and every unknown
 * operator or parameter are refused before bknd sees them (docs/decisions/001-tenancy.md, gaps 1 and 3).
 */
import {
  DomainError,
  type ExposedEntity,
  entities,
  hiddenFieldsFor,
  MAX_LIMIT,
  type TenantRole,
} from "@fataplus/domain";

const OPERATORS = new Set([
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$notin",
  "$like",
  "$isnull",
  "$between",
]);
const LIST_OPERATORS = new Set(["$in", "$notin", "$between"]);
/** D1 binds at most 100 values per statement; the tenant, limit and offset need some of them. */
const MAX_WHERE_VALUES = 90;
const MAX_LIST = MAX_WHERE_VALUES;

type Scalar = string | number | boolean | null;
export type Where = Record<string, Scalar | Record<string, Scalar | Scalar[]>>;

const bad = (message: string) => new DomainError("BAD_QUERY", message);

const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The fields a role may name in a query (filter, sort, select): hidden fields are unknown to it. */
function fieldsOf(entity: ExposedEntity, role: TenantRole): readonly string[] {
  const hidden = hiddenFieldsFor(entity, role);
  return entities[entity].fields.filter((f) => !hidden.includes(f));
}

/** What a role reads when it names no select: everything it may see (nothing when it may see all). */
function defaultSelect(entity: ExposedEntity, role: TenantRole): string[] | undefined {
  return hiddenFieldsFor(entity, role).length > 0 ? [...fieldsOf(entity, role)] : undefined;
}

/** Validates a where-clause and returns it with the tenant condition added. */
export function scopeWhere(entity: ExposedEntity, raw: unknown, tenantId: string, role: TenantRole): Where {
  const where: Where = {};
  if (raw !== undefined && raw !== null && raw !== "") {
    let value = raw;
    if (typeof raw === "string") {
      try {
        value = JSON.parse(raw);
      } catch {
        throw bad("where must be a JSON object.");
      }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw bad("where must be a JSON object.");
    const fields = fieldsOf(entity, role);
    for (const [key, cond] of Object.entries(value)) {
      if (key.startsWith("$")) throw bad(`The operator "${key}" is not allowed at the top of where.`);
      if (key.includes(".")) throw bad(`Filtering on related fields ("${key}") is not allowed.`);
      if (key === "tenant_id") throw bad("tenant_id is set by the server and cannot be filtered on.");
      if (!fields.includes(key)) throw bad(`Unknown field "${key}" for ${entity}.`);
      if (isScalar(cond)) {
        where[key] = cond;
        continue;
      }
      if (typeof cond !== "object" || Array.isArray(cond)) throw bad(`Invalid condition for "${key}".`);
      const ops: Record<string, Scalar | Scalar[]> = {};
      for (const [op, v] of Object.entries(cond as Record<string, unknown>)) {
        if (!OPERATORS.has(op)) throw bad(`The operator "${op}" is not allowed.`);
        if (LIST_OPERATORS.has(op)) {
          if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST || !v.every(isScalar)) {
            throw bad(`${op} takes a list of 1 to ${MAX_LIST} values.`);
          }
          if (op === "$between" && v.length !== 2) throw bad("$between takes exactly two values.");
          ops[op] = v;
        } else {
          if (!isScalar(v)) throw bad(`${op} takes a single value.`);
          ops[op] = v;
        }
      }
      if (Object.keys(ops).length === 0) throw bad(`Empty condition for "${key}".`);
      where[key] = ops;
    }
  }
  const values = Object.values(where).reduce<number>(
    (n, cond) =>
      n +
      (cond !== null && typeof cond === "object"
        ? Object.values(cond).reduce<number>((m, v) => m + (Array.isArray(v) ? v.length : 1), 0)
        : 1),
    0,
  );
  if (values > MAX_WHERE_VALUES) throw bad(`A where-clause may compare at most ${MAX_WHERE_VALUES} values.`);
  where.tenant_id = tenantId;
  return where;
}

export function checkSort(
  entity: ExposedEntity,
  raw: unknown,
  role: TenantRole,
): string | { by: string; dir: "asc" | "desc" } | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const fields = fieldsOf(entity, role);
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
  const fields = fieldsOf(entity, role);
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
  where: Where;
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
