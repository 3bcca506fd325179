import { describe, expect, it } from "vitest";
import { entities, exposedEntityNames, systemFields } from "./entities.ts";

describe("entity schemas", () => {
  it.each(exposedEntityNames)("%s refuses system fields in create and update bodies", (name) => {
    const e = entities[name];
    for (const field of systemFields) {
      expect(e.create.shape).not.toHaveProperty(field);
      expect(e.update.safeParse({ [field]: "x" }).success).toBe(false);
    }
  });

  it("applies defaults on create but not on update", () => {
    const created = entities.tasks.create.parse({
      title: "T",
      project_id: "5b1c6a3e-2c1f-4a3b-9b7e-1d2c3b4a5f60",
    });
    expect(created).toMatchObject({ status: "todo", priority: "normal" });
    expect(entities.tasks.update.parse({ title: "T2" })).toEqual({ title: "T2" });
  });

  it("explains what is wrong", () => {
    const r = entities.projects.create.safeParse({ name: "", due_date: "31/12/2026", currency: "euro" });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n") ?? "";
    expect(messages).toMatch(/due_date: must be a date formatted YYYY-MM-DD/);
    expect(messages).toMatch(/currency: must be an ISO 4217 code/);
  });
});
