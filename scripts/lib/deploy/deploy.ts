/**
 * `npm run deploy`: a Cloudflare account from nothing to a running platform, safe to run again.
 *  1. find or create the D1 database, the R2 bucket and one KV namespace per KV binding (none today), by name:
 *     a re-run finds them
 *  2. write the production configs with their ids (git-ignored, scripts/lib/deploy/config.ts)
 *  3. apply the pending D1 migrations remotely
 *  4. ask for each missing secret of the API worker (or take it from the environment), upload them with it
 *  5. deploy the API worker (route bknd.fata.plus, cron, Durable Object migrations), then the site
 *     (fata.plus, www.fata.plus, *.fata.plus/* for the portals): the site's service binding needs the API first
 * `--dry-run` builds both workers for production and prints the plan, without a single call to Cloudflare.
 * Cloudflare is reached only through `Cloud` (scripts/lib/deploy/cloud.ts), so all of this is tested offline.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cloud } from "./cloud.ts";
import {
  apiConfig,
  defaultPaths,
  describeRoute,
  kvBindingsOf,
  kvTitle,
  type Paths,
  readState,
  routesOf,
  type State,
  webConfig,
  writeJson,
  writeState,
} from "./config.ts";

export type SecretSpec = {
  name: string;
  /** Enter on the prompt gives a random 48-byte value. */
  generate: boolean;
  /** Without it the platform does not start (config.ts refuses it, or a feature answers 500). */
  required: boolean;
  what: string;
};

/** The API worker's secrets (backend-integration/fataplus-bknd-backend/.dev.vars.example). */
export const SECRETS: SecretSpec[] = [
  { name: "JWT_SECRET", generate: true, required: true, what: "signs the session tokens" },
  {
    name: "FILES_SIGNING_SECRET",
    generate: true,
    required: true,
    what: "signs download links and WebSocket tickets",
  },
  { name: "MFA_SECRET", generate: true, required: true, what: "seals the two-step verification secrets" },
  {
    name: "RESEND_API_KEY",
    generate: false,
    required: false,
    what: "Resend API key; empty keeps mail in the D1 outbox (/crm/outbox)",
  },
  {
    name: "ANALYTICS_ACCOUNT_ID",
    generate: false,
    required: false,
    what: "the account id, for the usage dashboard's Analytics Engine queries; empty: no figures in production",
  },
  {
    name: "ANALYTICS_API_TOKEN",
    generate: false,
    required: false,
    what: "an API token with Account Analytics Read, for the same queries; empty: no figures in production",
  },
];

export const NAMES = { d1: "fataplus-db", r2: "fataplus-documents" } as const;
export const WORKERS = { api: "fataplus-bknd", web: "fataplus-web" } as const;

/** Asks one question; `secret` answers are not echoed. "" when nothing was typed. */
export type Ask = (question: string, options: { secret: boolean }) => Promise<string>;

export type DeployOptions = {
  cloud: Cloud;
  ask: Ask;
  log: (line: string) => void;
  /** Builds the site (astro build) before its config is generated. */
  buildWeb: () => void | Promise<void>;
  /** Values taken without asking (the process environment: JWT_SECRET=… npm run deploy). */
  given?: Record<string, string | undefined>;
  paths?: Paths;
};

export class DeployError extends Error {}

const migrationCount = (dir: string) => readdirSync(dir).filter((f) => /^\d{4}_.*\.sql$/.test(f)).length;

/** The plan, as printed by both the dry run and the real run (from the generated configs: no guessing). */
export function plan(
  paths: Paths,
  api: Record<string, unknown>,
  web: Record<string, unknown> | null,
): string[] {
  const lines = [
    `D1 database ${NAMES.d1}: find or create (binding DB)`,
    `R2 bucket ${NAMES.r2}: find or create (binding BUCKET)`,
  ];
  for (const k of (api.kv_namespaces as Array<{ binding: string }> | undefined) ?? [])
    lines.splice(1, 0, `KV namespace ${kvTitle(k.binding)}: find or create (binding ${k.binding})`);
  for (const ds of (api.analytics_engine_datasets as
    | Array<{ binding: string; dataset: string }>
    | undefined) ?? [])
    lines.push(`Analytics Engine dataset ${ds.dataset}: created by its first write (binding ${ds.binding})`);
  const dos = (api.migrations as Array<{ tag: string; new_sqlite_classes?: string[] }> | undefined) ?? [];
  lines.push(
    `Durable Object migrations: ${dos.map((m) => `${m.tag} (${(m.new_sqlite_classes ?? []).join(", ")})`).join(", ") || "none"}, applied by wrangler deploy`,
  );
  lines.push(
    `D1 migrations: ${migrationCount(paths.migrationsDir)} files in migrations/, the pending ones applied remotely`,
  );
  lines.push(`secrets of ${WORKERS.api}: ${SECRETS.map((s) => s.name).join(", ")} (asked for when missing)`);
  const crons = ((api.triggers as { crons?: string[] } | undefined)?.crons ?? []).join(", ");
  lines.push(
    `worker ${WORKERS.api}: ${routesOf(api).map(describeRoute).join(", ") || "no route"}${crons ? `; cron ${crons}` : ""}`,
  );
  if (web) lines.push(`worker ${WORKERS.web}: ${routesOf(web).map(describeRoute).join(", ") || "no route"}`);
  return lines;
}

/** The configs a dry run validates: the stored ids when a deploy already ran, the placeholders otherwise. */
export function writeDryRunConfigs(paths: Paths = defaultPaths): { api: Record<string, unknown> } {
  const state = readState(paths);
  const kv = Object.fromEntries(Object.entries(state.kv ?? {}).map(([b, n]) => [b, n.id]));
  const api = apiConfig(paths, { d1: state.d1?.id, kv }, state.mail ?? "outbox");
  writeJson(paths.apiOut, api);
  return { api };
}

async function findOrCreate<T>(
  what: string,
  list: () => Promise<T[]>,
  match: (t: T) => boolean,
  create: () => Promise<void>,
  log: (l: string) => void,
): Promise<T> {
  const found = (await list()).find(match);
  if (found) {
    log(`found   ${what}`);
    return found;
  }
  await create();
  const created = (await list()).find(match);
  if (!created) throw new DeployError(`${what} was created but is not listed: run the deploy again`);
  log(`created ${what}`);
  return created;
}

export async function deploy(options: DeployOptions): Promise<{ created: string[]; secretsSet: string[] }> {
  const { cloud, ask, log } = options;
  const paths = options.paths ?? defaultPaths;
  const given = options.given ?? {};
  const state: State = readState(paths);
  const created: string[] = [];
  const note = (what: string) => (l: string) => {
    if (l.startsWith("created")) created.push(what);
    log(l);
  };

  // 1. resources, found by name
  const d1 = await findOrCreate(
    `D1 database ${NAMES.d1}`,
    () => cloud.listD1(),
    (d) => d.name === NAMES.d1,
    () => cloud.createD1(NAMES.d1),
    note("d1"),
  );
  const kv: Record<string, { title: string; id: string }> = {};
  for (const binding of kvBindingsOf(paths)) {
    const title = kvTitle(binding);
    kv[binding] = await findOrCreate(
      `KV namespace ${title}`,
      () => cloud.listKv(),
      (n) => n.title === title,
      () => cloud.createKv(title),
      note("kv"),
    );
  }
  await findOrCreate(
    `R2 bucket ${NAMES.r2}`,
    () => cloud.listR2(),
    (b) => b === NAMES.r2,
    () => cloud.createR2(NAMES.r2),
    note("r2"),
  );
  state.d1 = { name: d1.name, id: d1.id };
  state.kv = kv;
  state.r2 = NAMES.r2;
  writeState(paths, state);

  // 4 (asked before anything is deployed: a worker never runs without its secrets)
  const existing = new Set(await cloud.listSecrets(paths.apiToml, WORKERS.api));
  const toSet: Record<string, string> = {};
  for (const s of SECRETS) {
    if (existing.has(s.name)) continue;
    if (!s.required && state.declined?.includes(s.name) && given[s.name] === undefined) continue; // chosen before
    let value = given[s.name] ?? "";
    if (!value) {
      const hint = s.generate ? "Enter: a random value" : s.required ? "required" : "Enter: none";
      value = (await ask(`${s.name} (${s.what}) [${hint}]: `, { secret: true })).trim();
    }
    if (!value && s.generate) value = randomBytes(48).toString("base64url");
    if (!value && s.required) throw new DeployError(`${s.name} is required: nothing was deployed`);
    if (s.generate && value.length < 32) throw new DeployError(`${s.name} must be at least 32 characters`);
    if (value) toSet[s.name] = value;
    else if (!s.required) state.declined = [...new Set([...(state.declined ?? []), s.name])];
  }
  state.declined = (state.declined ?? []).filter((n) => !(n in toSet));
  const hasResend = existing.has("RESEND_API_KEY") || "RESEND_API_KEY" in toSet;
  state.mail = hasResend ? "resend" : "outbox";
  writeState(paths, state);

  // 2. configs with the ids
  const kvIds = Object.fromEntries(Object.entries(kv).map(([b, n]) => [b, n.id]));
  const api = apiConfig(paths, { d1: d1.id, kv: kvIds }, state.mail);
  writeJson(paths.apiOut, api);

  // 3. migrations, remotely (wrangler applies only the pending ones)
  log(`migrations: ${(await cloud.applyMigrations(paths.apiOut, NAMES.d1)).trim().split("\n").at(-1) ?? ""}`);

  // 5. the API worker with its new secrets, then the site
  const secretsDir = mkdtempSync(join(tmpdir(), "fataplus-secrets-"));
  try {
    let secretsFile: string | undefined;
    if (Object.keys(toSet).length > 0) {
      secretsFile = join(secretsDir, "secrets.json");
      writeFileSync(secretsFile, JSON.stringify(toSet), { mode: 0o600 });
      chmodSync(secretsFile, 0o600);
    }
    await cloud.deploy(paths.apiOut, secretsFile ? { secretsFile } : {});
    log(`deployed ${WORKERS.api}${secretsFile ? ` with ${Object.keys(toSet).join(", ")}` : ""}`);
  } finally {
    rmSync(secretsDir, { recursive: true, force: true });
  }
  await options.buildWeb();
  const web = webConfig(paths);
  writeJson(paths.webOut, web);
  await cloud.deploy(paths.webOut);
  log(`deployed ${WORKERS.web}`);
  for (const line of plan(paths, api, web)) log(`  ${line}`);
  log(`done. Check it: npm run doctor`);
  return { created, secretsSet: Object.keys(toSet) };
}
