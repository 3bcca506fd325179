/**
 * Shared helpers of the browser journeys: where the stack runs, the demo accounts (seeded by
 * scripts/lib/demo-data.ts on the test's fresh database), signing in through the real form, and screenshots
 * kept as test artifacts under test-results/screenshots/ (git-ignored).
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Locator, Page } from "playwright-core";

export const WEB_URL = new URL(process.env.WEB_URL ?? "http://localhost:4321");
export const DEMO_PASSWORD = "Fataplus-demo-2026!";

export const DEMO = {
  admin: "admin@fata.plus",
  staff: "staff@fata.plus",
  pmAcme: "pm.acme@fata.plus",
  pmGlobex: "pm.globex@fata.plus",
  clientAcme: "client@acme.test",
  clientGlobex: "client@globex.test",
} as const;

export function siteUrl(path = "/"): string {
  return new URL(path, WEB_URL).href;
}

export function tenantUrl(subdomain: string, path = "/"): string {
  const url = new URL(path, WEB_URL);
  url.hostname = `${subdomain}.${WEB_URL.hostname}`;
  return url.href;
}

/** Signs in through the login form at `loginUrl` and waits for the landing page. */
export async function signIn(page: Page, email: string, loginUrl = siteUrl("/login")): Promise<void> {
  await page.goto(loginUrl, { waitUntil: "domcontentloaded" });
  await page.getByLabel(/e-mail|email/i).fill(email);
  await page.getByLabel(/mot de passe|password/i).fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.endsWith("/login"), { timeout: 15_000 }),
    page.getByRole("button", { name: /se connecter|sign in/i }).click(),
  ]);
}

export async function freshPage(context: BrowserContext): Promise<Page> {
  await context.clearCookies();
  return context.newPage();
}

const SHOTS = fileURLToPath(new URL("../../../test-results/screenshots/", import.meta.url));

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/**
 * fetch() for the test stack from Node: `*.localhost` resolves to loopback in Chromium but not in Node's DNS,
 * so project subdomains are reached over node:http with a lookup that sends every `localhost` host to 127.0.0.1.
 */
export async function fetchAt(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const { request } = await import("node:http");
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? "GET",
        headers: init.headers,
        lookup: (_host, _opts, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on("error", reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

/**
 * Picks a kanban card up from the keyboard (focus, Space) and waits until dnd-kit says it is dragging
 * (`aria-pressed`). On a loaded machine the first key can land before the board listens; it is pressed again
 * then, which is what a person would do.
 */
export async function pickUpCard(page: Page, card: Locator): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await card.focus();
    await page.keyboard.press("Space");
    try {
      await page.locator("[data-testid=kanban-card][aria-pressed=true]").first().waitFor({ timeout: 3000 });
      return;
    } catch {
      // not picked up (yet): press again
    }
  }
  throw new Error("the card was never picked up from the keyboard");
}

/** A session cookie for a demo account, signed in through the site's API from Node (same-origin request). */
export async function sessionCookie(email: string): Promise<string> {
  const origin = new URL(siteUrl("/")).origin;
  const res = await fetchAt(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
