import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { given, refused } from "../../testing/workerd.ts";
import { entities, exposedEntityNames } from "../records/entities.ts";
import { createRecord } from "../records/index.ts";
import { searchEverything } from "./index.ts";

const word = unique("needle");
const setup = () => given({ tenants: ["a", "b"], seed: true, roles: ["client", "project_manager", "admin"] });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
  for (const t of ["a", "b"] as const) {
    const ctx = s.system(t);
    await createRecord({ ctx, input: { entity: "clients", data: { name: `${word} ${t} client` } } });
    await createRecord({ ctx, input: { entity: "leads", data: { title: `${word} ${t} lead` } } });
    await createRecord({
      ctx,
      input: { entity: "tasks", data: { title: `${word} ${t} task`, project_id: s.refs[t].projects } },
    });
  }
  await createRecord({ ctx: s.system("a"), input: { entity: "clients", data: { name: "50%_off" } } });
});

describe("searchEverything", () => {
  it("finds what a project manager may read in the tenant, never another tenant's rows", async () => {
    const r = await searchEverything({
      ctx: s.ctx("a", s.members.a.project_manager),
      input: { query: word },
    });
    // every entity with a search column (records/entities.ts): a project manager reads them all
    expect(r.searched).toEqual(exposedEntityNames.filter((e) => entities[e].search !== null));
    expect(r.searched).toEqual(expect.arrayContaining(["clients", "projects", "tasks", "leads"]));
    expect(r.results.map((h) => h.label).sort()).toEqual([
      `${word} a client`,
      `${word} a lead`,
      `${word} a task`,
    ]);
    expect(r.results.find((h) => h.entity === "tasks")?.project_id).toBe(s.refs.a.projects);
  });

  it("skips what a client may not read (clients and leads), without counting it", async () => {
    const r = await searchEverything({ ctx: s.ctx("a", s.members.a.client), input: { query: word } });
    expect(r.searched).toEqual(["projects", "tasks"]);
    expect(r.results.map((h) => h.entity)).toEqual(["tasks"]);
  });

  it("matches % and _ literally, limits per entity, and refuses a too-short query (VALIDATION)", async () => {
    const ctx = s.ctx("a", s.members.a.admin);
    expect((await searchEverything({ ctx, input: { query: "%_" } })).results.map((h) => h.label)).toEqual([
      "50%_off",
    ]);
    expect((await searchEverything({ ctx, input: { query: word, limit: 1 } })).results).toHaveLength(3);
    await refused(searchEverything({ ctx, input: { query: " a " } }), "VALIDATION");
    await refused(searchEverything({ ctx, input: { query: word, limit: 51 } }), "VALIDATION");
  });
});
