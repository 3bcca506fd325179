/**
 * Where-clauses of the data API: the one validator for every route that filters (bknd's scoped reads through
 * the tenant gate, and the bulk write verbs), and a compiler to parameterised SQL for the bulk verbs.
 *
 * Allow-list only (docs/decisions/001-tenancy.md, gaps 1 and 3): a clause may name the fields the caller's
 * role may see, with comparison operators ($gt, $gte, $lt, $lte and $between compare numbers only, as bknd's
 * reads allow). `$or`, relations, dotted keys, `tenant_id` (the server sets it) and
 * every unknown operator are refused. The result is normalised (`{ field: value }` becomes
 * `{ field: { $eq: value } }`, `$isnull` a boolean), and the compiled SQL means what bknd 0.20's query builder
 * means by the same clause, so a bulk write touches exactly the rows a list with the same clause returns.
 */
import { DomainError } from "../kernel/errors.ts";
import { type ExposedEntity, hiddenFieldsFor, type TenantRole } from "../kernel/roles.ts";
import { entities } from "./entities.ts";

export type WhereScalar = string | number | boolean | null;

const SQL_OF = {
  $eq: "=",
  $ne: "!=",
  $like: "LIKE",
  $gt: ">",
  $gte: ">=",
  $lt: "<",
  $lte: "<=",
} as const;
/** Compare with any value but null. */
type ValueOperator = "$eq" | "$ne" | "$like";
/** Compare with a number: bknd 0.20's reads refuse anything else for these (its guard validates them so). */
type RangeOperator = "$gt" | "$gte" | "$lt" | "$lte";
type ListOperator = "$in" | "$notin";
const VALUE_OPERATORS: readonly ValueOperator[] = ["$eq", "$ne", "$like"];
const RANGE_OPERATORS: readonly RangeOperator[] = ["$gt", "$gte", "$lt", "$lte"];
const LIST_OPERATORS: readonly ListOperator[] = ["$in", "$notin"];

export const whereOperators = [
  ...VALUE_OPERATORS,
  ...RANGE_OPERATORS,
  ...LIST_OPERATORS,
  "$isnull",
  "$between",
] as const;
export type WhereOperator = (typeof whereOperators)[number];

/**
 * One field's condition, normalised: every operator explicit, `$between: [a, b]` as `$gte: a, $lte: b`
 * (bknd 0.20 cannot build BETWEEN: its reads answer 500 to it).
 */
export type Condition = { [K in ValueOperator]?: string | number | boolean } & {
  [K in RangeOperator]?: number;
} & { [K in ListOperator]?: WhereScalar[] } & { $isnull?: boolean };

/** A validated where-clause, without the tenant condition (each route adds it in its own way). */
export type Where = Record<string, Condition>;

/** D1 binds at most 100 values per statement. */
export const D1_MAX_BOUND_PARAMETERS = 100;
/** Values one clause may compare: the rest of the 100 is for the tenant, a page's limit and offset, or a
 * bulk update's fields and its audit row. */
export const MAX_WHERE_VALUES = 90;

const bad = (message: string) => new DomainError("BAD_QUERY", message);

/** A value a clause may compare: numbers must be finite (JSON's 1e400 parses to Infinity, which D1 refuses). */
const isScalar = (v: unknown): v is WhereScalar =>
  v === null ||
  typeof v === "string" ||
  typeof v === "boolean" ||
  (typeof v === "number" && Number.isFinite(v));

const isOperator = (op: string): op is WhereOperator => (whereOperators as readonly string[]).includes(op);
const isIn = <T extends string>(list: readonly T[], op: string): op is T =>
  (list as readonly string[]).includes(op);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The fields a role may name in a query (filter, sort, select): hidden fields are unknown to it. */
export function queryableFields(entity: ExposedEntity, role: TenantRole): readonly string[] {
  const hidden = hiddenFieldsFor(entity, role);
  return entities[entity].fields.filter((f) => !hidden.includes(f));
}

function asClauseObject(raw: unknown): Record<string, unknown> | null {
  if (raw === undefined || raw === null || raw === "") return null;
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw bad("where must be a JSON object.");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw bad("where must be a JSON object.");
  return Object.fromEntries(Object.entries(value));
}

function parseCondition(key: string, cond: unknown): Condition {
  if (cond === null) throw bad(`Compare "${key}" with null through {"$isnull": true}.`);
  if (isScalar(cond)) return { $eq: cond };
  if (typeof cond !== "object" || Array.isArray(cond)) throw bad(`Invalid condition for "${key}".`);
  const out: Condition = {};
  for (const [op, v] of Object.entries(cond)) {
    if (!isOperator(op)) throw bad(`The operator "${op}" is not allowed.`);
    if (op === "$isnull") {
      if (v !== true && v !== false && v !== 0 && v !== 1) throw bad("$isnull takes true or false.");
      out.$isnull = v === true || v === 1;
    } else if (op === "$between") {
      if (!Array.isArray(v) || v.length !== 2 || !v.every(isNumber)) throw bad("$between takes two numbers.");
      if ("$gte" in cond || "$lte" in cond) throw bad(`Give "${key}" either $between or $gte and $lte.`);
      [out.$gte, out.$lte] = v;
    } else if (isIn(LIST_OPERATORS, op)) {
      if (!Array.isArray(v) || v.length === 0 || v.length > MAX_WHERE_VALUES || !v.every(isScalar)) {
        throw bad(`${op} takes a list of 1 to ${MAX_WHERE_VALUES} values.`);
      }
      out[op] = v;
    } else if (isIn(RANGE_OPERATORS, op)) {
      if (!isNumber(v)) throw bad(`${op} takes a number.`);
      out[op] = v;
    } else {
      if (!isScalar(v)) throw bad(`${op} takes a single value.`);
      if (v === null) throw bad(`${op} takes a value, not null: use {"$isnull": true}.`);
      out[op] = v;
    }
  }
  if (Object.keys(out).length === 0) throw bad(`Empty condition for "${key}".`);
  return out;
}

/** How many values a clause compares (a list counts each of its values). */
export function whereValueCount(where: Where): number {
  let n = 0;
  for (const cond of Object.values(where)) {
    for (const v of Object.values(cond)) n += Array.isArray(v) ? v.length : 1;
  }
  return n;
}

/**
 * Validates a where-clause (an object, or the same as a JSON string) for an entity and a role. Returns it
 * normalised, without any tenant condition; throws BAD_QUERY naming the first thing that is not allowed.
 */
export function parseWhere(entity: ExposedEntity, raw: unknown, role: TenantRole): Where {
  const clause = asClauseObject(raw);
  const where: Where = {};
  if (!clause) return where;
  const fields = queryableFields(entity, role);
  for (const [key, cond] of Object.entries(clause)) {
    if (key.startsWith("$")) throw bad(`The operator "${key}" is not allowed at the top of where.`);
    if (key.includes(".")) throw bad(`Filtering on related fields ("${key}") is not allowed.`);
    if (key === "tenant_id") throw bad("tenant_id is set by the server and cannot be filtered on.");
    if (!fields.includes(key)) throw bad(`Unknown field "${key}" for ${entity}.`);
    where[key] = parseCondition(key, cond);
  }
  if (whereValueCount(where) > MAX_WHERE_VALUES)
    throw bad(`A where-clause may compare at most ${MAX_WHERE_VALUES} values.`);
  return where;
}

/** SQLite has no booleans: D1 stores a bound boolean as 1 or 0, and so do we (also inside JSON lists). */
const bindable = (v: WhereScalar): string | number | null => (typeof v === "boolean" ? Number(v) : v);

export type CompiledWhere = { sql: string; params: Array<string | number | null> };

/**
 * A validated clause as SQL conditions joined by AND ("1 = 1" when empty) and their parameters. Field names
 * come from the entity's definition (parseWhere checked them), so quoting them is enough. A list is bound as
 * one JSON parameter (`IN (SELECT value FROM json_each(?))`), so a clause binds at most one value per
 * operator and field whatever the length of its lists.
 */
export function compileWhere(entity: ExposedEntity, where: Where): CompiledWhere {
  const known = entities[entity].fields;
  const clauses: string[] = [];
  const params: Array<string | number | null> = [];
  for (const [field, cond] of Object.entries(where)) {
    if (!known.includes(field) || field === "tenant_id") throw bad(`Unknown field "${field}" for ${entity}.`);
    const col = `"${field}"`;
    for (const op of [...VALUE_OPERATORS, ...RANGE_OPERATORS]) {
      const v = cond[op];
      if (v === undefined) continue;
      clauses.push(`${col} ${SQL_OF[op]} ?`);
      // bknd turns `*` into SQL's `%` in $like
      params.push(op === "$like" ? String(v).replace(/\*/g, "%") : bindable(v));
    }
    if (cond.$isnull !== undefined) clauses.push(`${col} IS ${cond.$isnull ? "" : "NOT "}NULL`);
    for (const op of LIST_OPERATORS) {
      const list = cond[op];
      if (list === undefined) continue;
      clauses.push(`${col} ${op === "$in" ? "IN" : "NOT IN"} (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(list.map(bindable)));
    }
  }
  return { sql: clauses.length > 0 ? clauses.join(" AND ") : "1 = 1", params };
}

/** Refuses a statement past D1's bound-parameter limit with a 400 instead of D1's error. */
export function assertBindable(count: number): void {
  if (count > D1_MAX_BOUND_PARAMETERS) {
    throw bad(
      `This write would bind ${count} values; one statement takes at most ${D1_MAX_BOUND_PARAMETERS}. Compare fewer values.`,
    );
  }
}
