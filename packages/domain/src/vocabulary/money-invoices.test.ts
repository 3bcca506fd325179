import { describe, expect, it } from "vitest";
import { formatMinor, invoiceNumber, invoiceTotals, shownStatus } from "./money.ts";

describe("invoice amounts", () => {
  it("computes lines, VAT per rate and totals in integers", () => {
    const t = invoiceTotals([
      { description: "Design", quantity_milli: 2500, unit_price_minor: 40_000, vat_bp: 2000 },
      { description: "Build", quantity_milli: 1000, unit_price_minor: 33_333, vat_bp: 2000 },
      { description: "Livre", quantity_milli: 3000, unit_price_minor: 999, vat_bp: 550 },
      { description: "Hors champ", quantity_milli: 1000, unit_price_minor: 5_000, vat_bp: 0 },
    ]);
    expect(t.lines.map((l) => l.net_minor)).toEqual([100_000, 33_333, 2_997, 5_000]);
    // VAT on the sum per rate: 133 333 × 20 % = 26 666.6 → 26 667 (line by line would give 26 667 too here)
    expect(t.vat).toEqual([
      { vat_bp: 2000, base_minor: 133_333, tax_minor: 26_667 },
      { vat_bp: 550, base_minor: 2_997, tax_minor: 165 },
      { vat_bp: 0, base_minor: 5_000, tax_minor: 0 },
    ]);
    expect(t.subtotal_minor).toBe(141_330);
    expect(t.tax_minor).toBe(26_832);
    expect(t.total_minor).toBe(168_162);
    expect(Number.isInteger(t.total_minor)).toBe(true);
  });

  it("stays exact beyond 2^53 intermediate products", () => {
    const t = invoiceTotals([
      { description: "x", quantity_milli: 9_999_999, unit_price_minor: 99_999_999_999, vat_bp: 2000 },
    ]);
    // 9 999 999 × 99 999 999 999 = 999 999 899 990 000 001 (> 2^53), / 1000, rounded
    expect(t.lines[0]?.net_minor).toBe(999_999_899_990_000);
  });

  it("formats EUR with cents and MGA without", () => {
    expect(formatMinor(123_450, "EUR", "fr").replace(/\s/g, " ")).toBe("1 234,50 €");
    expect(formatMinor(1_500_000, "MGA", "en")).toMatch(/^MGA\s?1,500,000$/);
  });

  it("numbers and overdue", () => {
    expect(invoiceNumber("FA", 2026, 42)).toBe("FA-2026-0042");
    expect(invoiceNumber("AV", 2026, 12345)).toBe("AV-2026-12345");
    expect(shownStatus("issued", "2026-01-01", "2026-01-02")).toBe("overdue");
    expect(shownStatus("partly_paid", "2026-01-02", "2026-01-02")).toBe("partly_paid");
    expect(shownStatus("paid", "2026-01-01", "2026-02-01")).toBe("paid");
  });
});
