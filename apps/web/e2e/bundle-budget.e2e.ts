/**
 * JavaScript budgets, measured on the build output (e2e/page-js.ts) for the HTML each page really serves:
 * public pages ≤ 15 KB gzipped, CRM pages ≤ 100 KB. The HTML comes from the running stack (many pages are
 * rendered per request), the bytes from apps/web/dist/client.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { pageJs } from "./page-js.ts";
import { DEMO, fetchAt, sessionCookie, siteUrl, tenantUrl } from "./stack.ts";

const CLIENT_DIR = fileURLToPath(new URL("../dist/client/", import.meta.url));
const PUBLIC_BUDGET = 15 * 1024;
const CRM_BUDGET = 100 * 1024;

/**
 * The built files among `files` that carry zod (its error class's name survives minifying). Islands import
 * the domain's vocabulary with the page and its schemas (@fataplus/domain/schemas) only on demand.
 */
const withZod = (files: readonly string[]) =>
  files.filter((f) => readFileSync(join(CLIENT_DIR, f), "utf8").includes("ZodError"));

function prerenderedPages(dir = CLIENT_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "_astro") out.push(...prerenderedPages(path));
    } else if (name === "index.html") {
      out.push(`/${relative(CLIENT_DIR, dir)}${relative(CLIENT_DIR, dir) ? "/" : ""}`);
    }
  }
  return out;
}

async function html(url: string, cookie = ""): Promise<string> {
  const res = await fetchAt(url, { headers: cookie ? { cookie } : {} });
  expect(res.status, url).toBe(200);
  return res.text();
}

let staffCookie = "";
let clientCookie = "";

beforeAll(async () => {
  staffCookie = await sessionCookie(DEMO.admin);
  clientCookie = await sessionCookie(DEMO.clientAcme);
});

describe("JavaScript budgets", () => {
  it("every public page ships at most 15 KB of gzipped JavaScript", async () => {
    // the intake form is rendered per request (a new idempotency key per view): listed by hand
    const pages = [...new Set(["/", "/en/", "/intake", "/en/intake", ...prerenderedPages()])];
    expect(pages.length).toBeGreaterThan(8);
    const over: string[] = [];
    const zod: string[] = [];
    for (const path of pages) {
      const js = pageJs(await html(siteUrl(path)), CLIENT_DIR);
      if (js.gzipBytes > PUBLIC_BUDGET) over.push(`${path}: ${js.gzipBytes} B (${js.files.join(", ")})`);
      zod.push(...withZod([...js.files, ...js.lazyFiles]).map((f) => `${path}: ${f}`));
    }
    expect(over).toEqual([]);
    expect(zod).toEqual([]);
  });

  it("the portal home and the sign-in page are public-sized too", async () => {
    for (const [url, cookie] of [
      [tenantUrl("acme"), clientCookie],
      [tenantUrl("acme", "/proposal"), clientCookie],
      [siteUrl("/login"), ""],
      [siteUrl("/bootcamp"), ""],
      [siteUrl("/en/bootcamp"), ""],
    ] as const) {
      expect(pageJs(await html(url, cookie), CLIENT_DIR).gzipBytes, url).toBeLessThanOrEqual(PUBLIC_BUDGET);
    }
  });

  it("every CRM screen ships at most 100 KB of gzipped JavaScript", async () => {
    const first = async (list: "clients" | "leads") => {
      const res = await fetchAt(siteUrl(`/api/app/crm/${list}?pageSize=1`), {
        headers: { cookie: staffCookie },
      });
      const row = ((await res.json()) as { rows: Array<{ id: string; tenant_subdomain: string }> }).rows[0];
      if (!row) throw new Error(`no ${list} in the demo data`);
      return `${row.tenant_subdomain}/${row.id}`;
    };
    const pages = [
      "/crm",
      "/crm/clients",
      "/crm/clients/new",
      `/crm/clients/${await first("clients")}`,
      "/crm/leads",
      "/crm/leads?view=table",
      "/crm/leads/new",
      `/crm/leads/${await first("leads")}`,
      "/crm/projects",
      "/crm/projects?view=kanban",
      "/crm/projects/new",
      "/crm/projects/acme",
      "/crm/projects/acme/tasks",
      "/crm/projects/acme/tasks?view=table",
      "/crm/projects/acme/tasks?view=kanban",
      "/crm/projects/acme/portal",
      "/crm/notes",
      "/crm/outbox",
      "/crm/settings/tokens",
      "/crm/bootcamp",
      "/crm/bootcamp/reviews",
    ];
    const sizes: Record<string, { load: number; onDemand: number }> = {};
    const zodOnLoad: string[] = [];
    const zodOnDemand: Record<string, number> = {};
    for (const path of pages) {
      const js = pageJs(await html(siteUrl(path), staffCookie), CLIENT_DIR);
      sizes[path] = { load: js.gzipBytes, onDemand: js.lazyBytes };
      zodOnLoad.push(...withZod(js.files).map((f) => `${path}: ${f}`));
      zodOnDemand[path] = withZod(js.lazyFiles).length;
    }
    console.log("CRM JS, gzip bytes (with the page / on demand):", JSON.stringify(sizes));
    const over = Object.entries(sizes).filter(([, b]) => b.load > CRM_BUDGET);
    expect(over).toEqual([]);
    // zod never loads with a CRM page; the forms fetch the domain's schemas (and zod) when they are used.
    expect(zodOnLoad).toEqual([]);
    for (const form of ["/crm/clients/new", "/crm/leads/new", "/crm/projects/new", "/crm/settings/tokens"])
      expect(zodOnDemand[form], form).toBeGreaterThan(0);
    // The screens with islands really are measured (React alone is tens of KB).
    expect(sizes["/crm/projects/acme/tasks"]?.load).toBeGreaterThan(40 * 1024);
  });
});
