/** Test-only helpers shared by every test suite that runs on a real D1 (`@fataplus/domain/testing`). */

export * from "./files.ts";
export * from "./scenario.ts";
