/**
 * What the search costs in D1 on a large tenant (decision 016), deterministically: every statement reads at
 * most one index row and one record per result shown, plus one of each, whatever the tenant holds (10,000
 * tasks, all matching) and whatever another tenant holds (as many, with the same words); no statement SCANs a
 * tenant table. read-costs.test.ts holds the search to the bound of every other read as well (12 rows per row
 * shown + 100), for a small tenant and for one grown to 4,000 tasks.
 */
import { env } from "cloudflare:workers";
import {
  type Ctx,
  ftsScopeToken,
  searchEverything,
  type TenantRef,
  tenantOwnedTables,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { type Refs, scenario } from "../../test/factories.ts";
import { type Recorded, recordingD1, rowsRead, scansOf } from "../../test/recording-d1.ts";

const BIG = 10_000;
let big: TenantRef;
let small: TenantRef;
let other: TenantRef;
let refs: Record<"big" | "small" | "other", Refs>;

async function insertMany(sql: string, rows: unknown[][]) {
  const stmts = rows.map((r) => env.DB.prepare(sql).bind(...r));
  for (let i = 0; i < stmts.length; i += 1000) await env.DB.batch(stmts.slice(i, i + 1000));
}

/** Rows of every searched entity, all of them matching "alpha" (and "task", "lead"… by their own words). */
async function fill(t: TenantRef, r: Refs, tasks: number) {
  const n = (i: number) => i % 7;
  await insertMany(
    "INSERT INTO tasks (id, tenant_id, project_id, title) VALUES (?, ?, ?, ?)",
    Array.from({ length: tasks }, (_, i) => [
      crypto.randomUUID(),
      t.id,
      r.projects,
      `Task ${i} alpha ${n(i)}`,
    ]),
  );
  const few = Math.ceil(tasks / 10);
  await insertMany(
    "INSERT INTO clients (id, tenant_id, name, email) VALUES (?, ?, ?, ?)",
    Array.from({ length: few }, (_, i) => [
      crypto.randomUUID(),
      t.id,
      `Client ${i} alpha`,
      `c${i}@alpha.test`,
    ]),
  );
  await insertMany(
    "INSERT INTO leads (id, tenant_id, title, contact_name) VALUES (?, ?, ?, ?)",
    Array.from({ length: few }, (_, i) => [crypto.randomUUID(), t.id, `Lead ${i} alpha`, "Élodie Alpha"]),
  );
  await insertMany(
    "INSERT INTO notes (id, tenant_id, client_id, body) VALUES (?, ?, ?, ?)",
    Array.from({ length: few }, (_, i) => [crypto.randomUUID(), t.id, r.clients, `Note ${i} alpha`]),
  );
  await insertMany(
    "INSERT INTO projects (id, tenant_id, name) VALUES (?, ?, ?)",
    Array.from({ length: few }, (_, i) => [crypto.randomUUID(), t.id, `Project ${i} alpha`]),
  );
}

beforeAll(async () => {
  const s = await scenario(
    {
      tenants: ["big", "small", "other"],
      names: { big: "Search big", small: "Search small", other: "Search other" },
      seed: true,
      roles: ["project_manager"],
    },
    { login: false },
  );
  ({ big, small, other } = s.tenants);
  refs = s.refs;
  // the big tenant first, then the other one with the same words, then the small one's few rows last
  await fill(big, refs.big, BIG);
  await fill(other, refs.other, BIG);
  await fill(small, refs.small, 3);
}, 180_000);

const ctx = (db: D1Database, tenant: TenantRef): Ctx => ({
  db,
  tenant,
  role: "admin",
  actor: { type: "system", reason: "test" },
  now: () => new Date(),
});

type Cost = { sql: string; shown: number; rows: number; plan: string[] };

/** Each statement of one search: the rows it returned, the rows it read (D1's meta.rows_read), its plan. */
async function costOf(tenant: TenantRef, query: string, limit: number): Promise<Cost[]> {
  const log: Recorded[] = [];
  await searchEverything({ ctx: ctx(recordingD1(env.DB, log), tenant), input: { query, limit } });
  const out: Cost[] = [];
  for (const rec of log) {
    const res = await env.DB.prepare(rec.sql)
      .bind(...rec.params)
      .all();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${rec.sql}`)
      .bind(...rec.params)
      .all<{ detail: string }>();
    out.push({
      sql: rec.sql.replace(/\s+/g, " "),
      shown: res.results.length,
      rows: await rowsRead(env.DB, rec),
      plan: plan.results.map((p) => p.detail),
    });
    expect(await scansOf(env.DB, rec, tenantOwnedTables), rec.sql).toEqual([]);
  }
  return out;
}

const queries = [
  "alpha", // every row of every entity
  "ta", // a two-letter prefix: every task (and "task" words elsewhere)
  "task alpha", // two words
  "task 12", // a word and a number prefix
  "elodie", // a lead's contact name is not searched (only the CRM lists' filter reads it)
  "alpha zzz", // nothing
  "zzz",
  `alpha OR scope : "${"0tasks"}"`, // FTS syntax is plain words: nothing matches them all
];

describe("the cost of a search on a large tenant", () => {
  it("reads at most one index row and one record per result shown, plus one each, per statement", async () => {
    const figures: string[] = [];
    for (const tenant of [big, small]) {
      for (const query of [...queries, `alpha ${ftsScopeToken("tasks", other.id)}`]) {
        for (const limit of [1, 10, 50]) {
          const costs = await costOf(tenant, query, limit);
          expect(costs, query).toHaveLength(5); // one statement per searchable entity
          for (const c of costs) {
            expect(c.shown, c.sql).toBeLessThanOrEqual(limit);
            expect(c.rows, `${tenant.name} "${query}" limit ${limit}: ${c.sql}`).toBeLessThanOrEqual(
              2 * (c.shown + 1),
            );
            // the index drives, then each record is found by its rowid
            expect(c.plan.join(" | "), c.sql).toMatch(
              /^SCAN f VIRTUAL TABLE INDEX \d+:M\d+ \| SEARCH x USING INTEGER PRIMARY KEY \(rowid=\?\)$/,
            );
          }
          if (limit === 10 && (query === "alpha" || query === "zzz"))
            figures.push(
              `${tenant.name}, "${query}", limit ${limit}: ${costs.reduce((n, c) => n + c.rows, 0)} rows read, ${costs.reduce((n, c) => n + c.shown, 0)} shown`,
            );
        }
      }
    }
    // the big tenant's full page: 10 of each of the 5 entities, as the small tenant can't fill it
    const full = await costOf(big, "alpha", 10);
    expect(full.map((c) => c.shown)).toEqual([10, 10, 10, 10, 10]);
    console.info(
      `search rows_read (${BIG.toLocaleString("en")} tasks in the big tenant):\n  ${figures.join("\n  ")}`,
    );
  }, 120_000);

  it("the same search with LIKE, as before the index, read every row of the big tenant", async () => {
    const like = await env.DB.prepare(
      "SELECT id FROM tasks WHERE tenant_id = ? AND title LIKE ? ORDER BY updated_at DESC, id LIMIT 10",
    )
      .bind(big.id, "%alpha%")
      .all();
    expect(like.meta.rows_read).toBeGreaterThanOrEqual(BIG);
    const fts = await costOf(big, "alpha", 10);
    expect(fts.reduce((n, c) => n + c.rows, 0)).toBeLessThan(100);
  });
});
