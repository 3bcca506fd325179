/**
 * The JavaScript a page ships, measured on the build output: the page's inline scripts, its module scripts,
 * its islands' component and renderer modules, and every module those import statically, each gzipped as a
 * CDN would serve it. Deterministic: it reads files, it does not time anything.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export type PageJs = { files: string[]; inlineBytes: number; gzipBytes: number };

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

export function pageJs(html: string, clientDir: string): PageJs {
  const seen = new Set<string>();
  const queue = entryModules(html);
  let gzipBytes = 0;
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = join(clientDir, url);
    if (!existsSync(file)) throw new Error(`${url} is referenced by the page but missing from the build`);
    const code = readFileSync(file);
    gzipBytes += gz(code);
    queue.push(...staticImports(code.toString("utf8"), url));
  }
  const inline = inlineScripts(html);
  const inlineBytes = inline.reduce((n, s) => n + gz(s), 0);
  return { files: [...seen], inlineBytes, gzipBytes: gzipBytes + inlineBytes };
}
