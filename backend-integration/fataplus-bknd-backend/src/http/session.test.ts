import { describe, expect, it } from "vitest";
import { readSessionClaims } from "./session.ts";

describe("session claims", () => {
  it("name a user and when the token was issued: signed_in_at (ms), else bknd's iat (s)", () => {
    expect(readSessionClaims({ id: 7, iat: 100, signed_in_at: 123_456 })).toEqual({
      userId: 7,
      issuedAt: 123_456,
    });
    expect(readSessionClaims({ id: 7, iat: 100, email: "a@b.c", role: "admin" })).toEqual({
      userId: 7,
      issuedAt: 100_000,
    });
    expect(readSessionClaims({ id: 7 })).toEqual({ userId: 7, issuedAt: 0 });
    expect(readSessionClaims({ id: 7, iat: "100", signed_in_at: "x" })).toEqual({ userId: 7, issuedAt: 0 });
  });

  it("are no session without an integer user id", () => {
    for (const claims of [undefined, null, "7", 7, [], {}, { id: "7" }, { id: 7.5 }, { id: null }])
      expect(readSessionClaims(claims), JSON.stringify(claims)).toBeNull();
  });
});
