import { describe, expect, it } from "vitest";
import { normalizeViewQuery, viewKeys, viewScreens } from "./crm.ts";
import { isProposalEditable, proposalStatuses } from "./intake.ts";

describe("saved views' queries", () => {
  it("keep the screen's keys only, non-empty, in a stable order", () => {
    expect(normalizeViewQuery("tasks", "?view=kanban&evil=1&q=logo&status=&priority=high")).toBe(
      "q=logo&priority=high&view=kanban",
    );
    expect(normalizeViewQuery("clients", "tenant=FP-1&view=kanban")).toBe("tenant=FP-1");
  });

  it("cut each value at 100 characters", () => {
    expect(normalizeViewQuery("leads", `q=${"x".repeat(150)}`)).toBe(`q=${"x".repeat(100)}`);
  });

  it("have keys for every screen", () => {
    for (const screen of viewScreens) expect(viewKeys[screen]).toContain("q");
  });
});

describe("editable proposals", () => {
  it("are drafts and proposals sent back for changes, in an active space", () => {
    expect(proposalStatuses.filter((s) => isProposalEditable(s, "active"))).toEqual([
      "draft",
      "changes_requested",
    ]);
    expect(proposalStatuses.filter((s) => isProposalEditable(s, "archived"))).toEqual([]);
  });
});
