import { describe, expect, it } from "vitest";
import { isDomainError } from "../kernel/errors.ts";
import {
  checkSubmissionFile,
  fileSubmissionInput,
  MAX_SUBMISSION_BYTES,
  SUBMISSION_TYPES,
  submissionFileHeaders,
  submissionKey,
} from "./submission-files.ts";

const enc = new TextEncoder();
const pdf = enc.encode("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const png = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
]);

async function refusal(file: unknown): Promise<{ code: string; message: string }> {
  try {
    await checkSubmissionFile(file);
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("the file was accepted");
}

describe("checkSubmissionFile", () => {
  it("takes the type from the bytes and gives the name the real extension", async () => {
    const checked = await checkSubmissionFile(new File([png], "../shot.html", { type: "application/pdf" }));
    expect(checked.type).toBe("image/png");
    expect(checked.ext).toBe("png");
    expect(checked.name).toBe("shot.png");
    expect(checked.bytes).toEqual(png);
    expect((await checkSubmissionFile(new File([pdf], "plan.pdf"))).type).toBe("application/pdf");
  });

  it("refuses what is not a file, an empty file, and more than 10 MB", async () => {
    for (const missing of [null, undefined, "a string", new File([], "empty.pdf")])
      expect(await refusal(missing)).toEqual({ code: "VALIDATION", message: "Choose a file to submit." });
    const big = new File([new Uint8Array(MAX_SUBMISSION_BYTES + 1)], "big.pdf");
    expect((await refusal(big)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses an HTML page or an SVG named as a PDF or a picture, and types the portal takes but the bootcamp does not", async () => {
    for (const file of [
      new File(["<html><script>alert(1)</script></html>"], "cv.pdf", { type: "application/pdf" }),
      new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], "photo.png"),
      new File([Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0])], "anim.gif"),
    ])
      expect(await refusal(file)).toEqual({
        code: "VALIDATION",
        message: "Submit a PDF, PNG, JPEG, WebP or ZIP file.",
      });
    expect(Object.values(SUBMISSION_TYPES).sort()).toEqual(["jpg", "pdf", "png", "webp", "zip"]);
  });
});

describe("where and how a submission file lives", () => {
  it("is stored under its tenant's and enrolment's prefix, under a fresh name", () => {
    const a = submissionKey("FP-T", "enr-1", "pdf");
    expect(a).toMatch(/^bootcamp\/FP-T\/enr-1\/[0-9a-f-]{36}\.pdf$/);
    expect(submissionKey("FP-T", "enr-1", "pdf")).not.toBe(a);
  });

  it("is served as an attachment that is never sniffed, rendered or cached", () => {
    expect(submissionFileHeaders({ type: "image/png", name: "écran.png" })).toEqual({
      "content-type": "image/png",
      "content-disposition": `attachment; filename="_cran.png"; filename*=UTF-8''%C3%A9cran.png`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "content-security-policy": "default-src 'none'; sandbox",
    });
  });

  it("takes a note only when it has text", () => {
    const base = { enrolment_id: "e", assignment_id: "a", file: null };
    expect(fileSubmissionInput.parse({ ...base, note: "  " }).note).toBeUndefined();
    expect(fileSubmissionInput.parse({ ...base, note: new File(["x"], "note.txt") }).note).toBeUndefined();
    expect(fileSubmissionInput.parse({ ...base, note: "see page 2" }).note).toBe("see page 2");
  });
});
