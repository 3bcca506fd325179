export * from "./sql.ts";
