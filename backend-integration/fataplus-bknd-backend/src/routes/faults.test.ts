/**
 * Faults in the middle of every multi-row write: a D1 binding that lets the first k-1 writes through and
 * fails the k-th (test/faulty-d1.ts: inside a batch, the k-th statement is swapped for one that fails in D1
 * itself, so the statements before it really ran in the batch's transaction). For every k, the verb must
 * fail and the database must be exactly as before: nothing partial remains. Each verb's write count is
 * measured first, so a verb that gains a statement is covered at every position.
 */
import { env } from "cloudflare:workers";
import {
  acceptInvitation,
  type Ctx,
  createInvitation,
  createRecords,
  createTenant,
  deleteRecord,
  type Identity,
  provisionProject,
  type TenantRef,
  updateRecord,
  uploadDocument,
} from "@fataplus/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { type Refs, scenario, unique } from "../../test/factories.ts";
import { faultyD1 } from "../../test/faulty-d1.ts";
import { pdfBytes } from "../../test/portal-factories.ts";

/**
 * Every row of every table (the test database is small) and every R2 key, to compare before and after. A
 * virtual table (the search index, decision 016) is compared through its shadow tables, which hold its state
 * (some WITHOUT ROWID, so ordered by every column; D1 returns blobs as arrays of bytes).
 */
async function dump(): Promise<string> {
  const keys = (await env.BUCKET.list()).objects.map((o) => o.key).sort();
  const { results: tables } = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string; sql: string }>();
  const out: Record<string, unknown> = {};
  for (const { name, sql } of tables) {
    if (/^CREATE VIRTUAL TABLE/i.test(sql)) continue;
    const width = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all()).results.length;
    const order = /WITHOUT ROWID/i.test(sql)
      ? Array.from({ length: width }, (_, i) => i + 1).join(", ")
      : "rowid";
    out[name] = (await env.DB.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).all()).results;
  }
  return JSON.stringify({ out, keys });
}

let A: TenantRef;
let refs: Refs;
let admin: Identity;
let adminId = 0;

beforeAll(async () => {
  const s = await scenario(
    {
      tenants: ["A"],
      names: { A: "Faults" },
      seed: true,
      users: { admin: { agency: "admin", in: { A: "admin" } } },
    },
    { login: false },
  );
  A = s.tenants.A;
  refs = s.refs.A;
  adminId = s.users.admin.id;
  admin = s.users.admin.identity;
});

const ctxOf = (db: D1Database): Ctx => ({
  db,
  tenant: A,
  role: "admin",
  actor: { type: "user", userId: adminId, email: admin.email, agencyRole: "admin" },
  now: () => new Date(),
});

/** Each multi-row write, as a function of the D1 binding it must use. Setup that must not fail runs first. */
const writes: Record<string, () => Promise<(db: D1Database) => Promise<unknown>>> = {
  "provisioning a project (tenant, client, project, audit rows)": async () => (db) =>
    provisionProject({
      ctx: { db, identity: admin, now: () => new Date() },
      input: { name: "Fault project", subdomain: unique("fault-"), client_name: "Fault client" },
    }),
  "creating a tenant": async () => (db) =>
    createTenant({
      ctx: { db, now: () => new Date() },
      input: { name: "Fault tenant", subdomain: unique("ft-") },
    }),
  "bulk create of three tasks": async () => (db) =>
    createRecords({
      ctx: ctxOf(db),
      input: {
        entity: "tasks",
        items: [1, 2, 3].map((i) => ({ title: `bulk ${i}`, project_id: refs.projects })),
      },
    }),
  "updating a record (row + audit)": async () => (db) =>
    updateRecord({
      ctx: ctxOf(db),
      input: { entity: "tasks", id: refs.tasks, data: { title: unique("upd ") } },
    }),
  "deleting a record (row + audit)": async () => {
    const [lead] = await createRecords({
      ctx: ctxOf(env.DB),
      input: { entity: "leads", items: [{ title: "to delete" }] },
    });
    return (db) => deleteRecord({ ctx: ctxOf(db), input: { entity: "leads", id: lead?.id ?? "" } });
  },
  "creating an invitation": async () => (db) =>
    createInvitation({ ctx: ctxOf(db), input: { email: `${unique("inv")}@example.test`, role: "client" } }),
  "uploading a new version of a document (R2 object, document, version, counter, audit)": async () => {
    const first = await uploadDocument({
      ctx: ctxOf(env.DB),
      bucket: env.BUCKET,
      input: { file_name: "v1.pdf", bytes: pdfBytes(unique("v1")), title: "Versioned" },
      maxBytes: 1024 * 1024,
    });
    return (db) =>
      uploadDocument({
        ctx: ctxOf(db),
        bucket: env.BUCKET,
        input: { file_name: "v2.pdf", bytes: pdfBytes(unique("v2")), document_id: first.id },
        maxBytes: 1024 * 1024,
      });
  },
  "accepting an invitation (claim, account, membership, audit)": async () => {
    const inv = await createInvitation({
      ctx: ctxOf(env.DB),
      input: { email: `${unique("acc")}@example.test`, role: "client" },
    });
    return (db) =>
      acceptInvitation({
        ctx: { db, now: () => new Date() },
        input: { token: inv.token, password: "Long-enough-password-1", name: "Fault Person" },
      });
  },
};

describe("a fault in the middle of every multi-row write leaves nothing partial", () => {
  it.each(Object.keys(writes))("%s", async (name) => {
    const make = writes[name];
    if (!make) throw new Error(name);
    // How many writes does it make? (a fresh setup: the dry run really writes)
    const counter = { writes: 0 };
    await (await make())(faultyD1(env.DB, 0, counter));
    const total = counter.writes;
    expect(total, `${name} makes several writes`).toBeGreaterThan(1);
    for (let k = 1; k <= total; k++) {
      const run = await make();
      const before = await dump();
      await expect(
        run(faultyD1(env.DB, k, { writes: 0 })),
        `${name}, fault at write ${k}/${total}`,
      ).rejects.toThrow();
      expect(await dump(), `${name}: something partial remains after a fault at write ${k}/${total}`).toBe(
        before,
      );
    }
  });
});
