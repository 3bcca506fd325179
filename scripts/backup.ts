// Per-tenant backup and restore of a local D1 (docs/decisions/011-concurrency-backup-and-benchmarks.md).
//
//   pnpm backup:export -- --tenant acme [--out acme.json] [--credentials] [--persist-to .wrangler/state]
//   pnpm backup:import -- --in acme.json [--persist-to other-state]
//   pnpm restore -- --r2 backups/<date>/<tenant id>.json [--r2-persist-to .wrangler/state] [--persist-to other-state]
//
// export: one tenant (subdomain or FP- id) as a fataplus-tenant-export/1 JSON document: every table with a
//         tenant_id column, the tenant row, and the users its rows point to (password hashes only with
//         --credentials: without, the file is a client's export of their project).
// import: into a database that does not hold this tenant (an empty one: migrations are applied first), in one
//         D1 batch, then re-exported and compared: row counts and SHA-256 per table are printed.
// restore: import, from a nightly backup file in the local R2 bucket (src/jobs/backups.ts; --r2-persist-to is the
//         state that holds the bucket, default .wrangler/state). Production files: fetch one first with
//         `npx wrangler r2 object get fataplus-documents/<key> --remote --file t.json`, then import it.
// The database is the local one that `pnpm start` / wrangler use (--persist-to, default .wrangler/state).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
// from their own modules: Node strips types only, and the package index reaches syntax it cannot strip
import { exportTenant, findTenant, importTenant } from "@fataplus/domain";
import { getPlatformProxy } from "wrangler";
import { backendDir, migrate, root } from "./lib/stack.ts";

const [command, ...rest] = process.argv.slice(2).filter((a) => a !== "--");
const { values } = parseArgs({
  args: rest,
  options: {
    tenant: { type: "string" },
    out: { type: "string" },
    in: { type: "string" },
    r2: { type: "string" },
    "r2-persist-to": { type: "string", default: join(root, ".wrangler/state") },
    credentials: { type: "boolean", default: false },
    "persist-to": { type: "string", default: join(root, ".wrangler/state") },
  },
});
const persistTo = resolve(values["persist-to"]);
if (command !== "export" && command !== "import") {
  console.error(
    "usage: node scripts/backup.ts export --tenant <subdomain|id> [--out file] [--credentials] [--persist-to dir]",
  );
  console.error("       node scripts/backup.ts import --in file [--persist-to dir]");
  process.exit(2);
}
if (command === "import") migrate(persistTo); // an empty target gets the schema first (no-op when present)

/** A nightly backup file, from the R2 bucket of a local state (it may be another state than the target's). */
async function fromR2(key: string): Promise<string> {
  const source = await getPlatformProxy<{ BUCKET: R2Bucket }>({
    configPath: join(backendDir, "wrangler.toml"),
    persist: { path: join(resolve(values["r2-persist-to"] ?? ""), "v3") },
  });
  try {
    const object = await source.env.BUCKET.get(key);
    if (!object) throw new Error(`no object ${key} in the bucket of ${values["r2-persist-to"]}`);
    return await object.text();
  } finally {
    await source.dispose();
  }
}

const proxy = await getPlatformProxy<{ DB: D1Database }>({
  configPath: join(backendDir, "wrangler.toml"),
  persist: { path: join(persistTo, "v3") }, // where `wrangler … --persist-to` keeps its state
});
try {
  const db = proxy.env.DB;
  if (command === "export") {
    if (!values.tenant) throw new Error("--tenant is required");
    const tenant = await findTenant({ db, ref: values.tenant });
    if (!tenant) throw new Error(`no tenant "${values.tenant}" in ${persistTo}`);
    const backup = await exportTenant({ db, tenantId: tenant.id, credentials: values.credentials });
    const out = resolve(values.out ?? `${tenant.subdomain}-${backup.exported_at.slice(0, 10)}.json`);
    writeFileSync(out, `${JSON.stringify(backup)}\n`);
    console.log(`exported ${tenant.subdomain} (${tenant.id}) to ${out}`);
    for (const [table, t] of Object.entries(backup.tables))
      console.log(`  ${table.padEnd(16)} ${String(t.count).padStart(7)} rows  sha256 ${t.sha256}`);
  } else {
    if (!values.in && !values.r2) throw new Error("--in <file> or --r2 <key> is required");
    const text = values.in ? readFileSync(resolve(values.in), "utf8") : await fromR2(values.r2 ?? "");
    const result = await importTenant({ db, doc: JSON.parse(text) });
    console.log(`imported ${result.tenantId} into ${persistTo}`);
    for (const r of result.tables)
      console.log(
        `  ${r.table.padEnd(16)} ${String(r.rows).padStart(7)} rows → ${String(r.restoredRows).padStart(7)}  ${r.same ? "same checksum" : "DIFFERENT"}`,
      );
    if (!result.ok) process.exitCode = 1;
  }
} finally {
  await proxy.dispose();
}
