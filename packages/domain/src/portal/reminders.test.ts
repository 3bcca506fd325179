import { describe, expect, it } from "vitest";
import { isReminderSlot } from "./reminders.ts";

describe("the reminders' hourly slot", () => {
  it("is the first five minutes of every hour (the cron runs every five)", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute, 30));
    expect([0, 1, 4].map((m) => isReminderSlot(at(m)))).toEqual([true, true, true]);
    expect([5, 30, 59].map((m) => isReminderSlot(at(m)))).toEqual([false, false, false]);
  });
});
