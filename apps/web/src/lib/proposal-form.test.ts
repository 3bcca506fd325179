import { describe, expect, it } from "vitest";
import { dateOf, proposalBodyFrom } from "./proposal-form";

describe("proposalBodyFrom", () => {
  const form = (entries: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(entries)) fd.append(k, v);
    return fd;
  };
  const line = (i: number, deliverable: string, extra: Record<string, string> = {}) => ({
    [`item_phase_${i}`]: "build",
    [`item_deliverable_${i}`]: deliverable,
    [`item_effort_${i}`]: "3",
    [`item_price_${i}`]: "1500",
    [`item_source_${i}`]: "features",
    ...extra,
  });

  it("keeps lines in order, drops removed ones and an empty new line, parses numbers", () => {
    const body = proposalBodyFrom(
      form({
        title: " Proposal ",
        summary: "",
        valid_until: "2099-01-01",
        assumptions: "One\n\n Two \n",
        version: "4",
        ...line(0, "Build"),
        ...line(1, "Gone", { item_remove_1: "1" }),
        ...line(2, "Launch", { item_effort_2: "x" }),
        ...line(3, "", { item_new_3: "1" }),
      }),
    );
    expect(body).toMatchObject({ title: "Proposal", summary: null, assumptions: ["One", "Two"], version: 4 });
    const items = body.items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.deliverable)).toEqual(["Build", "Launch"]);
    expect(items[0]).toEqual({
      phase: "build",
      deliverable: "Build",
      effort_days: 3,
      price_cents: 150_000,
      source: "features",
    });
    // a bad number goes to the API as it is, which names the field in its 400
    expect(Number.isNaN(items[1]?.effort_days)).toBe(true);
  });

  it("reads prices in the editor's language, and a missing price as one the API refuses", () => {
    const en = proposalBodyFrom(
      form({ ...line(0, "Build", { item_price_0: "12,000.50" }), version: "1" }),
      "en",
    );
    expect((en.items as Array<Record<string, unknown>>)[0]?.price_cents).toBe(1_200_050);
    const fr = proposalBodyFrom(
      form({ ...line(0, "Build", { item_price_0: "1 234,5" }), version: "1" }),
      "fr",
    );
    expect((fr.items as Array<Record<string, unknown>>)[0]?.price_cents).toBe(123_450);
    const none = proposalBodyFrom(form({ ...line(0, "Build", { item_price_0: "" }), version: "1" }));
    expect(Number.isNaN((none.items as Array<Record<string, unknown>>)[0]?.price_cents)).toBe(true);
  });

  it("a filled new line is added", () => {
    const body = proposalBodyFrom(form({ ...line(0, "Training", { item_new_0: "1" }), version: "1" }));
    expect((body.items as unknown[]).length).toBe(1);
  });
});

describe("formatting", () => {
  it("dates in both languages", () => {
    expect(dateOf("2026-12-23", "fr")).toBe("23 décembre 2026");
    expect(dateOf("2026-12-23", "en")).toBe("23 December 2026");
  });
});
