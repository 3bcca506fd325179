/**
 * Bulk seeding for the bench: whole tables in a few statements (INSERT … SELECT over a recursive CTE, in
 * chunks), so a million rows take seconds, not an hour of single inserts. Ids are UUID-shaped and derived
 * from (tenant index, kind, row number); rows are inserted tenant after tenant, so a tenant seeded last has
 * all its rows at the end of each table.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CHUNK = 50_000;

/** A valid tenant id (FP-YYYY-XXXXXXXXX) for a tenant index. */
export function benchTenantId(index: number): string {
  let s = "";
  let n = index;
  for (let i = 0; i < 7; i++) {
    s = (ALPHABET[n % 32] as string) + s;
    n = Math.floor(n / 32);
  }
  return `FP-2026-BN${s}`;
}

const uuidSql = (kind: number, rowExpr: string) =>
  `printf('%08x-%04x-4000-8000-%012x', ?1, ${kind}, ${rowExpr})`;

export type SeedCounts = { clients: number; projects: number; tasks: number; leads: number; audit: number };

/** Rows per tenant: tasks as asked, one twentieth as many clients, projects, leads (each with a note) and audit rows. */
export function countsFor(tasksPerTenant: number): SeedCounts {
  const side = Math.max(1, Math.round(tasksPerTenant / 20));
  return { clients: side, projects: side, tasks: tasksPerTenant, leads: side, audit: side };
}

async function chunked(total: number, run: (from: number, to: number) => Promise<unknown>) {
  for (let from = 0; from < total; from += CHUNK) await run(from, Math.min(total, from + CHUNK) - 1);
}

export async function seedTenants(
  db: D1Database,
  opts: { tenants?: number; tenantIds?: string[]; tasksPerTenant: number; base: number },
): Promise<string[]> {
  const ids =
    opts.tenantIds ?? Array.from({ length: opts.tenants ?? 1 }, (_, i) => benchTenantId(opts.base + i));
  const c = countsFor(opts.tasksPerTenant);
  for (const [j, tenantId] of ids.entries()) {
    const t = opts.base + j;
    if (!opts.tenantIds) {
      await db
        .prepare(
          "INSERT INTO tenants (id, name, subdomain, kind, status) VALUES (?, ?, ?, 'project', 'active')",
        )
        .bind(tenantId, `Bench tenant ${t}`, `bench-${t}`)
        .run();
    }
    const seq = "WITH RECURSIVE seq(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM seq WHERE i < ?3)";
    await chunked(c.clients, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO clients (id, tenant_id, kind, name, email, created_at, updated_at)
           SELECT ${uuidSql(3, "i")}, ?4, 'organization', 'Client ' || i, 'client' || i || '@bench.test',
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes') FROM seq`,
        )
        .bind(t, a, b, tenantId)
        .run(),
    );
    await chunked(c.projects, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO projects (id, tenant_id, client_id, name, status, phase, budget_cents, created_at, updated_at)
           SELECT ${uuidSql(2, "i")}, ?4, ${uuidSql(3, "i % ?5")}, 'Project ' || i,
             CASE i % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'planned' ELSE 'completed' END, 'build', 100000 + i,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes') FROM seq`,
        )
        .bind(t, a, b, tenantId, c.clients)
        .run(),
    );
    await chunked(c.tasks, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO tasks (id, tenant_id, project_id, title, status, priority, due_date, created_at, updated_at)
           SELECT ${uuidSql(1, "i")}, ?4, ${uuidSql(2, "i % ?5")}, 'Task ' || i,
             CASE i % 4 WHEN 0 THEN 'todo' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'review' ELSE 'done' END,
             CASE i % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' ELSE 'high' END,
             date('2026-01-01', '+' || (i % 365) || ' days'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' seconds'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' seconds') FROM seq`,
        )
        .bind(t, a, b, tenantId, c.projects)
        .run(),
    );
    await chunked(c.leads, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO leads (id, tenant_id, client_id, title, stage, value_cents, created_at, updated_at)
           SELECT ${uuidSql(4, "i")}, ?4, ${uuidSql(3, "i % ?5")}, 'Lead ' || i,
             CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'qualified' WHEN 2 THEN 'proposal' WHEN 3 THEN 'won' ELSE 'lost' END,
             1000 * i, strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes') FROM seq`,
        )
        .bind(t, a, b, tenantId, c.clients)
        .run(),
    );
    // notes (migrations/0009): one per lead, on that lead and one of the clients
    await chunked(c.leads, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO notes (id, tenant_id, client_id, lead_id, body, created_at, updated_at)
           SELECT ${uuidSql(6, "i")}, ?4, ${uuidSql(3, "i % ?5")}, ${uuidSql(4, "i")}, 'Note ' || i,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes') FROM seq`,
        )
        .bind(t, a, b, tenantId, c.clients)
        .run(),
    );
    await chunked(c.audit, (a, b) =>
      db
        .prepare(
          `${seq} INSERT INTO audit_log (id, tenant_id, actor_type, actor_id, action, entity, entity_id, created_at)
           SELECT ${uuidSql(5, "i")}, ?4, 'system', 'bench', 'tasks.create', 'tasks', ${uuidSql(1, "i")},
             strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || i || ' minutes') FROM seq`,
        )
        .bind(t, a, b, tenantId)
        .run(),
    );
  }
  return ids;
}
