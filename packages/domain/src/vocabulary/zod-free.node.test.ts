/**
 * The vocabulary is what islands may import without zod: its files import only each other and the kernel's
 * roles (which import nothing), never zod, a verb or a database helper.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const here = import.meta.dirname;
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"/gms)].map(
    (m) => m[1] ?? "",
  );

describe("the vocabulary", () => {
  const files = readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("imports only itself and the kernel's roles", () => {
    expect(files.length).toBeGreaterThan(5);
    const outside = files.flatMap((f) =>
      importsOf(join(here, f))
        .filter((spec) => !(spec.startsWith("./") || spec === "../kernel/roles.ts"))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it("relies on a kernel file that imports nothing", () => {
    expect(importsOf(join(here, "../kernel/roles.ts"))).toEqual([]);
  });
});
