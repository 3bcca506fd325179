/** Review: file names cannot be made to read as something else in the portal or the download dialog. */
import { describe, expect, it } from "vitest";
import { sanitizeFileName } from "./files.ts";

describe("sanitizeFileName", () => {
  it("drops bidirectional overrides and invisible characters", () => {
    // Displayed as "invoice_fdp.exe" if the right-to-left override stayed.
    expect(sanitizeFileName("invoice_\u202Eexe.pdf", "pdf")).toBe("invoice_exe.pdf");
    expect(sanitizeFileName("a\u200Bb\u2066c\u2069\uFEFF.png", "png")).toBe("abc.png");
  });
});
