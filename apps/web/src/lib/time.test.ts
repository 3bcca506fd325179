import { describe, expect, it } from "vitest";
import { formatDate } from "./list-query";
import { calendarDate, timeIn, zoneOf } from "./time";

describe("times on the site", () => {
  const at = "2026-12-03T22:30:00.000Z";
  it("shows an instant in the reader's zone, saying which", () => {
    expect(timeIn("fr", "Indian/Antananarivo")(at)).toMatch(/4 déc\. 2026.*01:30 UTC\+3$/);
    expect(timeIn("en", "Europe/Paris")(at)).toMatch(/3 Dec 2026.*23:30 UTC\+1$/);
    expect(timeIn("en", "Europe/Paris")(null)).toBe("");
  });
  it("keeps calendar dates as written, and puts an instant on the reader's day", () => {
    expect(calendarDate("2026-12-04", "fr")).toBe("4 déc. 2026");
    expect(formatDate("2026-12-04", "en", "America/Los_Angeles")).toBe("4 Dec 2026");
    expect(formatDate(at, "fr", "Indian/Antananarivo")).toBe("4 déc. 2026");
    expect(formatDate(at, "fr", "Europe/Paris")).toBe("3 déc. 2026");
  });
  it("takes the zone from /me, Antananarivo without one", () => {
    expect(zoneOf({ zone: { effective: "Europe/Paris" } })).toBe("Europe/Paris");
    expect(zoneOf(null)).toBe("Indian/Antananarivo");
  });
});
