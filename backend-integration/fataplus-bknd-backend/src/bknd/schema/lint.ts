import { searchIndexTables } from "@fataplus/domain";

/**
 * The tenancy rules of the schema, checked against a live database (docs/decisions/002-schema-ownership.md):
 *  - every table is either tenant-owned (listed in the domain), declared global here, or one of the search
 *    index's tables (listed in the domain: no tenant_id, each row scoped by its token; decision 016);
 *  - a tenant-owned table has tenant_id NOT NULL referencing tenants(id), and an index starting with tenant_id;
 *  - a foreign key from a tenant-owned table to another tenant-owned table is composite and carries tenant_id.
 */
export const GLOBAL_TABLES = [
  "tenants",
  "users",
  "auth_throttle",
  "saved_views",
  "auth_handoffs",
  // one row per signed-in device (migrations/0014_sessions.sql), owned by a user
  "sessions",
  "access_tokens",
  "email_outbox",
  "counter_rollup",
  // the agency-wide counters (migrations/0013_agency_counts.sql): sums over every active tenant, no tenant_id
  "agency_counts",
  "password_resets", // reset links (migrations/0015_password_resets.sql): secrets of an account, never exported
  "user_identities", // single sign-on links (migrations/0017_user_identities.sql)
  "sso_policy", // the agency's sign-in policy, one row (same migration)
  // the second factor (migrations/0016_mfa.sql): secrets and challenges, like users
  "user_totp",
  "user_recovery_codes",
  "mfa_challenges",
  "auth_policy",
  "job_runs", // each run of the cron (migrations/0023_job_runs.sql): no tenant data
  "agency_settings", // the agency's settings, one row (migrations/0019_time_zones.sql): its time zone
  "notification_preferences", // each person's choice per kind (migrations/0020_notifications.sql), like users
  // money (migrations/0021_money.sql): the agency-wide gapless invoice numbering, the agency's legal identity
  "invoice_sequences",
  "agency_billing",
] as const;
/** The full-text index and its shadow tables: derived from tenant rows by triggers, never exported. */
export const INDEX_TABLES: readonly string[] = searchIndexTables;
const IGNORED = /^(sqlite_|_cf_|d1_migrations$)/;

type Col = { name: string; notnull: number };
type Fk = { id: number; seq: number; table: string; from: string; to: string };
type Idx = { name: string };
type IdxCol = { seqno: number; name: string };

export async function lintSchema(db: D1Database, tenantOwned: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const { results: tables } = await db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all<{ name: string }>();
  const names = tables.map((t) => t.name).filter((n) => !IGNORED.test(n));
  for (const t of tenantOwned)
    if (!names.includes(t)) problems.push(`${t}: listed as tenant-owned but missing`);
  for (const t of INDEX_TABLES)
    if (!names.includes(t)) problems.push(`${t}: listed as search index but missing`);

  for (const table of names) {
    const cols = (await db.prepare(`PRAGMA table_info("${table}")`).all<Col>()).results;
    const hasTenant = cols.some((c) => c.name === "tenant_id");
    const owned = tenantOwned.includes(table);
    if (INDEX_TABLES.includes(table)) {
      // scoped by the tenant token in each row, never by a tenant_id a query could forget
      if (owned || hasTenant) problems.push(`${table}: a search index table must not be tenant-owned`);
      continue;
    }
    if (!owned && !(GLOBAL_TABLES as readonly string[]).includes(table)) {
      problems.push(`${table}: neither tenant-owned nor declared global`);
      continue;
    }
    if (!owned) {
      if (hasTenant) problems.push(`${table}: has tenant_id but is not listed as tenant-owned`);
      continue;
    }
    if (!hasTenant) {
      problems.push(`${table}: tenant-owned without tenant_id`);
      continue;
    }
    if (!cols.find((c) => c.name === "tenant_id")?.notnull) problems.push(`${table}: tenant_id is nullable`);

    const fks = (await db.prepare(`PRAGMA foreign_key_list("${table}")`).all<Fk>()).results;
    const tenantFk = fks.some((f) => f.table === "tenants" && f.from === "tenant_id" && f.to === "id");
    if (!tenantFk) problems.push(`${table}: tenant_id does not reference tenants(id)`);
    const byId = new Map<number, Fk[]>();
    for (const f of fks) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
    for (const parts of byId.values()) {
      const target = parts[0]?.table ?? "";
      if (!tenantOwned.includes(target)) continue;
      const carriesTenant = parts.some((p) => p.from === "tenant_id" && p.to === "tenant_id");
      if (!carriesTenant || parts.length < 2) {
        problems.push(
          `${table}: foreign key to ${target} (${parts.map((p) => p.from).join(", ")}) is not composite with tenant_id`,
        );
      }
    }

    const indexes = (await db.prepare(`PRAGMA index_list("${table}")`).all<Idx>()).results;
    let leading = false;
    for (const idx of indexes) {
      const cols = (await db.prepare(`PRAGMA index_info("${idx.name}")`).all<IdxCol>()).results;
      if (cols.find((c) => c.seqno === 0)?.name === "tenant_id") leading = true;
    }
    if (!leading) problems.push(`${table}: no index starts with tenant_id`);
  }
  return problems;
}
