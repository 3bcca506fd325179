/** Review: subjects built from people's text always pass the outbox's one-line, 200-character rule. */
import { describe, expect, it } from "vitest";
import { MAX_SUBJECT_LENGTH, mailMessage, mailSubject } from "./index.ts";

describe("mailSubject", () => {
  it("makes a multi-line name one line", () => {
    expect(mailSubject("Votre demande pour Acme\r\nBcc: x@y.test — Fataplus")).toBe(
      "Votre demande pour Acme Bcc: x@y.test — Fataplus",
    );
  });
  it("cuts a long subject to the outbox's limit", () => {
    const s = mailSubject(`Bootcamp Fataplus : ${"T".repeat(200)} — ${"C".repeat(200)}`);
    expect(s.length).toBe(MAX_SUBJECT_LENGTH);
    expect(s.endsWith("…")).toBe(true);
    const ok = mailMessage.safeParse({ tenantId: null, to: "a@b.test", subject: s, text: "x", kind: "k" });
    expect(ok.success).toBe(true);
  });
  it("leaves a short subject alone", () => {
    expect(mailSubject("Hello")).toBe("Hello");
  });
});
