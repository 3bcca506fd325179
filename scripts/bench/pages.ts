/**
 * Pages: the production build served as `pnpm preview` serves it (its own ports), then for each page the
 * gzipped JavaScript it ships (measured on the build output, as the bundle-budget test does) and Lighthouse
 * (scripts/lighthouse.ts: pinned version, Debian's Chromium, median of N runs). A page that does not exist yet
 * (the bootcamp catalogue before its issue lands) is reported as "not available yet" instead of failing.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pageJs } from "../../apps/web/e2e/page-js.ts";
import { fetchAt } from "../../apps/web/e2e/stack.ts";
import { quietEnv, root, startServer, waitForHttp, webDir } from "../lib/stack.ts";
import { type Check, finite, onExit, table } from "./lib.ts";

const DEMO_PASSWORD = "Fataplus-demo-2026!";
type Page = { name: string; host: string; path: string; login?: string };

export type PageResult = {
  page: string;
  url: string;
  available: boolean;
  jsGzipBytes?: number;
  jsLazyBytes?: number;
  lighthouse?: {
    performance: number;
    accessibility: number;
    bestPractices: number;
    seo: number;
    lcp: number;
    cls: number;
    tbt: number;
  };
  error?: string;
};

/** The preview (wrangler dev) sometimes drops a connection under load: try a request three times. */
async function fetchRetry(url: string, init: Parameters<typeof fetchAt>[1] = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchAt(url, init);
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: quietEnv, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args[0] ?? cmd} exited with code ${code}`)),
    );
  });
}

async function cookieFor(origin: string, email: string): Promise<string> {
  const res = await fetchRetry(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export type PagesOptions = {
  runs: number;
  apiPort: number;
  webPort: number;
  /** Reuse apps/web/dist (the test command built it in its bundles step) instead of building the site. */
  noBuild?: boolean;
  /** Lighthouse on the first N pages only (the smoke run: 1); the gzipped JavaScript of every page anyway. */
  lighthousePages?: number;
};

export async function benchPages(opts: PagesOptions) {
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const logs: string[] = [];
  if (opts.noBuild && !existsSync(join(webDir, "dist/client")))
    throw new Error("--no-build: apps/web/dist is missing (build the site first)");
  log(
    `pages: ${opts.noBuild ? "reusing the built site" : "building the site"} and starting the preview stack (fresh seeded D1)…`,
  );
  const preview = startServer(
    "preview",
    join(root, "node_modules/.bin/node"),
    [join(root, "scripts/preview.ts"), ...(opts.noBuild ? ["--no-build"] : [])],
    root,
    (l) => logs.push(l),
    { PREVIEW_API_PORT: String(opts.apiPort), PREVIEW_WEB_PORT: String(opts.webPort) },
  );
  const unregister = onExit(preview.stop);
  const site = `http://localhost:${opts.webPort}`;
  const pages: Page[] = [
    { name: "home (fr)", host: "localhost", path: "/" },
    { name: "home (en)", host: "localhost", path: "/en/" },
    { name: "bootcamp catalogue", host: "localhost", path: "/bootcamp/" },
    { name: "CRM dashboard", host: "localhost", path: "/crm", login: "staff@fata.plus" },
    { name: "CRM leads board", host: "localhost", path: "/crm/leads", login: "staff@fata.plus" },
    { name: "portal home (acme)", host: "acme.localhost", path: "/", login: "client@acme.test" },
  ];
  const results: PageResult[] = [];
  const lighthouseOn = new Set(pages.slice(0, opts.lighthousePages ?? pages.length).map((p) => p.name));
  try {
    await waitForHttp(`${site}/`, preview, 600_000);
    const work = mkdtempSync(join(tmpdir(), "fataplus-bench-pages-"));
    for (const p of pages) {
      const url = `http://${p.host}:${opts.webPort}${p.path}`;
      try {
        const cookie = p.login ? await cookieFor(site, p.login) : "";
        const res = await fetchRetry(url, { headers: cookie ? { cookie } : {} });
        if (res.status === 404) {
          results.push({ page: p.name, url, available: false });
          log(`pages: ${p.name}: not available yet`);
          continue;
        }
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        const js = pageJs(await res.text(), join(webDir, "dist/client"));
        const measured = {
          page: p.name,
          url,
          available: true,
          jsGzipBytes: js.gzipBytes,
          jsLazyBytes: js.lazyBytes,
        };
        if (!lighthouseOn.has(p.name)) {
          results.push(measured);
          continue;
        }
        log(`pages: lighthouse ${p.name} × ${opts.runs}…`);
        const out = join(work, `${results.length}.json`);
        // not a sync call: a SIGTERM (the test command's time limit) must still reach the bench's cleanup
        await run(join(root, "node_modules/.bin/node"), [
          join(root, "scripts/lighthouse.ts"),
          "--runs",
          String(opts.runs),
          "--base",
          `http://${p.host}:${opts.webPort}`,
          "--out",
          out,
          ...(p.login ? ["--login", p.login] : []),
          p.path,
        ]);
        const lh = JSON.parse(readFileSync(out, "utf8")) as {
          results: Array<{ median: PageResult["lighthouse"] }>;
        };
        results.push({ ...measured, ...(lh.results[0]?.median ? { lighthouse: lh.results[0].median } : {}) });
      } catch (e) {
        results.push({ page: p.name, url, available: true, error: String(e).slice(0, 300) });
      }
    }
    rmSync(work, { recursive: true, force: true });
  } catch (e) {
    log(logs.slice(-30).join("\n"));
    throw e;
  } finally {
    unregister();
    await preview.stop();
  }
  const kb = (n?: number) => (n === undefined ? "—" : `${(n / 1024).toFixed(1)} KB`);
  const text = [
    `Lighthouse 13.5 (mobile emulation, simulated throttling), median of ${opts.runs} run(s), Debian's Chromium${lighthouseOn.size < pages.length ? ` (on ${[...lighthouseOn].join(", ")} only: "—" = not run)` : ""}; JavaScript gzipped from the build output (loaded with the page; lazy = imported later on use).`,
    table(
      ["page", "perf", "a11y", "best-pr.", "seo", "LCP ms", "CLS", "TBT ms", "JS gz", "lazy JS gz"],
      results.map((r) =>
        !r.available
          ? [r.page, "not available yet", "", "", "", "", "", "", "", ""]
          : r.error
            ? [r.page, `error: ${r.error}`, "", "", "", "", "", "", "", ""]
            : [
                r.page,
                String(r.lighthouse?.performance ?? "—"),
                String(r.lighthouse?.accessibility ?? "—"),
                String(r.lighthouse?.bestPractices ?? "—"),
                String(r.lighthouse?.seo ?? "—"),
                r.lighthouse ? String(Math.round(r.lighthouse.lcp)) : "—",
                r.lighthouse ? r.lighthouse.cls.toFixed(3) : "—",
                r.lighthouse ? String(Math.round(r.lighthouse.tbt)) : "—",
                kb(r.jsGzipBytes),
                kb(r.jsLazyBytes),
              ],
      ),
    ),
  ].join("\n");
  return { results, text, checks: checks(results, pages.length, lighthouseOn) };
}

/** Smoke checks: every page answered 200 with its JavaScript measured; Lighthouse gave numbers where it ran. */
function checks(results: PageResult[], expected: number, lighthouseOn: Set<string>): Check[] {
  const out: Check[] = results.map((r) => {
    const problems: string[] = [];
    if (!r.available) problems.push("not available (404)");
    if (r.error) problems.push(r.error);
    if (!finite([r.jsGzipBytes, r.jsLazyBytes])) problems.push("no JavaScript figures");
    if (lighthouseOn.has(r.page)) {
      const lh = r.lighthouse ? Object.values(r.lighthouse) : [];
      if (!finite(lh) || lh.length !== 7) problems.push(`Lighthouse figures: ${lh.join(", ") || "none"}`);
    }
    const scenario = `${r.page}${lighthouseOn.has(r.page) ? " (JS, Lighthouse)" : " (JS)"}`;
    return { part: "pages", scenario, ok: problems.length === 0, detail: problems.join("; ") };
  });
  if (results.length !== expected)
    out.push({ part: "pages", scenario: "pages", ok: false, detail: `${results.length}/${expected} pages` });
  return out;
}
