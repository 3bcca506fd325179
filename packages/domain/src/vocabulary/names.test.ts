import { describe, expect, it } from "vitest";
import { nameKey, similarNames } from "./names.ts";

describe("client names that are the same or similar", () => {
  it("compares without case, accents, punctuation or legal form", () => {
    expect(nameKey("Société Générale, SARL")).toBe("societe generale");
    expect(similarNames("Maison Rova SARL", "maison rova")).toBe(true);
    expect(similarNames("Hôtel Colbert", "Hotel-Colbert")).toBe(true);
  });

  it("catches a typo or a name held in another", () => {
    expect(similarNames("Maison Rova", "Maison Rovaa")).toBe(true);
    expect(similarNames("Vanille Sava", "Vanille Sava Export")).toBe(true);
    expect(similarNames("Orange", "Oranje")).toBe(true);
  });

  it("keeps different names apart", () => {
    expect(similarNames("Maison Rova", "Maison Tiana")).toBe(false);
    expect(similarNames("Air", "Airtel Madagascar")).toBe(false);
    expect(similarNames("Telma", "Airtel")).toBe(false);
    expect(similarNames("SARL", "SAS")).toBe(false);
  });
});
