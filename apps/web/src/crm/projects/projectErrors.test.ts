import { provisionProjectInput, subdomainSchema } from "@fataplus/domain/schemas";
import { subdomainFrom } from "@fataplus/domain/vocabulary";
import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "../ui/form";
import { localiseProjectErrors } from "./projectErrors";

const L = {
  errName: "name",
  errSubdomain: "subdomain",
  errSubdomainReserved: "reserved",
  errDate: "date",
  errMoney: "money",
};

describe("project form helpers", () => {
  it("suggests a valid subdomain from a project name", () => {
    for (const name of ["Coopérative Laitière — 2027", "  Ça va ! ", "A".repeat(80), "--xy--"]) {
      const sub = subdomainFrom(name);
      expect(subdomainSchema.safeParse(sub).success, `${name} → ${sub}`).toBe(true);
    }
    expect(subdomainFrom("Coopérative Laitière — 2027")).toBe("cooperative-laitiere-2027");
  });

  it("puts the provisioning schema's errors on their fields, in the page's language", () => {
    const checked = zodFieldErrors(provisionProjectInput, {
      name: null,
      subdomain: "Bad_Sub!",
      start_date: "31/12/2026",
      budget_cents: Number.NaN,
      status: "planned",
      phase: "discovery",
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(localiseProjectErrors(checked.fields, L)).toEqual({
      name: "name",
      subdomain: "subdomain",
      start_date: "date",
      budget_cents: "money",
    });
  });

  it("says when a subdomain is reserved, and keeps unknown fields' messages", () => {
    const checked = zodFieldErrors(provisionProjectInput, { name: "x", subdomain: "www" });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(localiseProjectErrors(checked.fields, L).subdomain).toBe("reserved");
    expect(localiseProjectErrors({ currency: "bad" }, L)).toEqual({ currency: "bad" });
  });
});
