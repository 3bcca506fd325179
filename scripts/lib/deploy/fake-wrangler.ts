/**
 * A local fake of the `wrangler` commands the deploy and the doctor run against Cloudflare (tests only: there
 * is no Cloudflare here). Same arguments, same output shapes as wrangler 4.164 (JSON where wrangler prints JSON,
 * the labelled blocks of `r2 bucket list`, its "not found" error for the secrets of a missing worker). The account
 * lives in a JSON file (FAKE_WRANGLER_STATE) that the test reads back. It refuses what Cloudflare would refuse:
 * a config with ids that do not exist, a service binding to a worker not deployed, a second database of one name.
 *   node scripts/lib/deploy/fake-wrangler.ts <wrangler arguments>
 */
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export type FakeAccount = {
  d1: Array<{ uuid: string; name: string; created_at: string; applied: string[] }>;
  kv: Array<{ id: string; title: string }>;
  r2: Array<{ name: string; creation_date: string }>;
  workers: Record<
    string,
    { secrets: string[]; routes: unknown[]; crons: string[]; deployments: number; migrations: string[] }
  >;
  calls: string[][];
  /** Rows answered to `d1 execute --command` by exact SQL (the doctor's cron and mail checks). */
  rows?: Record<string, Array<Record<string, unknown>>>;
  /** Commands that fail, for fault tests: the first argument words, e.g. "deploy". */
  fail?: string[];
};

export const emptyAccount = (): FakeAccount => ({ d1: [], kv: [], r2: [], workers: {}, calls: [] });

const stateFile = process.env.FAKE_WRANGLER_STATE;

function main(argv: string[]): void {
  if (!stateFile) throw new Error("FAKE_WRANGLER_STATE is not set");
  const account: FakeAccount = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, "utf8")) as FakeAccount)
    : emptyAccount();
  account.calls.push(argv);
  const save = () => writeFileSync(stateFile, JSON.stringify(account, null, 2));
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const fail = (message: string): never => {
    save();
    process.stderr.write(`✘ [ERROR] ${message}\n`);
    process.exit(1);
  };
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const [a, b, c, d] = argv;
  if (account.fail?.includes([a, b].filter(Boolean).join(" ")) || account.fail?.includes(a ?? ""))
    fail(`A request to the Cloudflare API failed (fault injected: ${a} ${b ?? ""})`);
  const readConfig = (): Record<string, unknown> => {
    const path = flag("--config");
    if (!path) return fail("this fake needs --config");
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  };
  const now = new Date().toISOString();
  const banner = "\n ⛅️ wrangler 4.164.0 (fake)\n───────────────────";

  if (a === "d1" && b === "list") {
    out(
      JSON.stringify(
        account.d1.map(({ applied: _a, ...db }) => db),
        null,
        2,
      ),
    );
  } else if (a === "d1" && b === "create" && c) {
    if (account.d1.some((db) => db.name === c)) fail(`A database with that name already exists [code: 7502]`);
    const uuid = randomUUID();
    account.d1.push({ uuid, name: c, created_at: now, applied: [] });
    out(
      `${banner}\n✅ Successfully created DB '${c}'\n\n{\n  "d1_databases": [{ "binding": "DB", "database_name": "${c}", "database_id": "${uuid}" }]\n}`,
    );
  } else if (a === "kv" && b === "namespace" && c === "list") {
    out(
      JSON.stringify(
        account.kv.map((n) => ({ ...n, supports_url_encoding: true })),
        null,
        "  ",
      ),
    );
  } else if (a === "kv" && b === "namespace" && c === "create" && d) {
    if (account.kv.some((n) => n.title === d)) fail(`A KV namespace with the title "${d}" already exists.`);
    account.kv.push({ id: randomUUID().replaceAll("-", ""), title: d });
    out(`${banner}\n🌀 Creating namespace with title "${d}"\n✨ Success!`);
  } else if (a === "r2" && b === "bucket" && c === "list") {
    out(`${banner}\nListing buckets...`);
    out(account.r2.map((r) => `name:           ${r.name}\ncreation_date:  ${r.creation_date}`).join("\n\n"));
  } else if (a === "r2" && b === "bucket" && c === "create" && d) {
    if (account.r2.some((r) => r.name === d))
      fail(`The bucket you tried to create already exists [code: 10004]`);
    account.r2.push({ name: d, creation_date: now });
    out(
      `${banner}\nCreating bucket '${d}'...\n✅ Created bucket '${d}' with default storage class of Standard.`,
    );
  } else if (a === "d1" && b === "migrations" && c === "apply" && d) {
    if (!argv.includes("--remote")) fail("this fake only knows --remote");
    const config = readConfig();
    const entry = (config.d1_databases as Array<Record<string, string>>).find((x) => x.database_name === d);
    const db = account.d1.find((x) => x.uuid === entry?.database_id);
    if (!entry || !db) throw fail(`Couldn't find a D1 DB with the name or binding '${d}' in your config`);
    const dir = resolve(dirname(flag("--config") ?? "."), entry.migrations_dir ?? "migrations");
    const pending = readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .filter((f) => !db.applied.includes(f));
    db.applied.push(...pending);
    out(
      pending.length === 0
        ? "✅ No migrations to apply!"
        : `🌀 Applying ${pending.length} migrations\n✅ Applied ${pending.length} migrations`,
    );
  } else if (a === "d1" && b === "execute" && c) {
    const sql = flag("--command") ?? "";
    const db = account.d1.find((x) => x.name === c);
    if (!db) fail(`Couldn't find DB with name '${c}'`);
    const rows = /from\s+d1_migrations/i.test(sql)
      ? (db?.applied ?? []).map((name, i) => ({ id: i + 1, name }))
      : (account.rows?.[sql] ?? []);
    out(JSON.stringify([{ results: rows, success: true, meta: {} }], null, 2));
  } else if (a === "secret" && b === "list") {
    const name = flag("--name") ?? "";
    const w = account.workers[name];
    if (!w)
      fail(
        `Worker "${name}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`,
      );
    out(
      JSON.stringify(
        (w?.secrets ?? []).map((s) => ({ name: s, type: "secret_text" })),
        null,
        "  ",
      ),
    );
  } else if (a === "deploy") {
    const config = readConfig();
    const name = String(config.name);
    for (const x of (config.d1_databases as Array<Record<string, string>> | undefined) ?? [])
      if (!account.d1.some((db) => db.uuid === x.database_id))
        fail(`binding ${x.binding}: no D1 database with id ${x.database_id} [code: 10181]`);
    for (const x of (config.kv_namespaces as Array<Record<string, string>> | undefined) ?? [])
      if (!account.kv.some((n) => n.id === x.id))
        fail(`binding ${x.binding}: KV namespace '${x.id}' is not valid [code: 10041]`);
    for (const x of (config.r2_buckets as Array<Record<string, string>> | undefined) ?? [])
      if (!account.r2.some((r) => r.name === x.bucket_name))
        fail(`R2 bucket '${x.bucket_name}' not found [code: 10085]`);
    for (const x of (config.services as Array<Record<string, string>> | undefined) ?? [])
      if (!account.workers[x.service ?? ""])
        fail(`Could not resolve service binding '${x.binding}': '${x.service}' not found [code: 10143]`);
    account.workers[name] ??= {
      secrets: [],
      routes: [],
      crons: [],
      deployments: 0,
      migrations: [],
    };
    const w = account.workers[name];
    const secretsFile = flag("--secrets-file");
    if (secretsFile) {
      const added = Object.keys(JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>);
      w.secrets = [...new Set([...w.secrets, ...added])]; // additive, as wrangler documents
    }
    w.routes = (config.routes as unknown[] | undefined) ?? [];
    w.crons = (config.triggers as { crons?: string[] } | undefined)?.crons ?? [];
    for (const m of (config.migrations as Array<{ tag: string }> | undefined) ?? [])
      if (!w.migrations.includes(m.tag)) w.migrations.push(m.tag);
    w.deployments += 1;
    out(
      `${banner}\nUploaded ${name}\nDeployed ${name} triggers\n  ${w.routes.length} routes\nCurrent Version ID: ${randomUUID()}`,
    );
  } else {
    fail(`this fake does not know: wrangler ${argv.join(" ")}`);
  }
  save();
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
