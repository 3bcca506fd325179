import { describe, expect, it } from "vitest";
import { newTenantId, TENANT_ID_PATTERN } from "./ids.ts";

describe("tenant ids", () => {
  it("look like FP-YYYY-XXXXXXXXX with unambiguous characters", () => {
    const ids = Array.from({ length: 2000 }, () => newTenantId(new Date("2026-03-01T00:00:00Z")));
    for (const id of ids) {
      expect(id).toMatch(TENANT_ID_PATTERN);
      expect(id.startsWith("FP-2026-")).toBe(true);
      expect(id.slice(8)).not.toMatch(/[IO01]/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("use every symbol of the alphabet (no bias towards a subset)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const ch of newTenantId().slice(8)) seen.add(ch);
    expect(seen.size).toBe(32);
  });
});
