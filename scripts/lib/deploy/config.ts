/**
 * The production configurations, generated: the committed wrangler.toml files keep placeholder ids, and
 * `npm run deploy` writes what Cloudflare gave it (the D1 and KV ids) into git-ignored files beside them:
 *   backend-integration/fataplus-bknd-backend/wrangler.production.json  the API worker, [env.production] flattened
 *   apps/web/dist/server/wrangler.production.json                       the built site + its production routes
 *   .deploy/production.json                                             the ids found or created, the mail choice
 * Relative paths (main, migrations_dir, assets) are rebased on the output file's folder, so a configuration
 * is valid wherever it is written (tests write theirs to a temporary folder).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parse } from "smol-toml";
import { backendDir, root, webDir } from "../stack.ts";

export type Paths = {
  apiToml: string;
  apiOut: string;
  webToml: string;
  /** What `astro build` writes: the site's deployable config (dist/server/wrangler.json). */
  webBuilt: string;
  webOut: string;
  state: string;
  migrationsDir: string;
};

export const defaultPaths: Paths = {
  apiToml: join(backendDir, "wrangler.toml"),
  apiOut: join(backendDir, "wrangler.production.json"),
  webToml: join(webDir, "wrangler.toml"),
  webBuilt: join(webDir, "dist/server/wrangler.json"),
  webOut: join(webDir, "dist/server/wrangler.production.json"),
  state: join(root, ".deploy/production.json"),
  migrationsDir: join(root, "migrations"),
};

/** What the account holds for this platform, remembered between runs (git-ignored). */
export type State = {
  d1?: { name: string; id: string };
  /** One namespace per KV binding of the API worker, by binding name. */
  kv?: Record<string, { title: string; id: string }>;
  r2?: string;
  /** "resend" when the worker has a RESEND_API_KEY, "outbox" otherwise (mail stays in D1). */
  mail?: "resend" | "outbox";
  /** Optional secrets the operator left empty: not asked again (give them in the environment to set them). */
  declined?: string[];
};

export function readState(paths: Paths): State {
  return existsSync(paths.state) ? (JSON.parse(readFileSync(paths.state, "utf8")) as State) : {};
}
export function writeState(paths: Paths, state: State): void {
  mkdirSync(dirname(paths.state), { recursive: true });
  writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keys an environment does not inherit from the top level (wrangler's rule): bindings and vars. */
const NOT_INHERITED = new Set([
  "vars",
  "define",
  "d1_databases",
  "kv_namespaces",
  "r2_buckets",
  "durable_objects",
  "services",
  "ratelimits",
  "analytics_engine_datasets",
  "queues",
  "ai",
  "send_email",
]);

/** One environment of a wrangler.toml as a flat config, as `wrangler deploy --env <name>` would read it. */
export function flatten(top: Obj, env: string): Obj {
  const { env: envs, ...base } = top;
  const overrides = isObj(envs) && isObj(envs[env]) ? envs[env] : {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(base)) if (!NOT_INHERITED.has(k)) out[k] = v;
  return { ...out, ...overrides, name: overrides.name ?? base.name }; // no "-production" suffix: one name
}

const rebase = (p: string, from: string, to: string) =>
  isAbsolute(p) ? relative(to, p) : relative(to, resolve(from, p)) || ".";

export type Ids = { d1: string; kv: Record<string, string> };

/** The KV bindings the API worker's production config declares (none today: decision 029). */
export const kvBindingsOf = (paths: Paths): string[] =>
  ((flatten(readToml(paths.apiToml), "production").kv_namespaces as Obj[] | undefined) ?? []).map((k) =>
    String(k.binding),
  );

/** The namespace's title on the account: fataplus-<binding>, e.g. OAUTH_KV → fataplus-oauth-kv. */
export const kvTitle = (binding: string) => `fataplus-${binding.toLowerCase().replaceAll("_", "-")}`;

export const readToml = (path: string): Obj => parse(readFileSync(path, "utf8")) as Obj;

/** The API worker's production config, with the real ids (or the placeholders, for a dry run). */
export function apiConfig(paths: Paths, ids: Partial<Ids>, mail: "resend" | "outbox"): Obj {
  const from = dirname(paths.apiToml);
  const to = dirname(paths.apiOut);
  const c = flatten(readToml(paths.apiToml), "production");
  if (typeof c.main === "string") c.main = rebase(c.main, from, to);
  if (isObj(c.assets) && typeof c.assets.directory === "string")
    c.assets = { ...c.assets, directory: rebase(c.assets.directory, from, to) };
  c.d1_databases = ((c.d1_databases as Obj[] | undefined) ?? []).map((d) => ({
    ...d,
    ...(ids.d1 ? { database_id: ids.d1 } : {}),
    ...(typeof d.migrations_dir === "string" ? { migrations_dir: rebase(d.migrations_dir, from, to) } : {}),
  }));
  c.kv_namespaces = ((c.kv_namespaces as Obj[] | undefined) ?? []).map((k) => ({
    ...k,
    ...(ids.kv?.[String(k.binding)] ? { id: ids.kv[String(k.binding)] } : {}),
  }));
  c.vars = { ...(isObj(c.vars) ? c.vars : {}), MAIL_PROVIDER: mail };
  return c;
}

/** The site's production config: what `astro build` wrote, plus the routes of [env.production]. */
export function webConfig(paths: Paths): Obj {
  const built = JSON.parse(readFileSync(paths.webBuilt, "utf8")) as Obj;
  const from = dirname(paths.webBuilt);
  const to = dirname(paths.webOut);
  // Astro's copy names the machine's paths of the source config: not needed to deploy, not written again.
  const { configPath: _c, userConfigPath: _u, ...c } = built;
  if (typeof c.main === "string") c.main = rebase(c.main, from, to);
  if (isObj(c.assets) && typeof c.assets.directory === "string")
    c.assets = { ...c.assets, directory: rebase(c.assets.directory, from, to) };
  const production = flatten(readToml(paths.webToml), "production");
  c.routes = production.routes ?? [];
  return c;
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export type Route = { pattern: string; custom_domain?: boolean; zone_name?: string };

export const routesOf = (c: Obj): Route[] => (c.routes as Route[] | undefined) ?? [];

export function describeRoute(r: Route): string {
  if (r.custom_domain) return `${r.pattern} (custom domain)`;
  return `${r.pattern}${r.zone_name ? ` (route, zone ${r.zone_name})` : " (route)"}`;
}
