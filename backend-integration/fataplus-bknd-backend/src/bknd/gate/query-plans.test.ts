/**
 * Every statement that bknd and the gate send to D1 for the data API is recorded, then explained: none may
 * SCAN a tenant table, and reads stay proportional to the page, not to the other tenants' data.
 */

import { env } from "cloudflare:workers";
import {
  createRecord,
  deleteRecord,
  deleteRecords,
  exposedEntityNames,
  listAccessibleTenants,
  listRecords,
  loadIdentity,
  resolveAccess,
  type TenantRef,
  tenantOwnedTables,
  updateRecord,
  updateRecords,
} from "@fataplus/domain";
import { createApp } from "bknd/adapter/cloudflare";
import { beforeAll, describe, expect, it } from "vitest";
import {
  makeTenant,
  makeUser,
  PASSWORD,
  type Refs,
  sampleCreate,
  sampleUpdate,
  seedTenantData,
  systemCtx,
} from "../../../test/factories.ts";
import {
  type Recorded,
  recordingD1,
  rowsRead,
  scansOf,
  touchesTenantTable,
} from "../../../test/recording-d1.ts";
import { bkndConfig } from "../app.ts";

const log: Recorded[] = [];
let A: TenantRef;
let refsA: Refs;
let fetchApp: (req: Request) => Promise<Response>;
let token = "";
const PAGE = 10;

async function req(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "x-fataplus-tenant": A.subdomain,
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetchApp(
    new Request(`https://bknd.test${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
  return res;
}

beforeAll(async () => {
  A = await makeTenant("Plans A");
  refsA = await seedTenantData(A);
  const ctx = systemCtx(A);
  for (let i = 0; i < 24; i++)
    await createRecord({ ctx, input: { entity: "tasks", data: sampleCreate("tasks", refsA) } });
  // Skew: a big tenant whose rows all come after A's.
  const big = await makeTenant("Plans big");
  const refsBig = await seedTenantData(big);
  const stmts = Array.from({ length: 400 }, (_, i) =>
    env.DB.prepare("INSERT INTO tasks (id, tenant_id, project_id, title) VALUES (?, ?, ?, ?)").bind(
      crypto.randomUUID(),
      big.id,
      refsBig.projects,
      `big ${i}`,
    ),
  );
  await env.DB.batch(stmts);
  const user = await makeUser({ memberships: [[A, "admin"]], login: false });
  const recEnv = { ...env, DB: recordingD1(env.DB, log) } as Env;
  const app = await createApp(bkndConfig, { env: recEnv });
  fetchApp = (r) => Promise.resolve(app.fetch(r, recEnv));
  const login = await fetchApp(
    new Request("https://bknd.test/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    }),
  );
  token = ((await login.json()) as { token: string }).token;
});

describe("query plans of the data API", () => {
  it("bknd and the gate never scan a tenant table, and read at most a page (+5) per list", async () => {
    log.length = 0;
    for (const entity of exposedEntityNames) {
      const base = `/api/data/entity/${entity}`;
      const statuses = [
        (await req("GET", `${base}?limit=${PAGE}`)).status,
        (await req("GET", `${base}?limit=${PAGE}&sort=-created_at`)).status,
        (await req("POST", `${base}/query`, { limit: PAGE, where: { id: { $in: [refsA[entity]] } } })).status,
        (await req("GET", `${base}/${refsA[entity]}`)).status,
        (await req("POST", `${base}/fn/count`, {})).status,
        (await req("POST", `${base}/fn/exists`, { id: refsA[entity] })).status,
        (await req("PATCH", `${base}/${refsA[entity]}`, sampleUpdate(entity))).status,
        (await req("PATCH", base, { update: sampleUpdate(entity), where: { id: refsA[entity] } })).status,
        (await req("POST", base, sampleCreate(entity, refsA))).status,
      ];
      expect(statuses.every((s) => s < 300)).toBe(true);
    }
    const created = await req("POST", "/api/data/entity/leads", sampleCreate("leads", refsA));
    const leadId = ((await created.json()) as { data: { id: string } }).data.id;
    expect((await req("DELETE", `/api/data/entity/leads/${leadId}`)).status).toBe(200);
    expect((await req("DELETE", "/api/data/entity/leads", { id: { $in: ["nothing-here"] } })).status).toBe(
      200,
    );

    const relevant = log.filter((r) => touchesTenantTable(r.sql, tenantOwnedTables));
    expect(relevant.length).toBeGreaterThan(40);
    const offenders: string[] = [];
    for (const rec of relevant) {
      const scans = await scansOf(env.DB, rec, tenantOwnedTables);
      if (scans.length > 0) offenders.push(`${scans.join("; ")} ← ${rec.sql}`);
      if (/^\s*select/i.test(rec.sql)) {
        const read = await rowsRead(env.DB, rec);
        const limit = /\blimit\b/i.test(rec.sql) ? PAGE : 30; // A holds 25 tasks; the big tenant 400
        if (read > limit + 5) offenders.push(`rows_read ${read} > ${limit + 5} ← ${rec.sql}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the domain verbs (reads, and every kind of write) never scan a tenant table", async () => {
    log.length = 0;
    const db = recordingD1(env.DB, log);
    const ctx = { ...systemCtx(A), db };
    for (const entity of exposedEntityNames) {
      await listRecords({ ctx, input: { entity, limit: PAGE } });
      const row = await createRecord({ ctx, input: { entity, data: sampleCreate(entity, refsA) } });
      await updateRecord({ ctx, input: { entity, id: row.id, data: sampleUpdate(entity) } });
      const where = { id: { $in: [row.id, refsA[entity]] }, created_at: { $isnull: false } };
      await updateRecords({ ctx, input: { entity, where, data: sampleUpdate(entity) } });
      await deleteRecords({ ctx, input: { entity, where: { id: { $in: ["nothing-here"] } } } });
    }
    const lead = await createRecord({ ctx, input: { entity: "leads", data: sampleCreate("leads", refsA) } });
    await deleteRecord({ ctx, input: { entity: "leads", id: lead.id } });
    const member = await makeUser({ memberships: [[A, "client"]], login: false });
    const identity = await loadIdentity({ db, userId: member.id });
    if (identity) await listAccessibleTenants({ db, identity });
    await resolveAccess({ db, userId: member.id, tenantRef: A.subdomain });
    await resolveAccess({ db, userId: member.id, tenantRef: A.id });
    const offenders: string[] = [];
    for (const rec of log.filter((r) => touchesTenantTable(r.sql, tenantOwnedTables))) {
      const scans = await scansOf(env.DB, rec, tenantOwnedTables);
      if (scans.length > 0) offenders.push(`${scans.join("; ")} ← ${rec.sql}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe("the plan and rows_read checks themselves", () => {
  it("detect a scan and a read that grows with other tenants' data", async () => {
    const rec = { sql: "SELECT * FROM tasks WHERE title = ? LIMIT 10", params: ["nope"] };
    expect(await scansOf(env.DB, rec, tenantOwnedTables)).toEqual(["SCAN tasks"]);
    expect(await rowsRead(env.DB, rec)).toBeGreaterThan(400);
    expect(touchesTenantTable('select "id" from "tasks" where "tenant_id" = ?', tenantOwnedTables)).toBe(
      true,
    );
  });
});
