/**
 * Starting and stopping the local stack: migrations on local D1, demo seed, and both workers. Used by the
 * dev command (scripts/dev.ts) and by the end-to-end tests (scripts/test-all.ts).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");
export const backendDir = join(root, "backend-integration/fataplus-bknd-backend");
export const webDir = join(root, "apps/web");
const bin = (name: string) => join(root, "node_modules/.bin", name);

export const quietEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  ASTRO_TELEMETRY_DISABLED: "1",
  BKND_CLI_TELEMETRY: "0",
};

export function migrate(persistTo: string): void {
  execFileSync(
    bin("wrangler"),
    ["d1", "migrations", "apply", "fataplus-db", "--local", "--persist-to", persistTo],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...quietEnv, CI: "true" }, // CI=true: apply without the interactive confirmation
    },
  );
}

function d1Json(persistTo: string, command: string): unknown {
  const out = execFileSync(
    bin("wrangler"),
    ["d1", "execute", "fataplus-db", "--local", "--persist-to", persistTo, "--json", "--command", command],
    { cwd: root, env: quietEnv, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(out);
}

export async function seedIfEmpty(persistTo: string): Promise<boolean> {
  // Empty = no account yet (migration 0008 already creates the bootcamp's tenant).
  const res = d1Json(persistTo, "SELECT count(*) AS n FROM users") as Array<{
    results: Array<{ n: number }>;
  }>;
  if ((res[0]?.results[0]?.n ?? 0) > 0) return false;
  const { demoSql } = await import("./demo-data.ts");
  const dir = join(tmpdir(), `fataplus-seed-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "seed.sql");
  writeFileSync(file, await demoSql());
  execFileSync(
    bin("wrangler"),
    ["d1", "execute", "fataplus-db", "--local", "--persist-to", persistTo, "--file", file],
    {
      cwd: root,
      env: quietEnv,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  // The portal's demo documents: their files go to the local R2 bucket (same persisted state as the worker).
  const { demoFiles } = await import("./demo-data.ts");
  for (const [i, f] of demoFiles().entries()) {
    const path = join(dir, `file-${i}.pdf`);
    writeFileSync(path, f.body);
    execFileSync(
      bin("wrangler"),
      [
        "r2",
        "object",
        "put",
        `fataplus-documents/${f.key}`,
        "--local",
        "--persist-to",
        persistTo,
        "--file",
        path,
      ],
      { cwd: root, env: quietEnv, stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  return true;
}

export type Server = { name: string; child: ChildProcess; stop: () => Promise<void> };

/** Starts a server in its own process group, so that stopping it also stops workerd. */
export function startServer(
  name: string,
  cmd: string,
  args: string[],
  cwd: string,
  log: (line: string) => void,
  env: Record<string, string> = {},
): Server {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...quietEnv, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pipe = (s: NodeJS.ReadableStream | null) =>
    s?.on("data", (buf: Buffer) => {
      for (const line of buf.toString().split("\n")) if (line.trim()) log(`[${name}] ${line}`);
    });
  child.on("error", (e) => log(`[${name}] could not start: ${e.message}`));
  pipe(child.stdout);
  pipe(child.stderr);
  const groupAlive = (pid: number) => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** SIGTERM to the whole group (wrangler, its node and workerd), then SIGKILL whatever is left after 5 s. */
  const stop = async () => {
    const pid = child.pid;
    if (pid === undefined || !groupAlive(pid)) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {}
    for (let waited = 0; waited < 5000 && groupAlive(pid); waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {}
    }
  };
  return { name, child, stop };
}

export async function waitForHttp(url: string, server?: Server, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (server && server.child.exitCode !== null)
      throw new Error(`${server.name} exited with code ${server.child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}

/**
 * Both workers find each other through wrangler's local dev registry. A separate registry (set by the test
 * command) keeps a test stack from hijacking the service binding of a running `npm start`.
 */
export const isolatedRegistry = (dir: string) => ({
  WRANGLER_REGISTRY_PATH: dir,
  MINIFLARE_REGISTRY_PATH: dir,
});

export function startBackend(
  persistTo: string,
  port: number,
  log: (l: string) => void,
  env: Record<string, string> = {},
  /** The site's URL when it isn't the dev default (links in emails point there). */
  siteUrl?: string,
  /** More of the worker's vars (`--var NAME:value`), e.g. the fake sign-in provider's (ssoVars). */
  vars: Record<string, string> = {},
): Server {
  return startServer(
    "api",
    bin("wrangler"),
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
      ...(siteUrl ? ["--var", `PUBLIC_SITE_URL:${siteUrl}`] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    backendDir,
    log,
    env,
  );
}

/** The site as built by `astro build`, served by wrangler (what the test command checks). */
export function startBuiltWeb(
  port: number,
  log: (l: string) => void,
  env: Record<string, string> = {},
): Server {
  return startServer(
    "web",
    bin("wrangler"),
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false"],
    webDir,
    log,
    env,
  );
}

/** The site in development mode (astro dev, hot reload): what `npm start` runs. */
export function startWeb(port: number, log: (l: string) => void): Server {
  return startServer(
    "web",
    join(webDir, "node_modules/.bin/astro"),
    ["dev", "--port", String(port), "--host", "127.0.0.1"],
    webDir,
    log,
  );
}

/** The client the local fake sign-in provider knows (development and the browser tests only: not a secret). */
const FAKE_OIDC_CLIENT = { id: "fataplus-dev", secret: "dev-only-fake-oidc-secret" };

export type FakeProvider = {
  url: string;
  issuer: (kind: "google" | "microsoft") => string;
  stop: () => Promise<void>;
};

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * The local fake OpenID Connect provider (packages/fake-oidc, decision 025), in a process of its own: what
 * "Continuer avec Google (dev)" signs in against under `npm start` and in the browser tests. No real provider
 * is ever called. Port 0: any free port.
 */
export async function startFakeProvider(
  port = 0,
  log: (l: string) => void = () => {},
): Promise<FakeProvider> {
  const chosen = port || (await freePort());
  const server = startServer(
    "oidc",
    process.execPath,
    [
      join(root, "packages/fake-oidc/src/cli.ts"),
      "--port",
      String(chosen),
      "--client",
      `${FAKE_OIDC_CLIENT.id}:${FAKE_OIDC_CLIENT.secret}`,
    ],
    root,
    log,
  );
  const url = `http://127.0.0.1:${chosen}`;
  await waitForHttp(`${url}/google/.well-known/openid-configuration`, server, 20_000);
  return { url, issuer: (kind) => `${url}/${kind}`, stop: server.stop };
}
/** The worker's single sign-on settings for the fake provider: both buttons, labelled "(dev)". */
export function ssoVars(fake: FakeProvider): Record<string, string> {
  return {
    SSO_GOOGLE_ISSUER: fake.issuer("google"),
    SSO_GOOGLE_CLIENT_ID: FAKE_OIDC_CLIENT.id,
    SSO_GOOGLE_CLIENT_SECRET: FAKE_OIDC_CLIENT.secret,
    SSO_GOOGLE_LABEL: "Google (dev)",
    SSO_MICROSOFT_ISSUER: fake.issuer("microsoft"),
    SSO_MICROSOFT_CLIENT_ID: FAKE_OIDC_CLIENT.id,
    SSO_MICROSOFT_CLIENT_SECRET: FAKE_OIDC_CLIENT.secret,
    SSO_MICROSOFT_LABEL: "Microsoft (dev)",
  };
}
