/**
 * The JavaScript a page ships, measured on the build output: the page's inline scripts, its module scripts,
 * its islands' component and renderer modules, and every module those import statically, each gzipped as a
 * CDN would serve it. Deterministic: it reads files, it does not time anything.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * `gzipBytes`: what the page loads with it (inline scripts, module scripts, islands and their static imports);
 * `lazyBytes`: modules those may import later (`import("…")`, e.g. the zod schemas a form loads on first
 * focus), not counted in `gzipBytes`.
 */
export type PageJs = {
  files: string[];
  inlineBytes: number;
  gzipBytes: number;
  lazyFiles: string[];
  lazyBytes: number;
};

const gz = (buf: Buffer | string) => gzipSync(buf, { level: 9 }).length;

export function entryModules(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) if (m[1]) urls.add(m[1]);
  for (const m of html.matchAll(/\b(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g))
    if (m[1]) urls.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    if (m[1]) urls.add(m[1]);
  return [...urls].filter((u) => u.startsWith("/"));
}

export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => !/type="application\/(ld\+)?json"/.test(m[0]))
    .map((m) => m[1] ?? "")
    .filter((s) => s.trim() !== "");
}

/** Static imports of a built module (`from"./x.js"`, `import"./x.js"`), as site paths. */
export function staticImports(code: string, fromUrl: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    if (m[1]) out.push(new URL(m[1], `https://x${fromUrl}`).pathname);
  }
  return out;
}

/** Dynamic imports of a built module (`import("./x.js")`), as site paths. */
export function dynamicImports(code: string, fromUrl: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g)) {
    if (m[1]) out.push(new URL(m[1], `https://x${fromUrl}`).pathname);
  }
  return out;
}

/** Every module reachable from `entries` by static imports, with their gzipped size and dynamic imports. */
function closure(entries: string[], clientDir: string, seen: Set<string>) {
  const queue = [...entries];
  let bytes = 0;
  const dynamic: string[] = [];
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = join(clientDir, url);
    if (!existsSync(file)) throw new Error(`${url} is referenced by the page but missing from the build`);
    const code = readFileSync(file);
    bytes += gz(code);
    const text = code.toString("utf8");
    queue.push(...staticImports(text, url));
    dynamic.push(...dynamicImports(text, url));
  }
  return { bytes, dynamic };
}

export function pageJs(html: string, clientDir: string): PageJs {
  const seen = new Set<string>();
  const first = closure(entryModules(html), clientDir, seen);
  const files = [...seen];
  // Astro's island runtime imports each island with import(); those are loaded with the page, not later.
  const later = closure(
    first.dynamic.filter((u) => !seen.has(u)),
    clientDir,
    seen,
  );
  const inlineBytes = inlineScripts(html).reduce((n, s) => n + gz(s), 0);
  return {
    files,
    inlineBytes,
    gzipBytes: first.bytes + inlineBytes,
    lazyFiles: [...seen].filter((u) => !files.includes(u)),
    lazyBytes: later.bytes,
  };
}
