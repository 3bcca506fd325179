import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryModules, pageJs, staticImports } from "../../e2e/page-js";

describe("page JS measurement", () => {
  it("follows islands, module scripts and static imports, and counts inline scripts", () => {
    const dir = mkdtempSync(join(tmpdir(), "pagejs-"));
    mkdirSync(join(dir, "_astro"));
    writeFileSync(join(dir, "_astro/island.js"), 'import{a}from"./shared.js";export default a;');
    writeFileSync(join(dir, "_astro/shared.js"), `export const a=${JSON.stringify("x".repeat(5000))};`);
    writeFileSync(join(dir, "_astro/client.js"), 'import"./shared.js";const later=()=>import(`./lazy.js`);');
    writeFileSync(join(dir, "_astro/lazy.js"), `export const z=${JSON.stringify("y".repeat(3000))};`);
    const html =
      '<script>console.log(1)</script><astro-island component-url="/_astro/island.js" renderer-url="/_astro/client.js"></astro-island><script type="application/ld+json">{}</script>';
    const r = pageJs(html, dir);
    expect(r.files.sort()).toEqual(["/_astro/client.js", "/_astro/island.js", "/_astro/shared.js"]);
    expect(r.inlineBytes).toBeGreaterThan(0);
    expect(r.gzipBytes).toBeGreaterThan(r.inlineBytes);
    expect(r.lazyFiles).toEqual(["/_astro/lazy.js"]);
    expect(r.lazyBytes).toBeGreaterThan(0);
  });

  it("finds nothing in a page without scripts", () => {
    expect(entryModules("<p>hello</p>")).toEqual([]);
    expect(pageJs("<p>hello</p>", tmpdir()).gzipBytes).toBe(0);
  });

  it("resolves relative imports against the importing module", () => {
    expect(staticImports('import{x}from"./a.js";import"../b.js"', "/_astro/c/d.js")).toEqual([
      "/_astro/c/a.js",
      "/_astro/b.js",
    ]);
  });

  it("fails loudly when the page references a file the build lacks", () => {
    expect(() => pageJs('<script type="module" src="/_astro/gone.js"></script>', tmpdir())).toThrow(
      /missing/,
    );
  });
});
