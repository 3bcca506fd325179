/**
 * The site takes values from the domain's vocabulary (zod-free) and its schemas, and only types from its main
 * entry (the verbs, for server code of the API): a value import of "@fataplus/domain" would bring the verbs
 * and zod into the site's bundles. Nor does the site reach into another package's source.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|astro)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Static imports (`import [type] … from "x"`) and dynamic ones (`import("x")`, never type-only). */
const imports = (file: string) => {
  const code = readFileSync(file, "utf8");
  return [
    ...[...code.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s*"([^"]+)"/gms)].map((m) => ({
      typeOnly: Boolean(m[1]),
      from: m[2] ?? "",
    })),
    ...[...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => ({ typeOnly: false, from: m[1] ?? "" })),
  ];
};

describe("the site's imports of the domain", () => {
  const files = sources(src);

  it("take only types from the main entry", () => {
    expect(files.length).toBeGreaterThan(100);
    const values = files.flatMap((f) =>
      imports(f)
        .filter((i) => i.from === "@fataplus/domain" && !i.typeOnly)
        .map(() => relative(src, f)),
    );
    expect(values).toEqual([]);
  });

  it("never reach into another package's source", () => {
    const reaching = files.flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)packages\/[^/]+\/src\//.test(i.from) || /^@fataplus\/[^/]+\/src\//.test(i.from))
        .map((i) => `${relative(src, f)}: ${i.from}`),
    );
    expect(reaching).toEqual([]);
  });
});
