import { describe, expect, it } from "vitest";
import {
  DEFAULT_TIME_ZONE,
  dayInZone,
  formatInZone,
  isTimeZone,
  resolveTimeZone,
  timeZoneSchema,
  zoneOffsetLabel,
} from "./time.ts";

describe("time zones", () => {
  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Indian/Antananarivo")).toBe(true);
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(timeZoneSchema.safeParse("Mars/Olympus").success).toBe(false);
    expect(timeZoneSchema.safeParse(" Europe/Paris ").data).toBe("Europe/Paris");
  });

  it("takes the first known zone, else Antananarivo", () => {
    expect(resolveTimeZone(null, "Europe/Paris")).toBe("Europe/Paris");
    expect(resolveTimeZone("Bad/Zone", undefined)).toBe(DEFAULT_TIME_ZONE);
    expect(resolveTimeZone("Asia/Kolkata", "Europe/Paris")).toBe("Asia/Kolkata");
  });

  it("shows a UTC instant in the reader's zone with its offset", () => {
    const at = "2026-12-03T22:30:00.000Z"; // 01:30 the next day in Antananarivo, 23:30 in Paris (winter)
    expect(formatInZone(at, { locale: "fr", timeZone: "Indian/Antananarivo" })).toMatch(
      /4 déc\. 2026.*01:30 UTC\+3$/,
    );
    expect(formatInZone(at, { locale: "en", timeZone: "Europe/Paris" })).toMatch(/3 Dec 2026.*23:30 UTC\+1$/);
    expect(formatInZone(at, { locale: "en", timeZone: "UTC", style: "time" })).toBe("22:30 UTC");
    expect(formatInZone(at, { locale: "fr", timeZone: "Indian/Antananarivo", style: "date" })).toBe(
      "4 déc. 2026",
    );
    expect(formatInZone("not a date", { locale: "fr", timeZone: "UTC" })).toBe("");
  });

  it("follows daylight saving and half-hour offsets", () => {
    expect(zoneOffsetLabel(new Date("2026-07-01T12:00:00Z"), "Europe/Paris")).toBe("UTC+2");
    expect(zoneOffsetLabel(new Date("2026-01-01T12:00:00Z"), "Europe/Paris")).toBe("UTC+1");
    expect(zoneOffsetLabel(new Date("2026-01-01T12:00:00Z"), "Asia/Kolkata")).toBe("UTC+5:30");
    expect(zoneOffsetLabel(new Date("2026-01-01T12:00:00Z"), "America/New_York")).toBe("UTC-5");
  });

  it("puts an instant on the reader's calendar day", () => {
    const at = "2026-12-03T22:30:00.000Z";
    expect(dayInZone(at, "Indian/Antananarivo")).toBe("2026-12-04");
    expect(dayInZone(at, "Europe/Paris")).toBe("2026-12-03");
  });
});
