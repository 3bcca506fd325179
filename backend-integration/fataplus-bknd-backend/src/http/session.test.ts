import { describe, expect, it } from "vitest";
import { readSessionClaims } from "./session.ts";

const sid = "s".repeat(24);

describe("session claims", () => {
  it("name a user and the session row the token belongs to", () => {
    expect(readSessionClaims({ id: 7, sid, iat: 100, email: "a@b.c", role: "admin" })).toEqual({
      userId: 7,
      sessionId: sid,
    });
  });

  it("are no session without an integer user id and a session id (tokens from before session rows)", () => {
    for (const claims of [
      undefined,
      null,
      "7",
      7,
      [],
      {},
      { id: 7 },
      { id: 7, iat: 100, signed_in_at: 123_456 },
      { id: 7, sid: "short" },
      { id: 7, sid: 42 },
      { id: "7", sid },
      { id: 7.5, sid },
      { id: null, sid },
    ])
      expect(readSessionClaims(claims), JSON.stringify(claims)).toBeNull();
  });
});
