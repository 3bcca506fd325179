import { describe, expect, it } from "vitest";
import { MICROSOFT_CONSUMER_TENANT, verifiedEmailOf } from "./claims.ts";
import { pkceChallenge, ssoFailureOf } from "./provider.ts";
import { openSsoState, SSO_STATE_TTL_SECONDS, type SsoState, sealSsoState } from "./state.ts";

describe("which address a provider vouches for", () => {
  it("Google: only with email_verified true", () => {
    expect(verifiedEmailOf("google", { email: "Ana@Example.test", email_verified: true })).toBe(
      "ana@example.test",
    );
    expect(verifiedEmailOf("google", { email: "ana@example.test", email_verified: false })).toBeNull();
    expect(verifiedEmailOf("google", { email: "ana@example.test", email_verified: "true" })).toBeNull();
    expect(verifiedEmailOf("google", { email: "ana@example.test" })).toBeNull();
    // a Google token's xms_edov means nothing
    expect(verifiedEmailOf("google", { email: "ana@example.test", xms_edov: true })).toBeNull();
  });

  it("Microsoft: xms_edov, or a personal account, or email_verified", () => {
    expect(verifiedEmailOf("microsoft", { email: "bo@corp.test", xms_edov: true })).toBe("bo@corp.test");
    expect(verifiedEmailOf("microsoft", { email: "bo@corp.test", xms_edov: false })).toBeNull();
    expect(
      verifiedEmailOf("microsoft", { email: "bo@corp.test", tid: "00000000-0000-4000-8000-000000000001" }),
    ).toBeNull();
    expect(verifiedEmailOf("microsoft", { email: "bo@outlook.test", tid: MICROSOFT_CONSUMER_TENANT })).toBe(
      "bo@outlook.test",
    );
    expect(verifiedEmailOf("microsoft", { email: "not an address", xms_edov: true })).toBeNull();
  });
});

describe("the state cookie", () => {
  const secret = "test-only-secret-0123456789abcdefghijklmnopqrstuvwxyz";
  const flow: SsoState = {
    provider: "google",
    state: "s".repeat(43),
    nonce: "n".repeat(43),
    verifier: "v".repeat(64),
    lang: "en",
    next: "/crm",
    portal: null,
    invitation: null,
  };
  const now = new Date("2026-12-03T10:00:00Z");

  it("opens what it sealed, until it expires", async () => {
    const sealed = await sealSsoState(flow, secret, now);
    expect(sealed).not.toContain("v".repeat(20)); // encrypted: the verifier is not readable
    expect(await openSsoState(sealed, secret, new Date(now.getTime() + 60_000))).toEqual(flow);
    const late = new Date(now.getTime() + (SSO_STATE_TTL_SECONDS + 61) * 1000);
    await expect(openSsoState(sealed, secret, late)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses another key, a changed byte, nothing", async () => {
    const sealed = await sealSsoState(flow, secret, now);
    await expect(openSsoState(sealed, `${secret}x`, now)).rejects.toSatisfy(
      (e) => ssoFailureOf(e) === "state",
    );
    const flipped = `${sealed.slice(0, 60)}${sealed[60] === "A" ? "B" : "A"}${sealed.slice(61)}`;
    await expect(openSsoState(flipped, secret, now)).rejects.toSatisfy((e) => ssoFailureOf(e) === "state");
    await expect(openSsoState(undefined, secret, now)).rejects.toSatisfy((e) => ssoFailureOf(e) === "state");
  });
});

it("PKCE S256: base64url(SHA-256(verifier)), without padding (the value node:crypto computes)", async () => {
  expect(await pkceChallenge("dBjftJeZ4CVP-mB92K1uhbF1mYKmH9Q4kXhqY2Z0N3Y")).toBe(
    "DMMWE4Nr5Gfjf-Yww8_q5OoKpqBLPOLkUrvjG2WUreU",
  );
});

it("a provider that cannot be reached is the 'provider' failure, not a crash", async () => {
  const { createOidcProvider } = await import("./provider.ts");
  const p = createOidcProvider({
    id: "google",
    label: "Google",
    issuer: "http://127.0.0.1:9",
    clientId: "id",
    clientSecret: "secret",
  });
  const err = await p
    .authorizationUrl({ redirectUri: "http://x.test/cb", state: "s", nonce: "n", codeChallenge: "c" })
    .catch((e: unknown) => e);
  expect(ssoFailureOf(err)).toBe("provider");
});
