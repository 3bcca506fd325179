import { describe, expect, it } from "vitest";
import { matchTotpStep, newTotpSecret, totpCode, totpStep, totpUri } from "./totp.ts";

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890"), base32; 59 s gives 94287082 (8 digits) → 287082.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP (RFC 6238, SHA-1, 6 digits, 30 s)", () => {
  it("computes the RFC's test vectors", () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe("287082");
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe("081804");
    expect(totpCode(RFC_SECRET, 1_234_567_890_000)).toBe("005924");
  });

  it("accepts the current code (otpauth's delta 0 is a match) and says its step", () => {
    const now = 1_234_567_890_000;
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now), now)).toBe(totpStep(now));
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now).replace(/(\d{3})/, "$1 "), now)).toBe(
      totpStep(now),
    );
  });

  it("accepts one step early or late, not two", () => {
    const now = 1_234_567_890_000;
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), now)).toBe(totpStep(now) - 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), now)).toBe(totpStep(now) + 1);
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now - 60_000), now)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, now + 60_000), now)).toBeNull();
  });

  it("refuses a wrong code, a code of another secret, and anything that is not 6 digits", () => {
    const now = Date.now();
    const code = totpCode(RFC_SECRET, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    expect(matchTotpStep(RFC_SECRET, wrong, now)).toBeNull();
    expect(matchTotpStep(newTotpSecret(), code, now)).toBeNull();
    for (const bad of ["", "12345", "1234567", "abcdef", `${code}0`]) {
      expect(matchTotpStep(RFC_SECRET, bad, now)).toBeNull();
    }
  });

  it("makes 160-bit secrets and an otpauth URI apps read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, "awa@fata.plus"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Fataplus");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(decodeURIComponent(uri.pathname)).toContain("awa@fata.plus");
  });
});
