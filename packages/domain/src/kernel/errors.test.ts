import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issueKey, validationError } from "./errors";

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a failure");
  return r.error.issues;
};

describe("validation error keys", () => {
  const schema = z.object({ name: z.string().min(1).max(5), url: z.url(), email: z.email() });

  it("maps zod issues to stable keys with params", () => {
    const e = validationError(issuesOf(schema, { name: "toolongname", url: "nope", email: "x" }));
    const byPath = Object.fromEntries((e.details ?? []).map((d) => [d.path, d]));
    expect(byPath.name).toMatchObject({ key: "too_long", params: { max: 5 } });
    expect(byPath.url).toMatchObject({ key: "invalid_url" });
    expect(byPath.email).toMatchObject({ key: "invalid_email" });
  });

  it("a missing or empty field is required", () => {
    const missing = validationError(issuesOf(schema, {}));
    expect(missing.details?.every((d) => d.key === "required")).toBe(true);
    const empty = validationError(issuesOf(schema, { name: "", url: "https://a.b", email: "a@b.co" }));
    expect(empty.details).toEqual([expect.objectContaining({ path: "name", key: "required" })]);
  });

  it("a plain issue without a zod code keeps only its message", () => {
    expect(issueKey({ path: ["a"], message: "m" })).toBeUndefined();
  });
});

describe("validation error keys by what was measured", () => {
  it("a list counts items, a number its value, a text its characters", () => {
    const schema = z.object({
      tags: z.array(z.string()).max(2),
      seats: z.number().int().min(1).max(1000),
      steps: z.array(z.string()).min(2),
    });
    const e = validationError(issuesOf(schema, { tags: ["a", "b", "c"], seats: 0, steps: ["x"] }));
    const byPath = Object.fromEntries((e.details ?? []).map((d) => [d.path, d]));
    expect(byPath.tags).toMatchObject({ key: "too_many", params: { max: 2 } });
    // a number below 1 is too small, not "required"
    expect(byPath.seats).toMatchObject({ key: "too_small", params: { min: 1 } });
    expect(byPath.steps).toMatchObject({ key: "too_few", params: { min: 2 } });
    const big = validationError(issuesOf(schema, { tags: [], seats: 5000, steps: ["a", "b"] }));
    expect(big.details?.[0]).toMatchObject({ path: "seats", key: "too_big", params: { max: 1000 } });
  });
});
