export * from "./sql.ts";
export * from "./timeline.ts";
