// The read counters of a local D1 (docs/decisions/015-read-counters.md): check them against a recount, or
// repair them.
//
//   pnpm counters:check  [-- --tenant <subdomain|id>] [--persist-to .wrangler/state]
//   pnpm counters:repair [-- --tenant <subdomain|id>] [--persist-to .wrangler/state]
//
// check: prints every counter that differs from a recount of the rows, and exits 1 if there is one.
// repair: recomputes the counters of one tenant (or all) from the rows in one D1 batch, then checks again.
// agency_counts (migration 0013, the active tenants' counters summed: global) is checked against a recount
// without --tenant only, and recomputed by every repair (decision 021).
// In production the same verbs run against the remote D1 (see docs/decisions/015).
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { counterDrift, findTenant, repairCounters } from "@fataplus/domain";
import { getPlatformProxy } from "wrangler";
import { backendDir, migrate, root } from "./lib/stack.ts";

const [command, ...rest] = process.argv.slice(2).filter((a) => a !== "--");
const { values } = parseArgs({
  args: rest,
  options: {
    tenant: { type: "string" },
    "persist-to": { type: "string", default: join(root, ".wrangler/state") },
  },
});
if (command !== "check" && command !== "repair") {
  console.error("usage: node scripts/counters.ts check|repair [--tenant <subdomain|id>] [--persist-to dir]");
  process.exit(2);
}
const persistTo = resolve(values["persist-to"]);
migrate(persistTo); // the counters' tables come with migrations 0010, 0012 and 0013: apply what is missing (no-op when current)
const proxy = await getPlatformProxy<{ DB: D1Database }>({
  configPath: join(backendDir, "wrangler.toml"),
  persist: { path: join(persistTo, "v3") },
});
try {
  const db = proxy.env.DB;
  let tenantId: string | null = null;
  if (values.tenant) {
    const tenant = await findTenant({ db, ref: values.tenant });
    if (!tenant) throw new Error(`no tenant "${values.tenant}"`);
    tenantId = tenant.id;
  }
  const scope = tenantId ?? "every tenant";
  if (command === "repair") {
    const { drift } = await repairCounters({ db, tenantId });
    console.log(`repaired ${drift.length} counter(s) of ${scope}`);
  }
  const drift = await counterDrift({ db, tenantId });
  for (const d of drift.slice(0, 50))
    console.log(`  ${d.table} ${d.row}: stored ${d.stored ?? "—"}, recount ${d.expected ?? "—"}`);
  console.log(`${drift.length} counter(s) of ${scope} differ from a recount`);
  process.exitCode = drift.length === 0 ? 0 : 1;
} finally {
  await proxy.dispose();
}
