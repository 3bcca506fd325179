import { describe, expect, it } from "vitest";
import { takesSeat } from "./bootcamp.ts";
import { dayOf, isProjectOverdue, isTaskOverdue, projectStatuses, taskStatuses } from "./records.ts";

const today = "2026-05-14";

describe("overdue tasks", () => {
  it("is a task not done whose due date is before today", () => {
    expect(isTaskOverdue({ status: "todo", due_date: "2026-05-13" }, today)).toBe(true);
    expect(isTaskOverdue({ status: "review", due_date: "2025-12-31" }, today)).toBe(true);
  });

  it("is never a done task, a task due today or later, or one without a due date", () => {
    expect(isTaskOverdue({ status: "done", due_date: "2026-01-01" }, today)).toBe(false);
    expect(isTaskOverdue({ status: "todo", due_date: today }, today)).toBe(false);
    expect(isTaskOverdue({ status: "in_progress", due_date: "2026-05-15" }, today)).toBe(false);
    expect(isTaskOverdue({ status: "todo", due_date: null }, today)).toBe(false);
    expect(isTaskOverdue({ status: "todo", due_date: undefined }, today)).toBe(false);
  });

  it("counts every status but done as open", () => {
    const late = taskStatuses.filter((status) => isTaskOverdue({ status, due_date: "2020-01-01" }, today));
    expect(late).toEqual(["todo", "in_progress", "review"]);
  });
});

describe("late projects", () => {
  it("is a project past its due date that is neither completed nor cancelled", () => {
    const late = projectStatuses.filter((status) =>
      isProjectOverdue({ status, due_date: "2026-05-01" }, today),
    );
    expect(late).toEqual(["planned", "active", "on_hold"]);
  });

  it("is not late on its due date, before it, or without one", () => {
    expect(isProjectOverdue({ status: "active", due_date: today }, today)).toBe(false);
    expect(isProjectOverdue({ status: "active", due_date: "2026-06-01" }, today)).toBe(false);
    expect(isProjectOverdue({ status: "active", due_date: null }, today)).toBe(false);
  });
});

describe("the day due dates compare with", () => {
  it("is the UTC calendar day, as the SQL metrics bind it", () => {
    expect(dayOf(new Date("2026-05-14T23:30:00-02:00"))).toBe("2026-05-15");
    expect(dayOf(new Date("2026-05-14T00:00:00Z"))).toBe("2026-05-14");
  });
});

describe("bootcamp seats", () => {
  it("are held by invited, active and completed learners, not by applicants or the withdrawn", () => {
    const statuses = ["applied", "invited", "active", "completed", "withdrawn"];
    expect(statuses.filter(takesSeat)).toEqual(["invited", "active", "completed"]);
  });
});
