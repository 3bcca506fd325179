import { describe, expect, it } from "vitest";
import { attachmentDisposition, sanitizeFileName, sniffAllowedType } from "./files.ts";

const enc = new TextEncoder();
const text = (s: string) => new Uint8Array(enc.encode(s));

describe("sanitizeFileName", () => {
  it("keeps a readable name, drops paths, reserved and control characters, and takes the sniffed extension", () => {
    expect(sanitizeFileName("Cahier des charges.pdf", "pdf")).toBe("Cahier des charges.pdf");
    expect(sanitizeFileName("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(sanitizeFileName("C:\\Users\\x\\photo.exe", "png")).toBe("photo.png");
    expect(sanitizeFileName('a<b>c:"d|e?*\u0000\u001f.pdf', "pdf")).toBe("abcde.pdf");
    expect(sanitizeFileName("...hidden", "pdf")).toBe("document.pdf");
    expect(sanitizeFileName("", "zip")).toBe("document.zip");
    expect(sanitizeFileName(`${"x".repeat(300)}.pdf`, "pdf")).toHaveLength(104);
    expect(sanitizeFileName("Ｆｕｌｌｗｉｄｔｈ.pdf", "pdf")).toBe("Fullwidth.pdf");
  });
});

describe("attachmentDisposition", () => {
  it("always says attachment, with an ASCII fallback and the UTF-8 name", () => {
    expect(attachmentDisposition("Devis été.pdf")).toBe(
      `attachment; filename="Devis _t_.pdf"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9.pdf`,
    );
  });
});

describe("sniffAllowedType", () => {
  it("recognises allowed types from their bytes", async () => {
    expect(await sniffAllowedType(text("%PDF-1.7\n%%EOF\n"))).toEqual({
      mime: "application/pdf",
      ext: "pdf",
    });
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect((await sniffAllowedType(png)).mime).toBe("image/png");
  });

  it("refuses text, HTML, SVG, executables and unknown bytes with a 422", async () => {
    for (const bytes of [
      text("hello"),
      text("<!doctype html><script>alert(1)</script>"),
      text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]),
      Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]) {
      await expect(sniffAllowedType(bytes)).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    }
  });
});
