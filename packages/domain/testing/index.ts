/** Test-only helpers shared by every test suite that runs on a real D1 (`@fataplus/domain/testing`). */

export * from "./bootcamp.ts";
export * from "./files.ts";
export * from "./recording.ts";
export * from "./scenario.ts";
export * from "./tools.ts";
