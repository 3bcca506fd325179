import { describe, expect, it } from "vitest";
import { formatMoney, moneyInput, parseMoney } from "./money.ts";

describe("parseMoney", () => {
  it.each([
    ["12 000,50", "fr", 1_200_050],
    ["12\u202f000 €", "fr", 1_200_000],
    ["12\u00a0000", "fr", 1_200_000],
    ["12,5", "fr", 1250],
    ["1.5", "fr", 150],
    ["1234.5", "fr", 123_450],
    ["1 234,50", "fr", 123_450],
    ["0", "fr", 0],
    ["19,99", "fr", 1999],
    ["8000", "en", 800_000],
    ["12,000", "en", 1_200_000],
    ["1,234,567", "en", 123_456_700],
    ["12,000.75", "en", 1_200_075],
    ["12,5", "en", 1250],
  ] as const)("%s (%s) → %s cents", (typed, lang, cents) => {
    expect(parseMoney(typed, lang)).toBe(cents);
  });

  it("reads nothing typed as no amount", () => {
    expect(parseMoney("")).toBeNull();
    expect(parseMoney("   ")).toBeNull();
    expect(parseMoney("€")).toBeNull();
  });

  it.each([
    ["abc", "fr"],
    ["-5", "fr"],
    ["1.234", "fr"],
    ["12,345", "fr"],
    ["1e5", "en"],
    ["12.000,5", "en"],
    ["0x10", "fr"],
  ] as const)("refuses %s (%s) with NaN, which the schemas refuse", (typed, lang) => {
    expect(parseMoney(typed, lang)).toBeNaN();
  });

  it("rounds to whole cents without float drift", () => {
    expect(parseMoney("0,29")).toBe(29);
    expect(parseMoney("1.15", "en")).toBe(115);
    expect(parseMoney("4.35", "en")).toBe(435);
  });
});

describe("formatMoney", () => {
  const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

  it("shows whole units in lists, in the reader's language and the record's currency", () => {
    expect(spaces(formatMoney(1_200_050, "fr"))).toBe("12 001 €");
    expect(formatMoney(1_200_050, "en")).toBe("€12,001");
    expect(formatMoney(500_000, "en", { currency: "USD" })).toBe("US$5,000");
  });

  it("shows every cent when asked", () => {
    expect(spaces(formatMoney(123_450, "fr", { exact: true }))).toBe("1 234,50 €");
    expect(formatMoney(123_450, "en", { exact: true })).toBe("€1,234.50");
  });

  it("shows a dash for no amount", () => {
    expect(formatMoney(null, "fr")).toBe("—");
    expect(formatMoney(undefined, "en")).toBe("—");
  });
});

describe("moneyInput", () => {
  it("writes an amount the way parseMoney reads it back, in each language", () => {
    for (const cents of [0, 5, 1999, 1_250_050, 800_000, 123_456_789]) {
      expect(parseMoney(moneyInput(cents, "fr"), "fr")).toBe(cents);
      expect(parseMoney(moneyInput(cents, "en"), "en")).toBe(cents);
    }
    expect(moneyInput(1_250_050, "fr")).toBe("12500,5");
    expect(moneyInput(1_250_050, "en")).toBe("12500.5");
    expect(moneyInput(null, "fr")).toBe("");
  });
});
