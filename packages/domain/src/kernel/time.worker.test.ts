import { describe, expect, it } from "vitest";
import { db, given } from "../../testing/workerd.ts";
import { agencyTimeZone, DEFAULT_TIME_ZONE, timeZonesOf } from "./time.ts";

describe("timeZonesOf (D1)", () => {
  it("gives each person their own zone, else the agency's, else Antananarivo's", async () => {
    const s = await given({ tenants: ["a"], roles: ["client", "project_manager"] });
    const own = s.members.a.client.id;
    const follows = s.members.a.project_manager.id;
    await db().prepare("UPDATE users SET time_zone = 'Europe/Paris' WHERE id = ?").bind(own).run();
    await db().prepare("DELETE FROM agency_settings").run();
    expect(await agencyTimeZone(db())).toBe(DEFAULT_TIME_ZONE);
    expect((await timeZonesOf(db(), [own, follows])).get(follows)).toBe(DEFAULT_TIME_ZONE);

    await db()
      .prepare("INSERT INTO agency_settings (id, time_zone, updated_at) VALUES (1, 'America/Montreal', ?)")
      .bind(new Date().toISOString())
      .run();
    const zones = await timeZonesOf(db(), [own, follows, own]);
    expect(Object.fromEntries(zones)).toEqual({ [own]: "Europe/Paris", [follows]: "America/Montreal" });
    expect(await agencyTimeZone(db())).toBe("America/Montreal");
    expect((await timeZonesOf(db(), [])).size).toBe(0);
    await db().prepare("DELETE FROM agency_settings").run();
  });

  it("refuses a zone name longer than the column allows", async () => {
    const s = await given({ tenants: ["a"], roles: ["client"] });
    await expect(
      db()
        .prepare("UPDATE users SET time_zone = ? WHERE id = ?")
        .bind("x".repeat(65), s.members.a.client.id)
        .run(),
    ).rejects.toThrow(/CHECK/);
  });
});
