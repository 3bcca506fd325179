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
