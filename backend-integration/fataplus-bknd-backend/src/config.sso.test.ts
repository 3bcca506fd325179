/** The single sign-on part of the typed configuration (decision 025). */
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.ts";

const base = { JWT_SECRET: "x".repeat(40) };

describe("single sign-on settings", () => {
  it("a provider is on with a client id and secret, with the real issuer by default", () => {
    expect(parseConfig(base).sso).toEqual([]);
    const { sso } = parseConfig({ ...base, SSO_GOOGLE_CLIENT_ID: "id", SSO_GOOGLE_CLIENT_SECRET: "secret" });
    expect(sso).toEqual([
      {
        id: "google",
        label: "Google",
        issuer: "https://accounts.google.com",
        clientId: "id",
        clientSecret: "secret",
      },
    ]);
    const ms = parseConfig({
      ...base,
      SSO_MICROSOFT_CLIENT_ID: "id",
      SSO_MICROSOFT_CLIENT_SECRET: "secret",
      SSO_MICROSOFT_ISSUER: "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/v2.0/",
      SSO_MICROSOFT_LABEL: "Microsoft (Acme)",
    }).sso;
    expect(ms[0]).toMatchObject({
      id: "microsoft",
      label: "Microsoft (Acme)",
      issuer: "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000001/v2.0",
    });
  });

  it("half a provider, or a plain-http issuer in production, is a configuration error", () => {
    expect(() => parseConfig({ ...base, SSO_GOOGLE_CLIENT_ID: "id" })).toThrow(/go together/);
    expect(() =>
      parseConfig({
        ...base,
        ENVIRONMENT: "production",
        SSO_GOOGLE_CLIENT_ID: "id",
        SSO_GOOGLE_CLIENT_SECRET: "s",
        SSO_GOOGLE_ISSUER: "http://127.0.0.1:8790/google",
      }),
    ).toThrow(/https/);
    // outside production the local fake provider is fine
    expect(
      parseConfig({
        ...base,
        ENVIRONMENT: "development",
        SSO_GOOGLE_CLIENT_ID: "id",
        SSO_GOOGLE_CLIENT_SECRET: "s",
        SSO_GOOGLE_ISSUER: "http://127.0.0.1:8790/google",
      }).sso[0]?.issuer,
    ).toBe("http://127.0.0.1:8790/google");
  });
});
