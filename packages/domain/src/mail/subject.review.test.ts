/** Review: subjects built from people's text always pass the outbox's one-line, 200-character rule. */
import { describe, expect, it } from "vitest";
import { MAX_SUBJECT_LENGTH, mailMessage, mailSubject, visitorTextForMail } from "./index.ts";

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

describe("visitorTextForMail", () => {
  it("keeps ordinary names and organisations, one line", () => {
    expect(visitorTextForMail("Coopérative  Vanille\nde la SAVA")).toBe("Coopérative Vanille de la SAVA");
    expect(visitorTextForMail("Acme S.A.")).toBe("Acme S.A.");
    expect(visitorTextForMail("Dr. Rakoto")).toBe("Dr. Rakoto");
  });
  it("leaves out anything that looks like a link, a domain or an address", () => {
    for (const text of [
      "https://evil.example",
      "www.evil.example",
      "evil.example",
      "win at evil.co/x",
      "a@b.test",
      "  ",
    ])
      expect(visitorTextForMail(text), text).toBeNull();
  });
});
