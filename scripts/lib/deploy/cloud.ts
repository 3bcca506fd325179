/**
 * Everything the deploy and the doctor ask of Cloudflare, as one interface. The one implementation runs
 * wrangler (the real CLI in production; tests give it a local fake command, scripts/lib/deploy/fake-wrangler.ts,
 * that speaks the same arguments and prints the same output). Nothing else in scripts/lib/deploy talks to
 * Cloudflare, so the deploy logic is tested offline.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export type D1Database = { name: string; id: string };
export type KvNamespace = { title: string; id: string };

export interface Cloud {
  listD1(): Promise<D1Database[]>;
  createD1(name: string): Promise<void>;
  listKv(): Promise<KvNamespace[]>;
  createKv(title: string): Promise<void>;
  listR2(): Promise<string[]>;
  createR2(name: string): Promise<void>;
  /** Applies the pending migrations of `database` (the config names its migrations_dir), remotely. */
  applyMigrations(config: string, database: string): Promise<string>;
  /** Rows of one read-only statement on the remote database. */
  d1Query(config: string, database: string, sql: string): Promise<Array<Record<string, unknown>>>;
  /** The names of a worker's secrets; [] when the worker does not exist yet. */
  listSecrets(config: string, worker: string): Promise<string[]>;
  /** Uploads a worker (with its routes, crons, Durable Object migrations) and, additively, new secrets. */
  deploy(
    config: string,
    options: { secretsFile?: string; dryRun?: boolean; outdir?: string },
  ): Promise<string>;
}

export class CloudError extends Error {}

/** wrangler prints a banner and colours around its JSON: the JSON value is the part between the brackets. */
export function jsonIn(text: string): unknown {
  const start = text.search(/[[{]/);
  const end = Math.max(text.lastIndexOf("]"), text.lastIndexOf("}"));
  if (start < 0 || end < start) throw new CloudError(`no JSON in wrangler's output: ${text.slice(0, 200)}`);
  return JSON.parse(text.slice(start, end + 1));
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * The real thing: `wrangler` (node_modules/.bin) or any command that behaves like it, e.g. the fake.
 * `command` is the program and its first arguments (["node", "fake-wrangler.ts"]).
 */
export class WranglerCloud implements Cloud {
  private readonly command: string[];
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  constructor(command: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
    this.command = command;
    this.cwd = cwd;
    this.env = env;
  }

  private async wrangler(args: string[]): Promise<string> {
    const [cmd, ...first] = this.command;
    if (!cmd) throw new CloudError("no wrangler command");
    try {
      const { stdout } = await run(cmd, [...first, ...args], {
        cwd: this.cwd,
        env: { ...this.env, CI: "true", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout.replace(ansi, "");
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string; message: string };
      const detail = `${err.stderr ?? ""}\n${err.stdout ?? ""}`.replace(ansi, "").trim() || err.message;
      throw new CloudError(`wrangler ${args.slice(0, 3).join(" ")} failed: ${detail.slice(-1500)}`);
    }
  }

  async listD1(): Promise<D1Database[]> {
    const list = jsonIn(await this.wrangler(["d1", "list", "--json"])) as Array<{
      name: string;
      uuid: string;
    }>;
    return list.map((d) => ({ name: d.name, id: d.uuid }));
  }
  async createD1(name: string): Promise<void> {
    await this.wrangler(["d1", "create", name]);
  }
  async listKv(): Promise<KvNamespace[]> {
    const list = jsonIn(await this.wrangler(["kv", "namespace", "list"])) as Array<{
      title: string;
      id: string;
    }>;
    return list.map((n) => ({ title: n.title, id: n.id }));
  }
  async createKv(title: string): Promise<void> {
    await this.wrangler(["kv", "namespace", "create", title]);
  }
  async listR2(): Promise<string[]> {
    // `r2 bucket list` has no JSON mode: labelled blocks, "name:  <bucket>" then "creation_date:  <date>"
    const out = await this.wrangler(["r2", "bucket", "list"]);
    return [...out.matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1] ?? "").filter(Boolean);
  }
  async createR2(name: string): Promise<void> {
    await this.wrangler(["r2", "bucket", "create", name]);
  }
  async applyMigrations(config: string, database: string): Promise<string> {
    return this.wrangler(["d1", "migrations", "apply", database, "--remote", "--config", config]);
  }
  async d1Query(config: string, database: string, sql: string): Promise<Array<Record<string, unknown>>> {
    const out = jsonIn(
      await this.wrangler([
        "d1",
        "execute",
        database,
        "--remote",
        "--json",
        "--config",
        config,
        "--command",
        sql,
      ]),
    ) as Array<{ results?: Array<Record<string, unknown>> }>;
    return out[0]?.results ?? [];
  }
  async listSecrets(config: string, worker: string): Promise<string[]> {
    try {
      const list = jsonIn(
        await this.wrangler(["secret", "list", "--format", "json", "--name", worker, "--config", config]),
      ) as Array<{ name: string }>;
      return list.map((s) => s.name);
    } catch (e) {
      if (e instanceof CloudError && /not found/i.test(e.message)) return []; // a first deploy
      throw e;
    }
  }
  async deploy(
    config: string,
    options: { secretsFile?: string; dryRun?: boolean; outdir?: string } = {},
  ): Promise<string> {
    return this.wrangler([
      "deploy",
      "--config",
      config,
      ...(options.secretsFile ? ["--secrets-file", options.secretsFile] : []),
      ...(options.dryRun ? ["--dry-run"] : []),
      ...(options.outdir ? ["--outdir", options.outdir] : []),
    ]);
  }
}
