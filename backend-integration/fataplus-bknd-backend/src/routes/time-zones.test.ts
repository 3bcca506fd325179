/** Time zone settings (decision 030): one's own zone, the agency's (admins), what /api/auth/me says, audit rows. */
import { describe, expect, it } from "vitest";
import { call, db, makeTenant, makeUser } from "../../test/factories.ts";

const put = (path: string, token: string, body: unknown) => call("PUT", path, { token, body });
const meZone = async (token: string) =>
  ((await (await call("GET", "/api/auth/me", { token })).json()) as { zone: unknown }).zone;
const audits = (action: string, actor: number) =>
  db()
    .prepare("SELECT data FROM audit_log WHERE action = ? AND actor_id = ? ORDER BY created_at")
    .bind(action, String(actor))
    .all<{ data: string }>()
    .then((r) => r.results.map((x) => JSON.parse(x.data)));

describe("time zones", () => {
  it("a person sets their own zone, follows the agency again, and /me says which zone their times are in", async () => {
    await makeTenant("tz agency", "agency");
    const user = await makeUser({ agencyRole: "staff" });
    const admin = await makeUser({ agencyRole: "admin" });
    expect(await meZone(user.token)).toEqual({
      own: null,
      agency: "Indian/Antananarivo",
      effective: "Indian/Antananarivo",
    });

    const bad = await put("/api/app/account/time-zone", user.token, { timeZone: "Mars/Olympus" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("timeZone");
    const set = await put("/api/app/account/time-zone", user.token, { timeZone: "Europe/Paris" });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({
      own: "Europe/Paris",
      agency: "Indian/Antananarivo",
      effective: "Europe/Paris",
    });
    // the same again changes nothing and writes no second audit row
    expect((await put("/api/app/account/time-zone", user.token, { timeZone: "Europe/Paris" })).status).toBe(
      200,
    );
    expect(await audits("user.time_zone", user.id)).toEqual([{ time_zone: "Europe/Paris" }]);

    // staff may not change the agency's zone; an admin may, and who follows the agency follows it
    expect((await put("/api/app/agency/time-zone", user.token, { timeZone: "UTC" })).status).toBe(403);
    expect((await put("/api/app/agency/time-zone", admin.token, { timeZone: null })).status).toBe(400);
    const agency = await put("/api/app/agency/time-zone", admin.token, { timeZone: "America/Montreal" });
    expect(agency.status).toBe(200);
    expect(await meZone(admin.token)).toMatchObject({ own: null, effective: "America/Montreal" });
    expect(await meZone(user.token)).toMatchObject({ own: "Europe/Paris", effective: "Europe/Paris" });
    expect(await audits("agency.time_zone", admin.id)).toEqual([{ time_zone: "America/Montreal" }]);

    // back to following the agency
    const follow = await put("/api/app/account/time-zone", user.token, { timeZone: null });
    expect(await follow.json()).toEqual({
      own: null,
      agency: "America/Montreal",
      effective: "America/Montreal",
    });
    expect(await audits("user.time_zone", user.id)).toEqual([
      { time_zone: "Europe/Paris" },
      { time_zone: null },
    ]);
    const view = await call("GET", "/api/app/account/time-zone", { token: user.token });
    expect(await view.json()).toMatchObject({ own: null });
    expect((await call("GET", "/api/app/account/time-zone")).status).toBe(401);
  });
});
