/**
 * Pages: the production build served as `pnpm preview` serves it (its own ports), then for each page the
 * gzipped JavaScript it ships (measured on the build output, as the bundle-budget test does) and Lighthouse
 * (scripts/lighthouse.ts: pinned version, Debian's Chromium, median of N runs). A page that does not exist yet
 * (the bootcamp catalogue before its issue lands) is reported as "not available yet" instead of failing.
 *
 * The CRM: every screen (lists, "new" forms, settings, bootcamp staff) and one detail page of each kind, as the
 * agency admin (who reaches all of them). Detail ids are the demo seed's, read from the list pages' links; the
 * seed has no email in the outbox and no submission to review, so the bench makes one of each first, as users
 * would (an invitation to the acme project; the demo learner hands in a link).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pageJs } from "../../apps/web/e2e/page-js.ts";
import { fetchAt } from "../../apps/web/e2e/stack.ts";
import { quietEnv, root, startServer, waitForHttp, webDir } from "../lib/stack.ts";
import { type Check, finite, onExit, table } from "./lib.ts";

const DEMO_PASSWORD = "Fataplus-demo-2026!";
const ADMIN = "admin@fata.plus";
const LEARNER = "learner@bootcamp.test";
/** `path` null: its id could not be found (`error` says why); the page is reported as an error. */
type Page = { name: string; host: string; path: string | null; login?: string; error?: string };

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

/** The first link on `listPath` to a page under `prefix` (`/crm/leads/` → `/crm/leads/acme/<id>`). */
async function firstLink(site: string, cookie: string, listPath: string, prefix: string): Promise<string> {
  const res = await fetchRetry(`${site}${listPath}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${listPath} answered ${res.status}`);
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const m = new RegExp(`href="(${escaped}(?!new")[^"?#]+)"`).exec(await res.text());
  if (!m?.[1]) throw new Error(`no link to ${prefix}… on ${listPath}`);
  return m[1];
}

/** What the demo seed lacks: an email in the outbox (an invitation) and a submission to review. */
async function makeFixtures(site: string, admin: string): Promise<void> {
  const headers = (cookie: string) => ({ "content-type": "application/json", origin: site, cookie });
  const invited = await fetchRetry(`${site}/api/app/project/invitations?tenant=acme`, {
    method: "POST",
    headers: headers(admin),
    body: JSON.stringify({ email: `bench-${Date.now()}@example.test`, role: "client" }),
  });
  if (invited.status !== 201) throw new Error(`invitation (outbox email): ${invited.status}`);
  const learner = await cookieFor(site, LEARNER);
  const bc = (path: string) =>
    `${site}/api/app/bootcamp${path}${path.includes("?") ? "&" : "?"}tenant=bootcamp`;
  const me = (await (await fetchRetry(bc("/me"), { headers: { cookie: learner } })).json()) as {
    enrolments?: Array<{ id: string; status: string }>;
  };
  const enrolment = me.enrolments?.find((e) => e.status === "active")?.id;
  if (!enrolment) throw new Error(`${LEARNER} has no active enrolment`);
  const course = (await (
    await fetchRetry(bc(`/enrolments/${enrolment}/course`), { headers: { cookie: learner } })
  ).json()) as { assignments?: Array<{ id: string }> };
  const assignment = course.assignments?.[0]?.id;
  if (!assignment) throw new Error("the demo course has no assignment");
  const submitted = await fetchRetry(bc(`/enrolments/${enrolment}/assignments/${assignment}/submission`), {
    method: "POST",
    headers: headers(learner),
    body: JSON.stringify({ url: "https://www.figma.com/file/bench-plan" }),
  });
  if (submitted.status !== 201) throw new Error(`submission (review): ${submitted.status}`);
}

/** Every CRM screen, and one detail page of each kind (ids read from the list pages). */
async function crmPages(site: string): Promise<Page[]> {
  const admin = await cookieFor(site, ADMIN);
  let fixtures: string | undefined;
  try {
    await makeFixtures(site, admin);
  } catch (e) {
    fixtures = String(e).slice(0, 200);
  }
  const crm = (name: string, path: string): Page => ({ name, host: "localhost", path, login: ADMIN });
  const detail = async (name: string, list: string, prefix: string, needsFixture = false): Promise<Page> => {
    try {
      return crm(name, await firstLink(site, admin, list, prefix));
    } catch (e) {
      const why = needsFixture && fixtures ? `${fixtures}; ` : "";
      return { name, host: "localhost", path: null, login: ADMIN, error: `${why}${String(e).slice(0, 200)}` };
    }
  };
  return [
    crm("CRM dashboard", "/crm"),
    crm("CRM leads board", "/crm/leads"),
    crm("CRM leads table", "/crm/leads?view=table"),
    crm("CRM new lead", "/crm/leads/new"),
    await detail("CRM lead", "/crm/leads?view=table", "/crm/leads/"),
    crm("CRM clients", "/crm/clients"),
    crm("CRM new client", "/crm/clients/new"),
    await detail("CRM client", "/crm/clients", "/crm/clients/"),
    crm("CRM projects", "/crm/projects"),
    crm("CRM projects kanban", "/crm/projects?view=kanban"),
    crm("CRM new project", "/crm/projects/new"),
    crm("CRM project overview", "/crm/projects/acme"),
    crm("CRM project tasks", "/crm/projects/acme/tasks"),
    crm("CRM project tasks kanban", "/crm/projects/acme/tasks?view=kanban"),
    crm("CRM project portal", "/crm/projects/acme/portal"),
    crm("CRM notes", "/crm/notes"),
    crm("CRM outbox", "/crm/outbox"),
    await detail("CRM outbox email", "/crm/outbox", "/crm/outbox/", true),
    crm("CRM tokens", "/crm/settings/tokens"),
    crm("CRM bootcamp", "/crm/bootcamp"),
    await detail("CRM course", "/crm/bootcamp", "/crm/bootcamp/courses/"),
    await detail("CRM cohort", "/crm/bootcamp", "/crm/bootcamp/cohorts/"),
    crm("CRM reviews", "/crm/bootcamp/reviews"),
    await detail("CRM review", "/crm/bootcamp/reviews", "/crm/bootcamp/reviews/", true),
  ];
}

export type PagesOptions = {
  runs: number;
  apiPort: number;
  webPort: number;
  /** Reuse apps/web/dist (the test command built it in its bundles step) instead of building the site. */
  noBuild?: boolean;
  /** Lighthouse on the first N pages only (the smoke run: 1); the gzipped JavaScript of every page anyway. */
  lighthousePages?: number;
  /** Only the pages whose name or path contains one of these (case-insensitive): to iterate on a few. */
  only?: string[];
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
  const results: PageResult[] = [];
  // Lighthouse times the page's main-thread tasks on this machine: other work on the CPUs inflates TBT. The
  // 1-minute load average as each page's runs begin says how busy the machine was.
  const load: number[] = [];
  let pages: Page[] = [];
  let lighthouseOn = new Set<string>();
  try {
    await waitForHttp(`${site}/`, preview, 600_000);
    pages = [
      { name: "home (fr)", host: "localhost", path: "/" },
      { name: "home (en)", host: "localhost", path: "/en/" },
      { name: "bootcamp catalogue", host: "localhost", path: "/bootcamp/" },
      { name: "portal home (acme)", host: "acme.localhost", path: "/", login: "client@acme.test" },
      ...(await crmPages(site)),
    ];
    const only = opts.only?.map((o) => o.toLowerCase());
    if (only)
      pages = pages.filter((p) =>
        only.some((o) => p.name.toLowerCase().includes(o) || (p.path ?? "").toLowerCase().includes(o)),
      );
    lighthouseOn = new Set(pages.slice(0, opts.lighthousePages ?? pages.length).map((p) => p.name));
    const work = mkdtempSync(join(tmpdir(), "fataplus-bench-pages-"));
    for (const p of pages) {
      const url = `http://${p.host}:${opts.webPort}${p.path ?? ""}`;
      if (p.path === null) {
        results.push({ page: p.name, url, available: true, error: p.error ?? "no path" });
        continue;
      }
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
        load.push(loadavg()[0] ?? 0);
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
    `Lighthouse 13.5 (mobile emulation, simulated throttling), median of ${opts.runs} run(s), Debian's Chromium${lighthouseOn.size < pages.length ? ` (on ${[...lighthouseOn].join(", ")} only: "—" = not run)` : ""}; JavaScript gzipped from the build output (loaded with the page; lazy = imported later on use).${load.length > 0 ? ` Load average (1 min) when each page's runs began: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${cpus().length} CPUs (other work inflates TBT).` : ""}`,
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
