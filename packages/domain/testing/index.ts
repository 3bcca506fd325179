/** Test-only helpers shared by every test suite that runs on a real D1 (`@fataplus/domain/testing`). */
export * from "./scenario.ts";
