import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { backendDir, root, webDir } from "../stack.ts";
import { CloudError, WranglerCloud } from "./cloud.ts";
import { defaultPaths, type Paths, readState } from "./config.ts";
import {
  type Ask,
  DeployError,
  deploy,
  NAMES,
  plan,
  SECRETS,
  WORKERS,
  writeDryRunConfigs,
} from "./deploy.ts";
import { emptyAccount, type FakeAccount } from "./fake-wrangler.ts";

const fake = join(import.meta.dirname, "fake-wrangler.ts");
const migrations = readdirSync(join(root, "migrations")).filter((f) => f.endsWith(".sql"));

let dir: string;
let paths: Paths;
let accountFile: string;
let cloud: WranglerCloud;

const account = (): FakeAccount => JSON.parse(readFileSync(accountFile, "utf8")) as FakeAccount;
const setAccount = (a: FakeAccount) => writeFileSync(accountFile, JSON.stringify(a));

/** Answers the prompts in order, and remembers what was asked. */
function answers(...values: string[]): Ask & { asked: string[] } {
  const asked: string[] = [];
  const ask = async (q: string) => {
    asked.push(q.split(" ")[0] ?? q);
    return values.shift() ?? "";
  };
  return Object.assign(ask, { asked });
}

const run = (ask: Ask, given: Record<string, string> = {}) =>
  deploy({ cloud, ask, log: () => {}, buildWeb: () => {}, given, paths });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fataplus-deploy-test-"));
  accountFile = join(dir, "account.json");
  setAccount(emptyAccount());
  // what `astro build` writes (dist/server/wrangler.json), reduced to what the deploy reads
  mkdirSync(join(dir, "web/dist/server"), { recursive: true });
  writeFileSync(
    join(dir, "web/dist/server/wrangler.json"),
    JSON.stringify({
      configPath: join(webDir, "wrangler.toml"),
      name: WORKERS.web,
      main: "entry.mjs",
      assets: { binding: "ASSETS", directory: "../client" },
      services: [{ binding: "API", service: WORKERS.api }],
      observability: { enabled: true },
    }),
  );
  paths = {
    ...defaultPaths,
    apiOut: join(dir, "api/wrangler.production.json"),
    webBuilt: join(dir, "web/dist/server/wrangler.json"),
    webOut: join(dir, "web/dist/server/wrangler.production.json"),
    state: join(dir, ".deploy/production.json"),
  };
  cloud = new WranglerCloud([process.execPath, fake], dir, {
    ...process.env,
    FAKE_WRANGLER_STATE: accountFile,
  });
});

const generatedApi = () => JSON.parse(readFileSync(paths.apiOut, "utf8")) as Record<string, never>;

describe("npm run deploy, against a fake wrangler", () => {
  it("takes an empty account to both workers running, with ids only in the git-ignored config", async () => {
    const ask = answers("", "", "", "re_test_0123456789", "", "");
    const result = await run(ask);
    expect(result.created).toEqual(["d1", "kv", "r2"]); // one KV binding: OAUTH_KV (CACHE is gone: decision 029)
    expect(ask.asked).toEqual(SECRETS.map((s) => s.name));

    const a = account();
    const db = a.d1.find((d) => d.name === NAMES.d1);
    expect(db?.applied).toEqual([...migrations].sort());
    const api = a.workers[WORKERS.api];
    expect(api?.secrets.sort()).toEqual([
      "FILES_SIGNING_SECRET",
      "JWT_SECRET",
      "MFA_SECRET",
      "RESEND_API_KEY",
    ]);
    expect(api?.routes).toEqual([{ pattern: "bknd.fata.plus", custom_domain: true }]);
    expect(api?.crons).toEqual(["*/5 * * * *", "0 2 * * *"]);
    expect(api?.migrations).toEqual(["v1-portal-hub"]);
    expect(a.workers[WORKERS.web]?.routes).toEqual([
      { pattern: "fata.plus", custom_domain: true },
      { pattern: "www.fata.plus", custom_domain: true },
      { pattern: "*.fata.plus/*", zone_name: "fata.plus" },
    ]);
    // the API went first: the site's service binding needs it (the fake refuses it otherwise)
    const deploys = a.calls.filter((c) => c[0] === "deploy").map((c) => c[c.indexOf("--config") + 1]);
    expect(deploys).toEqual([paths.apiOut, paths.webOut]);

    // the real ids are in the generated config and the state file; the committed wrangler.toml keeps its placeholders
    const generated = generatedApi() as {
      d1_databases: Array<{ database_id: string }>;
      kv_namespaces: Array<{ id: string }>;
      vars: Record<string, string>;
    };
    expect(generated.d1_databases[0]?.database_id).toBe(db?.uuid);
    expect(generated.vars.MAIL_PROVIDER).toBe("resend");
    expect(readState(paths).d1?.id).toBe(db?.uuid);
    const committed = readFileSync(join(backendDir, "wrangler.toml"), "utf8");
    expect(committed).not.toContain(db?.uuid);
    expect(committed).toContain("00000000-0000-4000-8000-00000000f4a7");

    // no path of this machine in the generated configs (relative paths only), no secret anywhere it wrote
    for (const file of [paths.apiOut, paths.webOut, paths.state]) {
      const text = readFileSync(file, "utf8");
      expect(text).not.toMatch(/"\/[^"]*"/); // no absolute path as a value
      expect(text).not.toContain("re_test_0123456789");
    }
    const secretsFile = a.calls.find((c) => c.includes("--secrets-file"));
    expect(secretsFile).toBeDefined();
    expect(existsSync(secretsFile?.[secretsFile.indexOf("--secrets-file") + 1] ?? "")).toBe(false);
  });

  it("runs again safely: finds everything, asks nothing, creates nothing, sets no secret", async () => {
    await run(answers("", "", "", "re_test_0123456789", "", ""));
    const before = account();
    const again = answers();
    const result = await run(again);
    expect(result).toEqual({ created: [], secretsSet: [] });
    expect(again.asked).toEqual([]);
    const a = account();
    const newCalls = a.calls.slice(before.calls.length);
    expect(newCalls.filter((c) => c.includes("create"))).toEqual([]);
    expect(newCalls.some((c) => c.includes("--secrets-file"))).toBe(false);
    expect(a.d1).toHaveLength(1);
    expect(a.kv).toHaveLength(1);
    expect(a.r2).toHaveLength(1);
    expect(a.d1[0]?.applied).toEqual(before.d1[0]?.applied);
    expect(a.workers[WORKERS.api]?.deployments).toBe(2);
    expect(a.workers[WORKERS.web]?.deployments).toBe(2);
  });

  it("finds resources made by hand or by an earlier wrangler, even without its state file", async () => {
    await run(answers("", "", "", "", "", ""));
    const ids = readState(paths);
    writeFileSync(paths.state, "{}");
    await run(answers());
    expect(readState(paths).d1?.id).toBe(ids.d1?.id);
    expect(account().d1).toHaveLength(1);
  });

  it("asks only for the missing secret, and uploads only that one", async () => {
    await run(answers("", "", "", "", "", ""));
    const a = account();
    const w = a.workers[WORKERS.api];
    if (!w) throw new Error("no worker");
    w.secrets = w.secrets.filter((s) => s !== "MFA_SECRET");
    setAccount(a);
    const ask = answers("");
    const result = await run(ask);
    expect(ask.asked).toEqual(["MFA_SECRET"]);
    expect(result.secretsSet).toEqual(["MFA_SECRET"]);
    expect(account().workers[WORKERS.api]?.secrets.sort()).toEqual([
      "FILES_SIGNING_SECRET",
      "JWT_SECRET",
      "MFA_SECRET",
    ]);
  });

  it("keeps mail in the outbox when no Resend key is given, and does not ask again", async () => {
    await run(answers("", "", "", "", "", ""));
    expect(readState(paths)).toMatchObject({
      mail: "outbox",
      declined: ["RESEND_API_KEY", "ANALYTICS_ACCOUNT_ID", "ANALYTICS_API_TOKEN"],
    });
    expect((generatedApi() as { vars: Record<string, string> }).vars.MAIL_PROVIDER).toBe("outbox");
    const again = answers();
    await run(again);
    expect(again.asked).toEqual([]);
    // given later in the environment, it is uploaded and mail switches to Resend
    await run(answers(), { RESEND_API_KEY: "re_later_0123456789" });
    expect((generatedApi() as { vars: Record<string, string> }).vars.MAIL_PROVIDER).toBe("resend");
    expect(account().workers[WORKERS.api]?.secrets).toContain("RESEND_API_KEY");
  });

  it("takes secrets from the environment without asking", async () => {
    const ask = answers();
    const long = "x".repeat(40);
    await run(ask, {
      JWT_SECRET: long,
      FILES_SIGNING_SECRET: long,
      MFA_SECRET: long,
      RESEND_API_KEY: "re_0123",
      ANALYTICS_ACCOUNT_ID: "0123456789abcdef",
      ANALYTICS_API_TOKEN: "analytics-token",
    });
    expect(ask.asked).toEqual([]);
    expect(account().workers[WORKERS.api]?.secrets).toHaveLength(SECRETS.length);
  });

  it("refuses a typed secret that is too short before anything is deployed or migrated", async () => {
    await expect(run(answers("short"))).rejects.toThrow(DeployError);
    const a = account();
    expect(a.workers).toEqual({});
    expect(a.d1[0]?.applied).toEqual([]);
  });

  it("stops on a failed upload, and the next run finishes without creating anything twice", async () => {
    setAccount({ ...emptyAccount(), fail: ["deploy"] });
    await expect(run(answers("", "", "", "", "", ""))).rejects.toThrow(CloudError);
    expect(account().workers).toEqual({});
    setAccount({ ...account(), fail: [] });
    const result = await run(answers("", "", "", "", "", ""));
    expect(result.created).toEqual([]);
    expect(Object.keys(account().workers).sort()).toEqual([WORKERS.api, WORKERS.web]);
  });
});

describe("KV namespaces", () => {
  it("finds or creates one per KV binding of the config (OAUTH_KV), and writes its id", async () => {
    const first = await run(answers("", "", "", "", "", ""));
    expect(first.created).toContain("kv");
    const a = account();
    expect(a.kv.map((n) => n.title)).toEqual(["fataplus-oauth-kv"]);
    const generated = generatedApi() as { kv_namespaces: Array<{ binding: string; id: string }> };
    expect(generated.kv_namespaces).toEqual([{ binding: "OAUTH_KV", id: a.kv[0]?.id }]);
    expect(plan(paths, generated, null).join("\n")).toContain(
      "KV namespace fataplus-oauth-kv: find or create (binding OAUTH_KV)",
    );
    const again = await run(answers());
    expect(again.created).toEqual([]);
    expect(account().kv).toHaveLength(1);
  });
});

describe("npm run deploy -- --dry-run", () => {
  it("writes a production config with the placeholders before any deploy, the stored ids after one", async () => {
    const placeholder = writeDryRunConfigs(paths).api as { d1_databases: Array<{ database_id: string }> };
    expect(placeholder.d1_databases[0]?.database_id).toBe("00000000-0000-4000-8000-00000000f4a7");
    const callsBefore = account().calls.length;
    expect(callsBefore).toBe(0); // the dry run never ran wrangler against the account
    await run(answers("", "", "", "", "", ""));
    const real = writeDryRunConfigs(paths).api as { d1_databases: Array<{ database_id: string }> };
    expect(real.d1_databases[0]?.database_id).toBe(account().d1[0]?.uuid);
  });

  it("plans every resource, route and cron from the generated configs", () => {
    const { api } = writeDryRunConfigs(paths);
    const lines = plan(paths, api, { routes: [{ pattern: "fata.plus", custom_domain: true }] }).join("\n");
    expect(lines).toContain(`D1 database ${NAMES.d1}`);
    expect(lines).toContain(`R2 bucket ${NAMES.r2}`);
    expect(lines).toContain("v1-portal-hub (PortalHub)");
    expect(lines).toContain(`${migrations.length} files in migrations/`);
    expect(lines).toContain("bknd.fata.plus (custom domain); cron */5 * * * *, 0 2 * * *");
    expect(lines).toContain("worker fataplus-web: fata.plus (custom domain)");
  });
});
