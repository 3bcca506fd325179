import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_MAX_ITERATIONS, verifyPassword } from "./password.ts";

describe("PBKDF2 passwords", () => {
  it("hash with a random salt at the Workers maximum and verify", async () => {
    const a = await hashPassword("Correct horse battery staple");
    const b = await hashPassword("Correct horse battery staple");
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("Correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(false);
  });

  it("refuse iteration counts Workers would reject in production", async () => {
    await expect(hashPassword("x", PBKDF2_MAX_ITERATIONS + 1)).rejects.toThrow(RangeError);
    const forged = (await hashPassword("x", 10)).replace("$10$", "$100001$");
    expect(await verifyPassword("x", forged)).toBe(false);
  });

  it("never verify malformed or foreign hashes (bknd's sha256 included)", async () => {
    for (const stored of [null, undefined, "", "sha256$abc", "pbkdf2-sha256$abc$def$ghi", "2b$10$abcdef"]) {
      expect(await verifyPassword("x", stored)).toBe(false);
    }
  });
});
