import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "./signed.ts";

const SECRET = "unit-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const now = new Date("2026-11-23T12:00:00Z");
const exp = Math.floor(now.getTime() / 1000) + 900;
const claims = { kind: "dl" as const, tenantId: "FP-2026-AAAAAAAAA", versionId: "v1", exp };

describe("signed tokens", () => {
  it("round-trips until it expires", async () => {
    const token = await signToken(SECRET, claims);
    expect(await verifyToken(SECRET, "dl", token, now)).toEqual(claims);
    await expect(verifyToken(SECRET, "dl", token, new Date((exp - 1) * 1000))).resolves.toBeDefined();
    await expect(verifyToken(SECRET, "dl", token, new Date(exp * 1000))).rejects.toThrow(/expired/);
  });

  it("refuses another key, another kind, a changed payload and garbage", async () => {
    const token = await signToken(SECRET, claims);
    await expect(verifyToken(`${SECRET}x`, "dl", token, now)).rejects.toThrow(/not valid/);
    await expect(verifyToken(SECRET, "ws", token, now)).rejects.toThrow(/not valid/);
    const [kind, , sig] = token.split(".");
    const forged = btoa(JSON.stringify({ ...claims, tenantId: "FP-2026-BBBBBBBBB" })).replace(/=+$/, "");
    await expect(verifyToken(SECRET, "dl", `${kind}.${forged}.${sig}`, now)).rejects.toThrow(/not valid/);
    for (const bad of ["", "dl", "dl..", "dl.a.b.c", "dl.%%%.###", `dl.${"A".repeat(3000)}.x`])
      await expect(verifyToken(SECRET, "dl", bad, now)).rejects.toThrow(/not valid/);
  });
});
