/**
 * Per-tenant backup and restore (docs/decisions/011): one tenant's rows, in a JSON document that another
 * database (empty, same migrations) can take back with equal row counts and checksums per table. The basis of
 * a client's export of their project.
 *
 * What is in it: the tenant row; every row of every table that has a `tenant_id` column (read from the live
 * schema, so a table added by a later migration is included without a change here); the users those rows
 * point to (members, assignees, inviters), without their password hashes unless asked; nothing global that
 * belongs to people rather than the project (personal access tokens, saved views, sign-in hand-offs).
 * The counters that triggers derive from those rows (records/entities.ts `derivedTables`, and the global
 * `globalDerivedTables`, agency_counts, which has no tenant_id anyway) and the search index
 * (search/fts.ts `searchIndexTables`: an FTS5 table has no tenant_id, and whole-database tools refuse virtual
 * tables) are left out: an import's inserts rebuild both, through the same triggers as any write. Rows are ordered by primary key; each table carries its row count and the SHA-256 of its rows as canonical
 * JSON, checked again after an import.
 */
import { DomainError } from "../kernel/errors.ts";
import { nowIso } from "../kernel/ids.ts";
import { derivedTables, globalDerivedTables } from "../records/entities.ts";
import { searchIndexTables } from "../search/fts.ts";

/** Tables rebuilt from the others by triggers: never in a file. */
const rebuiltTables: readonly string[] = [...derivedTables, ...globalDerivedTables, ...searchIndexTables];

export const BACKUP_FORMAT = "fataplus-tenant-export/1";

type Value = string | number | null | { base64: string };
export type TableDump = { columns: string[]; rows: Value[][]; count: number; sha256: string };
export type TenantBackup = {
  format: typeof BACKUP_FORMAT;
  exported_at: string;
  tenant_id: string;
  credentials: boolean;
  tables: Record<string, TableDump>;
};

type Column = { name: string; pk: number };
type ForeignKey = { table: string; from: string; to: string };

const ident = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new DomainError("INTERNAL", `Unexpected name ${name}`);
  return `"${name}"`;
};

async function columnsOf(db: D1Database, table: string): Promise<Column[]> {
  const { results } = await db.prepare(`PRAGMA table_info(${ident(table)})`).all<Column>();
  return results;
}

async function foreignKeys(db: D1Database, table: string): Promise<ForeignKey[]> {
  const { results } = await db.prepare(`PRAGMA foreign_key_list(${ident(table)})`).all<ForeignKey>();
  return results;
}

/** Tables with a tenant_id column, parents before children. */
export async function tenantTables(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
    )
    .all<{ name: string }>();
  const owned: string[] = [];
  for (const { name } of results) {
    if (name === "tenants" || rebuiltTables.includes(name)) continue;
    if ((await columnsOf(db, name)).some((c) => c.name === "tenant_id")) owned.push(name);
  }
  const deps = new Map<string, string[]>();
  for (const t of owned)
    deps.set(
      t,
      (await foreignKeys(db, t)).map((f) => f.table).filter((p) => p !== t && owned.includes(p)),
    );
  const sorted: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (sorted.includes(t) || path.includes(t)) return;
    for (const p of deps.get(t) ?? []) visit(p, [...path, t]);
    sorted.push(t);
  };
  for (const t of owned) visit(t, []);
  return sorted;
}

function encode(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
    const bytes =
      v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return { base64: btoa(s) };
  }
  if (Array.isArray(v)) return encode(Uint8Array.from(v as number[]));
  return String(v);
}

function decode(v: Value): unknown {
  if (v !== null && typeof v === "object") return Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
  return v;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function dumpRows(
  db: D1Database,
  table: string,
  where: string,
  binds: unknown[],
  omit: readonly string[] = [],
): Promise<TableDump> {
  const cols = (await columnsOf(db, table)).filter((c) => !omit.includes(c.name));
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const order = (pk.length > 0 ? pk : cols).map((c) => ident(c.name)).join(", ");
  const columns = cols.map((c) => c.name);
  const { results } = await db
    .prepare(`SELECT ${columns.map(ident).join(", ")} FROM ${ident(table)} WHERE ${where} ORDER BY ${order}`)
    .bind(...binds)
    .raw<unknown[]>()
    .then((rows) => ({ results: rows }));
  const rows = results.map((r) => r.map(encode));
  return { columns, rows, count: rows.length, sha256: await sha256(JSON.stringify([columns, rows])) };
}

/** One tenant's rows. `credentials`: include password hashes (a backup to restore), or not (a client export). */
export async function exportTenant({
  db,
  tenantId,
  credentials = false,
  now = () => new Date(),
}: {
  db: D1Database;
  tenantId: string;
  credentials?: boolean;
  now?: () => Date;
}): Promise<TenantBackup> {
  const tenant = await db.prepare("SELECT id FROM tenants WHERE id = ?").bind(tenantId).first();
  if (!tenant) throw new DomainError("NOT_FOUND", "No such project.");
  const tables: Record<string, TableDump> = {};
  tables.tenants = await dumpRows(db, "tenants", "id = ?", [tenantId]);
  const owned = await tenantTables(db);
  // the users its rows point to, one foreign key at a time (SQLite caps compound SELECTs)
  const userIds = new Set<number>();
  for (const t of owned) {
    tables[t] = await dumpRows(db, t, "tenant_id = ?", [tenantId]);
    for (const fk of await foreignKeys(db, t)) {
      if (fk.table !== "users") continue;
      const { results } = await db
        .prepare(
          `SELECT DISTINCT ${ident(fk.from)} AS id FROM ${ident(t)} WHERE tenant_id = ? AND ${ident(fk.from)} IS NOT NULL`,
        )
        .bind(tenantId)
        .all<{ id: number }>();
      for (const r of results) userIds.add(r.id);
    }
  }
  const omit = credentials ? [] : ["strategy_value"];
  tables.users = await dumpRows(
    db,
    "users",
    "id IN (SELECT value FROM json_each(?))",
    [JSON.stringify([...userIds])],
    omit,
  );
  // users first (memberships point to them), then the tenant, then its tables parents first
  const ordered: Record<string, TableDump> = { users: tables.users, tenants: tables.tenants };
  for (const t of owned) ordered[t] = tables[t] as TableDump;
  return {
    format: BACKUP_FORMAT,
    exported_at: nowIso(now()),
    tenant_id: tenantId,
    credentials,
    tables: ordered,
  };
}

/** Checks a document's shape and checksums before anything is written. */
export async function verifyBackup(doc: unknown): Promise<TenantBackup> {
  const b = doc as TenantBackup;
  if (!b || b.format !== BACKUP_FORMAT || typeof b.tables !== "object" || typeof b.tenant_id !== "string")
    throw new DomainError("VALIDATION", `Not a ${BACKUP_FORMAT} document.`);
  for (const [name, t] of Object.entries(b.tables)) {
    ident(name);
    t.columns.forEach(ident);
    if (t.rows.length !== t.count)
      throw new DomainError("VALIDATION", `${name}: ${t.rows.length} rows, expected ${t.count}.`);
    if ((await sha256(JSON.stringify([t.columns, t.rows]))) !== t.sha256)
      throw new DomainError("VALIDATION", `${name}: the checksum does not match: the file is damaged.`);
  }
  return b;
}

/**
 * Writes a verified document into a database that does not hold this tenant yet (typically an empty one with
 * the same migrations), in one D1 batch: all of it or nothing. Then exports the tenant again from the target
 * and compares row counts and checksums per table.
 */
export async function importTenant({ db, doc }: { db: D1Database; doc: unknown }) {
  const backup = await verifyBackup(doc);
  const exists = await db.prepare("SELECT 1 FROM tenants WHERE id = ?").bind(backup.tenant_id).first();
  if (exists) throw new DomainError("CONFLICT", "This database already holds this project.");
  const statements: D1PreparedStatement[] = [db.prepare("PRAGMA defer_foreign_keys = ON")];
  for (const [table, t] of Object.entries(backup.tables)) {
    if (t.rows.length === 0) continue;
    const perRow = t.columns.length;
    const rowsPerStatement = Math.max(1, Math.floor(100 / perRow)); // D1 binds at most 100 values
    for (let i = 0; i < t.rows.length; i += rowsPerStatement) {
      const chunk = t.rows.slice(i, i + rowsPerStatement);
      const values = chunk.map(() => `(${t.columns.map(() => "?").join(", ")})`).join(", ");
      statements.push(
        db
          .prepare(`INSERT INTO ${ident(table)} (${t.columns.map(ident).join(", ")}) VALUES ${values}`)
          .bind(...chunk.flat().map(decode)),
      );
    }
  }
  await db.batch(statements);
  const again = await exportTenant({ db, tenantId: backup.tenant_id, credentials: backup.credentials });
  const report = Object.entries(backup.tables).map(([table, t]) => ({
    table,
    rows: t.count,
    restoredRows: again.tables[table]?.count ?? 0,
    sha256: t.sha256,
    same: again.tables[table]?.sha256 === t.sha256 && again.tables[table]?.count === t.count,
  }));
  return { tenantId: backup.tenant_id, tables: report, ok: report.every((r) => r.same) };
}
