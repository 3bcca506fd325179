export * from "./dashboard.ts";
export * from "./lists.ts";
export * from "./project.ts";
export * from "./provision.ts";
export * from "./scope.ts";
export * from "./views.ts";
