import { describe, expect, it } from "vitest";
import { handoffRequest, landingPath, publicIdentity } from "./session.ts";

describe("sessions", () => {
  it("the admin UI's sign-in sends agency admins to /admin and everybody else home", () => {
    expect(landingPath({ role: "admin" })).toBe("/admin");
    expect(landingPath({ role: "staff" })).toBe("/");
    expect(landingPath({ role: "member" })).toBe("/");
  });

  it("a person sees their own account's public fields only", () => {
    const me = { id: 7, email: "a@b.c", name: null, role: "member", locale: "fr" } as const;
    expect(publicIdentity({ ...me, ...{ status: "active" } })).toEqual(me);
  });

  it("a hand-off request names a project; anything longer than a tenant reference is cut", () => {
    expect(handoffRequest.parse({ tenant: "acme" })).toEqual({ tenant: "acme" });
    expect(handoffRequest.parse({ tenant: "x".repeat(100) }).tenant).toHaveLength(64);
    expect(handoffRequest.safeParse({}).success).toBe(false);
    expect(handoffRequest.safeParse({ tenant: 3 }).success).toBe(false);
  });
});
