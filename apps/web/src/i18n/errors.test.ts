import { ApiError } from "@fataplus/api-client/http";
import { describe, expect, it } from "vitest";
import { apiErrorText, englishSentences, fieldErrorsIn } from "./errors";

const CODES = [
  "VALIDATION",
  "BAD_QUERY",
  "TENANT_REQUIRED",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE",
  "RATE_LIMITED",
  "INTERNAL",
  "UPSTREAM_UNAVAILABLE",
] as const;
const KEYS = ["required", "too_long", "too_short", "too_many", "too_few", "too_big", "too_small"];
const MORE_KEYS = [
  "invalid_url",
  "invalid_email",
  "invalid_value",
  "invalid",
  "date_order",
  "taken",
  "not_right",
  "file_type",
];

describe("API refusals in French", () => {
  const english = englishSentences();

  it("every code reads in French, never as the API's English message or an English catalogue sentence", () => {
    for (const code of CODES) {
      const text = apiErrorText("fr", new ApiError(400, code, "This invitation was already used."), "repli");
      expect(text, code).not.toContain("already used");
      for (const sentence of english) expect(text, code).not.toContain(sentence);
      expect(text.length, code).toBeGreaterThan(10);
    }
  });

  it("every field key reads in French, with and without its bound", () => {
    const details = [...KEYS, ...MORE_KEYS].flatMap((key) => [
      { path: `${key}_plain`, message: "must be an https:// link", key },
      { path: `${key}_bound`, message: "must be an https:// link", key, params: { max: 3, min: 3 } },
    ]);
    const fields = fieldErrorsIn("fr", new ApiError(400, "VALIDATION", "Invalid input", details));
    expect(Object.keys(fields)).toHaveLength(details.length);
    for (const [field, text] of Object.entries(fields)) {
      expect(text, field).not.toMatch(/https:\/\/ link|must be/);
      for (const sentence of english) expect(text, field).not.toBe(sentence);
    }
    expect(fields.too_long_bound).toBe("Au plus 3 caractères.");
    expect(fields.too_few_bound).toBe("Au moins 3 éléments.");
  });

  it("a problem without a key keeps the API's own words (written for people, some already in French)", () => {
    const e = new ApiError(400, "VALIDATION", "Invalid", [
      { path: "current_password", message: "Le mot de passe actuel est incorrect." },
    ]);
    expect(fieldErrorsIn("fr", e)).toEqual({ current_password: "Le mot de passe actuel est incorrect." });
  });

  it("an English reader keeps the API's own message where the catalogue has no better one", () => {
    const e = new ApiError(409, "CONFLICT", "This invitation was already used.");
    expect(apiErrorText("en", e, "x")).toBe("This invitation was already used.");
    expect(apiErrorText("fr", e, "x")).toMatch(/^Cette action n'est plus possible/);
  });

  it("no answer at all: the caller's own fallback, in either language", () => {
    expect(apiErrorText("fr", new ApiError(0, "NETWORK_ERROR", "offline"), "Hors ligne ?")).toBe(
      "Hors ligne ?",
    );
    expect(apiErrorText("fr", new TypeError("boom"), "Réessayez.")).toBe("Réessayez.");
  });
});
