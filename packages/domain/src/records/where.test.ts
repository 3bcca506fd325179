import { describe, expect, it } from "vitest";
import { DomainError } from "../kernel/errors.ts";
import {
  assertBindable,
  compileWhere,
  D1_MAX_BOUND_PARAMETERS,
  MAX_WHERE_VALUES,
  parseWhere,
  queryableFields,
  whereValueCount,
} from "./where.ts";

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.code).toBe("BAD_QUERY");
    return e.message;
  }
  throw new Error("expected a BAD_QUERY refusal");
};

describe("parseWhere", () => {
  it("accepts nothing as no condition, and a JSON string like the object it holds", () => {
    for (const empty of [undefined, null, "", {}, "{}"])
      expect(parseWhere("tasks", empty, "admin")).toEqual({});
    expect(parseWhere("tasks", '{"title":"x"}', "admin")).toEqual({ title: { $eq: "x" } });
  });

  it("normalises: a bare value is $eq, $isnull is a boolean, lists stay as they are", () => {
    expect(
      parseWhere(
        "tasks",
        {
          title: "a",
          status: { $in: ["todo", "done"] },
          due_date: { $isnull: 1 },
          assignee_id: { $isnull: false, $gte: 2 },
        },
        "project_manager",
      ),
    ).toEqual({
      title: { $eq: "a" },
      status: { $in: ["todo", "done"] },
      due_date: { $isnull: true },
      assignee_id: { $isnull: false, $gte: 2 },
    });
  });

  it("refuses $or and every other top-level operator, dotted keys, tenant_id and unknown fields", () => {
    expect(refused(() => parseWhere("tasks", { $or: { id: { $ne: "" } } }, "admin"))).toMatch(/\$or/);
    expect(refused(() => parseWhere("tasks", { $and: [] }, "admin"))).toMatch(/\$and/);
    expect(refused(() => parseWhere("tasks", { "project.tenant_id": "x" }, "admin"))).toMatch(/related/);
    expect(refused(() => parseWhere("tasks", { tenant_id: "x" }, "admin"))).toMatch(/tenant_id/);
    expect(refused(() => parseWhere("tasks", { TENANT_ID: "x" }, "admin"))).toMatch(/Unknown field/);
    expect(refused(() => parseWhere("tasks", { "tenant_id ": "x" }, "admin"))).toMatch(/Unknown field/);
    expect(refused(() => parseWhere("tasks", { budget_cents: 1 }, "admin"))).toMatch(/Unknown field/);
  });

  it("hides the fields a role may not see: a client cannot filter projects on money", () => {
    expect(queryableFields("projects", "client")).not.toContain("budget_cents");
    expect(queryableFields("projects", "project_manager")).toContain("budget_cents");
    refused(() => parseWhere("projects", { budget_cents: { $gt: 0 } }, "client"));
    refused(() => parseWhere("projects", { estimate_cents: { $isnull: true } }, "client"));
    expect(parseWhere("projects", { budget_cents: { $gt: 0 } }, "project_manager")).toEqual({
      budget_cents: { $gt: 0 },
    });
  });

  it("refuses unknown operators, nested operators, nulls outside lists and non-finite numbers", () => {
    for (const where of [
      { id: { $regex: ".*" } },
      { id: { $not: { $eq: "" } } },
      { id: { $or: { $ne: "" } } },
      { id: { $eq: { $ne: "" } } },
      { id: { $in: [{ $ne: "" }] } },
      { id: { $ne: ["", ""] } },
      { id: { $isnull: "yes" } },
      { id: { $isnull: { $or: 1 } } },
      { id: [1] },
      { id: {} },
      { id: null },
      { id: { $eq: null } },
      { assignee_id: { $gt: Number.POSITIVE_INFINITY } },
      { assignee_id: { $in: [Number.NaN] } },
      { assignee_id: Number.NEGATIVE_INFINITY },
    ]) {
      refused(() => parseWhere("tasks", where, "admin"));
    }
    for (const notAnObject of [[], "[1]", "nope", 3, true])
      refused(() => parseWhere("tasks", notAnObject, "admin"));
  });

  it("caps lists and the clause at MAX_WHERE_VALUES values; $between takes two", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    expect(whereValueCount(parseWhere("tasks", { id: { $in: ids(MAX_WHERE_VALUES) } }, "admin"))).toBe(
      MAX_WHERE_VALUES,
    );
    refused(() => parseWhere("tasks", { id: { $in: ids(MAX_WHERE_VALUES + 1) } }, "admin"));
    refused(() => parseWhere("tasks", { id: { $in: [] } }, "admin"));
    refused(() => parseWhere("tasks", { id: { $in: ids(60) }, title: { $notin: ids(31) } }, "admin"));
  });

  it("compares ranges with numbers only, as bknd's reads do; $between is $gte and $lte", () => {
    expect(parseWhere("leads", { value_cents: { $between: [100, 500] } }, "admin")).toEqual({
      value_cents: { $gte: 100, $lte: 500 },
    });
    for (const where of [
      { due_date: { $gte: "2026-01-01" } },
      { due_date: { $lt: "2026-01-01" } },
      { assignee_id: { $gt: "1" } },
      { value_cents: { $lte: true } },
      { value_cents: { $between: [1] } },
      { value_cents: { $between: [1, 2, 3] } },
      { due_date: { $between: ["2026-01-01", "2026-12-31"] } },
      { value_cents: { $between: [1, 5], $gte: 2 } },
    ]) {
      refused(() => parseWhere("leads", where, "admin"));
    }
  });
});

describe("compileWhere", () => {
  it("compiles every operator to a parameterised condition on the quoted column", () => {
    const where = parseWhere(
      "tasks",
      {
        title: { $eq: "a", $ne: "b", $like: "*fix*" },
        assignee_id: { $gt: 1, $gte: 2, $lt: 9, $lte: 8, $isnull: false },
        priority: { $isnull: true },
        status: { $in: ["todo", "done"], $notin: ["review"] },
      },
      "admin",
    );
    expect(compileWhere("tasks", where)).toEqual({
      sql: [
        `"title" = ?`,
        `"title" != ?`,
        `"title" LIKE ?`,
        `"assignee_id" > ?`,
        `"assignee_id" >= ?`,
        `"assignee_id" < ?`,
        `"assignee_id" <= ?`,
        `"assignee_id" IS NOT NULL`,
        `"priority" IS NULL`,
        `"status" IN (SELECT value FROM json_each(?))`,
        `"status" NOT IN (SELECT value FROM json_each(?))`,
      ].join(" AND "),
      params: ["a", "b", "%fix%", 1, 2, 9, 8, '["todo","done"]', '["review"]'],
    });
  });

  it("is always true for an empty clause, binds booleans as 1 and 0, keeps nulls in lists", () => {
    expect(compileWhere("leads", {})).toEqual({ sql: "1 = 1", params: [] });
    expect(
      compileWhere("leads", parseWhere("leads", { title: true, stage: { $in: [false, null] } }, "admin")),
    ).toEqual({
      sql: `"title" = ? AND "stage" IN (SELECT value FROM json_each(?))`,
      params: [1, "[0,null]"],
    });
  });

  it("binds one parameter per list, so the largest allowed clause stays far below D1's 100", () => {
    const ids = Array.from({ length: MAX_WHERE_VALUES }, (_, i) => `id-${i}`);
    const { params } = compileWhere("tasks", parseWhere("tasks", { id: { $in: ids } }, "admin"));
    expect(params).toHaveLength(1);
    expect(JSON.parse(String(params[0]))).toEqual(ids);
  });

  it("refuses a field the entity does not have, even if a caller skipped parseWhere", () => {
    refused(() => compileWhere("tasks", { 'x" OR 1=1 --': { $eq: 1 } }));
    refused(() => compileWhere("tasks", { tenant_id: { $eq: "FP-2026-AAAAAAAAA" } }));
  });

  it("assertBindable refuses a statement past D1's limit with a 400", () => {
    expect(() => assertBindable(D1_MAX_BOUND_PARAMETERS)).not.toThrow();
    expect(refused(() => assertBindable(D1_MAX_BOUND_PARAMETERS + 1))).toMatch(/at most 100/);
  });
});
