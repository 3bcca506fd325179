import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../testing/scenario.ts";
import { db, given, refused } from "../../testing/workerd.ts";
import type { ExposedEntity } from "../kernel/roles.ts";
import { entities, exposedEntityNames } from "../records/entities.ts";
import { createRecord, deleteRecord, deleteRecords, updateRecord, updateRecords } from "../records/index.ts";
import { checkSearchIndex, ftsMatch, ftsScopeToken, ftsTerms, matchIds, rebuildSearchIndex } from "./fts.ts";
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

const labelOf = (entity: ExposedEntity) => entities[entity].search?.label ?? "";
const searchable = exposedEntityNames.filter((e) => entities[e].search !== null);
const labels = async (ctx: Parameters<typeof searchEverything>[0]["ctx"], query: string) =>
  (await searchEverything({ ctx, input: { query } })).results.map((h) => h.label).sort();

describe("searchEverything", () => {
  it("finds what a project manager may read in the tenant, never another tenant's rows", async () => {
    const r = await searchEverything({
      ctx: s.ctx("a", s.members.a.project_manager),
      input: { query: word },
    });
    // every entity with a search column (records/entities.ts): a project manager reads them all
    expect(r.searched).toEqual(searchable);
    expect(r.searched).toEqual(expect.arrayContaining(["clients", "projects", "tasks", "leads", "notes"]));
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

  it("matches words, not characters: % and _ separate words, limits per entity, refuses a too-short query", async () => {
    const ctx = s.ctx("a", s.members.a.admin);
    expect(await labels(ctx, "50%")).toEqual(["50%_off"]);
    expect(await labels(ctx, "50%_of")).toEqual(["50%_off"]);
    expect(await labels(ctx, "off")).toEqual(["50%_off"]);
    // nothing to match: no letter or digit, or not the start of a word
    expect(await labels(ctx, "%_")).toEqual([]);
    expect(await labels(ctx, "0%_off")).toEqual([]);
    expect((await searchEverything({ ctx, input: { query: word, limit: 1 } })).results).toHaveLength(3);
    await refused(searchEverything({ ctx, input: { query: " a " } }), "VALIDATION");
    await refused(searchEverything({ ctx, input: { query: word, limit: 51 } }), "VALIDATION");
  });

  it("finds word prefixes in any order, accents and case aside (type-ahead)", async () => {
    const ctx = s.ctx("a", s.members.a.project_manager);
    const name = `Site web de l'École Supérieure ${unique("z")}`;
    await createRecord({ ctx: s.system("a"), input: { entity: "clients", data: { name } } });
    for (const q of ["ecole", "ÉCOLE sup", "sup ecol", "web site", "l'école", "Supérieure", "superieure"])
      expect(await labels(ctx, q), q).toEqual([name]);
    // a word inside another is not a word's start; every word must match
    for (const q of ["cole", "ite web", "ecole zzzunknown"]) expect(await labels(ctx, q), q).toEqual([]);
  });

  it("searches the label of every searchable entity, notes and projects included", async () => {
    const ctx = s.ctx("a", s.members.a.admin);
    for (const entity of searchable) {
      const text = `${unique("label")} ${entity}`;
      await updateRecord({
        ctx: s.system("a"),
        input: { entity, id: s.refs.a[entity], data: { [labelOf(entity)]: text } },
      });
      const hits = (await searchEverything({ ctx, input: { query: text } })).results;
      expect(
        hits.map((h) => [h.entity, h.id, h.label]),
        entity,
      ).toEqual([[entity, s.refs.a[entity], text]]);
    }
  });

  it("shows the newest matches of a large result, most recently updated first", async () => {
    const ctx = s.ctx("a", s.members.a.admin);
    const tag = unique("many");
    const updated = ["2030-01-05", "2030-01-01", "2030-01-04", "2030-01-03", "2030-01-02"];
    for (const [i, at] of updated.entries()) {
      const lead = await createRecord({
        ctx: s.system("a"),
        input: { entity: "leads", data: { title: `${tag} ${i}` } },
      });
      await db()
        .prepare("UPDATE leads SET updated_at = ? WHERE id = ?")
        .bind(`${at}T00:00:00.000Z`, lead.id)
        .run();
    }
    // the 3 newest (2, 3, 4), by their last update; the oldest, updated last, is not among them
    const shown = (await searchEverything({ ctx, input: { query: tag, limit: 3 } })).results;
    expect(shown.map((h) => h.label)).toEqual([`${tag} 2`, `${tag} 3`, `${tag} 4`]);
  });
});

describe("the index follows every write (triggers, same statement)", () => {
  it("updates, deletes, bulk writes, raw SQL and cascades", async () => {
    const ctx = s.ctx("a", s.members.a.admin);
    const sys = s.system("a");
    const before = unique("before");
    const after = unique("after");
    const client = await createRecord({ ctx: sys, input: { entity: "clients", data: { name: before } } });
    expect(await labels(ctx, before)).toEqual([before]);
    // a change of another field leaves the index alone; a change of the label moves it
    await updateRecord({
      ctx: sys,
      input: { entity: "clients", id: client.id, data: { phone: "+33 1 42 68 53 00" } },
    });
    expect(await labels(ctx, before)).toEqual([before]);
    await updateRecord({ ctx: sys, input: { entity: "clients", id: client.id, data: { name: after } } });
    expect(await labels(ctx, before)).toEqual([]);
    expect(await labels(ctx, after)).toEqual([after]);
    await deleteRecord({ ctx: sys, input: { entity: "clients", id: client.id } });
    expect(await labels(ctx, after)).toEqual([]);

    // bulk update and delete (the data API's where-clause writes)
    const bulk = unique("bulk");
    for (let i = 0; i < 3; i++)
      await createRecord({
        ctx: sys,
        input: { entity: "tasks", data: { title: `${bulk} ${i}`, project_id: s.refs.a.projects } },
      });
    await updateRecords({
      ctx: sys,
      input: { entity: "tasks", where: { title: { $like: `${bulk}%` } }, data: { title: `${bulk} done` } },
    });
    expect(await labels(ctx, `${bulk} done`)).toEqual([`${bulk} done`, `${bulk} done`, `${bulk} done`]);
    await deleteRecords({ ctx: sys, input: { entity: "tasks", where: { title: `${bulk} done` } } });
    expect(await labels(ctx, bulk)).toEqual([]);

    // SQL that bypasses the domain (bknd's /admin, a seed) and a cascade (a project's tasks)
    const raw = unique("raw");
    const project = await createRecord({
      ctx: sys,
      input: { entity: "projects", data: { name: `${raw} p` } },
    });
    await db()
      .prepare("INSERT INTO tasks (id, tenant_id, project_id, title) VALUES (?, ?, ?, ?)")
      .bind(crypto.randomUUID(), s.tenants.a.id, project.id, `${raw} t`)
      .run();
    expect(await labels(ctx, raw)).toEqual([`${raw} p`, `${raw} t`]);
    await db()
      .prepare("UPDATE tasks SET title = ? WHERE tenant_id = ? AND project_id = ?")
      .bind(`${raw} renamed`, s.tenants.a.id, project.id)
      .run();
    expect(await labels(ctx, `${raw} ren`)).toEqual([`${raw} renamed`]);
    await db().prepare("DELETE FROM projects WHERE id = ?").bind(project.id).run();
    expect(await labels(ctx, raw)).toEqual([]);

    // and the index is exactly what the records say
    expect(await checkSearchIndex({ db: db() })).toBeNull();
  });

  it("a rebuild gives the same answers; an index out of step is caught by the check", async () => {
    const ctx = s.ctx("a", s.members.a.project_manager);
    const was = await searchEverything({ ctx, input: { query: word } });
    await rebuildSearchIndex({ db: db() });
    expect(await searchEverything({ ctx, input: { query: word } })).toEqual(was);
    expect(await checkSearchIndex({ db: db() })).toBeNull();
    // an index row for a record that is not there
    await db()
      .prepare("INSERT INTO search_fts (rowid, scope, label) VALUES (?, ?, ?)")
      .bind(999_999 * 8 + 1, ftsScopeToken("clients", s.tenants.a.id), "ghost")
      .run();
    expect(await checkSearchIndex({ db: db() })).toMatch(/corrupt|malformed/i);
    await rebuildSearchIndex({ db: db() });
    expect(await checkSearchIndex({ db: db() })).toBeNull();
    expect(await searchEverything({ ctx, input: { query: word } })).toEqual(was);
  });
});

/** Queries an attacker in tenant a may type: FTS5 syntax, b's scope token, column filters, quotes. */
const hostile = (b: string) => {
  const tb = ftsScopeToken("clients", b);
  return [
    `${word} OR scope : "${tb}"`,
    `scope:${tb}`,
    `scope : ${tb} ${word}`,
    `"${tb}"`,
    `${tb}*`,
    `0clients*`,
    `{scope label}: ${word}`,
    `label:${word} OR scope:0clients*`,
    `${word}" OR scope : "${tb}`,
    `${word}") OR (scope : "${tb}`,
    `NEAR(${word} ${tb}, 10)`,
    `${word} NOT zzz`,
    `- ${word}`,
    `^${word}`,
    `${word}*`,
    `(${word}`,
    `${word})`,
    `""`,
    `" "`,
    `a"b`,
    `***`,
    `AND OR`,
    `NEAR NEAR`,
    `${word} AND`,
    `rank:1`,
    `search_fts:${word}`,
  ];
};

describe("tenant isolation inside the index", () => {
  it("no query a user types errors, leaves the tenant, or counts another tenant's rows", async () => {
    const ctx = s.ctx("a", s.members.a.project_manager);
    const bIds = new Set<string>();
    for (const entity of searchable) {
      const { results } = await db()
        .prepare(`SELECT id FROM ${entity} WHERE tenant_id = ?`)
        .bind(s.tenants.b.id)
        .all<{ id: string }>();
      for (const r of results) bIds.add(r.id);
    }
    expect(bIds.size).toBeGreaterThan(5);
    for (const q of hostile(s.tenants.b.id)) {
      const r = await searchEverything({ ctx, input: { query: q } });
      expect(
        r.results.filter((h) => bIds.has(h.id)),
        q,
      ).toEqual([]);
      // the index alone, without the records' own tenant_id check: every row it returns is a's
      const terms = ftsTerms(q);
      if (terms === null) continue;
      for (const entity of searchable) {
        const { results } = await db()
          .prepare("SELECT rowid >> 3 AS r, rowid & 7 AS e FROM search_fts WHERE search_fts MATCH ?")
          .bind(ftsMatch(entity, [s.tenants.a.id], terms, "label extra"))
          .all<{ r: number; e: number }>();
        for (const row of results) {
          const owner = await db()
            .prepare(`SELECT tenant_id FROM ${entity} WHERE rowid = ?`)
            .bind(row.r)
            .first<{ tenant_id: string }>();
          expect(owner?.tenant_id, `${q} → ${entity}`).toBe(s.tenants.a.id);
        }
      }
    }
    // the words of b's own labels find nothing of b from a
    expect((await searchEverything({ ctx, input: { query: `${word} b client` } })).results).toEqual([]);
  });

  it("the terms are always plain words: quoted phrases, prefixes from 2 characters", () => {
    expect(ftsTerms('scope:"0x" OR NEAR(a*')).toBe('"scope 0x"* "OR"* "NEAR a"');
    expect(ftsTerms('a"b')).toBe('"a b"');
    expect(ftsTerms("L'École  50%_off")).toBe('"L École"* "50 off"*');
    expect(ftsTerms("%_ * ^ -")).toBeNull();
    // every term is a quoted phrase: no FTS5 operator or column filter survives
    for (const q of hostile("FP-2026-ABCDEFGHJ")) {
      const terms = ftsTerms(q);
      if (terms === null) continue;
      for (const t of terms.split(/(?<=["*]) /)) expect(t, q).toMatch(/^"[\p{L}\p{N} ]+"\*?$/u);
    }
    expect(hostile("FP-2026-ABCDEFGHJ").filter((q) => ftsTerms(q) === null)).toEqual(['""', '" "', "***"]);
  });
});

describe("matchIds (for the CRM lists' text filter)", () => {
  it("matches the label and the extra column, in the given tenants only, newest first, bounded", async () => {
    const sys = s.system("a");
    const tag = unique("crm");
    const c1 = await createRecord({ ctx: sys, input: { entity: "clients", data: { name: `${tag} one` } } });
    const c2 = await createRecord({
      ctx: sys,
      input: { entity: "clients", data: { name: "Other", email: `${tag}@example.test` } },
    });
    await createRecord({ ctx: s.system("b"), input: { entity: "clients", data: { name: `${tag} b` } } });
    const a = s.tenants.a.id;
    const b = s.tenants.b.id;
    expect(await matchIds({ db: db(), tenantIds: [a], entity: "clients", q: tag, limit: 10 })).toEqual([
      c2.id,
      c1.id,
    ]);
    expect(await matchIds({ db: db(), tenantIds: [a], entity: "clients", q: tag, limit: 1 })).toEqual([
      c2.id,
    ]);
    expect(
      await matchIds({ db: db(), tenantIds: [a, b], entity: "clients", q: tag, limit: 10 }),
    ).toHaveLength(3);
    expect(await matchIds({ db: db(), tenantIds: [], entity: "clients", q: tag, limit: 10 })).toEqual([]);
    expect(await matchIds({ db: db(), tenantIds: [a], entity: "clients", q: "%%", limit: 10 })).toEqual([]);
    expect(await matchIds({ db: db(), tenantIds: [a], entity: "leads", q: tag, limit: 10 })).toEqual([]);
  });
});
