/**
 * The architecture, as rules the linter enforces (`pnpm run lint:layers`, part of `pnpm run lint` and of the test
 * command). docs/decisions/014-layout-config-and-client.md explains the layers:
 *
 *   packages/domain      the business rules; imports no adapter, no framework (Hono, bknd, Astro, React)
 *   packages/api-client  the site's one client to the API; imports only the domain's types
 *   backend-integration  the worker: http/ plumbing, bknd/ (app, gate, schema), routes/ (one file per area),
 *                        mcp/, realtime/, jobs/; adapters import the domain and http/, never each other;
 *                        oauth/ (MCP's authorization server, decision 031) is shared plumbing like http/
 *   apps/web             the site; islands import the domain's zod-free vocabulary (or its schemas, lazily)
 */
const worker = "^backend-integration/fataplus-bknd-backend/src/";
const adapters = ["routes", "mcp", "realtime", "jobs"];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make a change ripple: break them by moving the shared piece down a layer.",
      from: { pathNot: "\\.test\\.ts$" },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "domain-imports-no-adapter",
      severity: "error",
      comment:
        "The domain is the only home of business rules: it never reaches into the worker, the site or a script.",
      from: { path: "^packages/domain/" },
      to: { path: "^(apps|backend-integration|scripts|packages/api-client)/" },
    },
    {
      name: "domain-imports-no-framework",
      severity: "error",
      comment: "Domain verbs take { ctx, input } and D1/R2 bindings: no HTTP framework, no bknd, no UI.",
      from: { path: "^packages/domain/", pathNot: "\\.test\\.ts$" },
      to: {
        dependencyTypes: ["npm", "npm-dev"],
        path: "node_modules/(hono|bknd|astro|react|react-dom|@astrojs)/",
      },
    },
    {
      name: "no-reaching-into-another-package",
      severity: "error",
      comment:
        "Import a package by its name and its exports (@fataplus/domain, @fataplus/domain/vocabulary), never its src.",
      from: { path: "^(apps|backend-integration|scripts|packages)/([^/]+)/" },
      to: {
        path: "^packages/(domain|api-client)/src/",
        pathNot: [
          // a package's own files, and the entry points its package.json exports
          "^$1/$2/",
          "^packages/domain/src/(index|vocabulary/index|schemas|pdf|payments)\\.ts$",
          "^packages/api-client/src/(index|http)\\.ts$",
        ],
      },
    },
    {
      name: "site-and-worker-apart",
      severity: "error",
      comment: "The site reaches the worker over HTTP only (the /api proxy and the one client).",
      from: { path: "^apps/" },
      to: { path: "^backend-integration/" },
    },
    {
      name: "worker-adapters-apart",
      severity: "error",
      comment:
        "Routes, MCP, realtime and jobs are thin adapters over the domain: they share http/ and config.ts, never each other.",
      from: { path: `${worker}(${adapters.join("|")})/`, pathNot: "\\.test\\.ts$" },
      // the project's live channel (a Durable Object) is the one piece every adapter may publish to
      to: {
        path: `${worker}(bknd/gate|${adapters.join("|")})/`,
        pathNot: [`${worker}$1/`, `${worker}realtime/hub\\.ts$`],
      },
    },
    {
      name: "gate-imports-no-route",
      severity: "error",
      comment: "The gate decides before any route runs; it must not depend on them.",
      from: { path: `${worker}bknd/gate/` },
      to: { path: `${worker}(${adapters.join("|")})/` },
    },
    {
      name: "http-plumbing-is-a-leaf",
      severity: "error",
      comment: "http/ is what every adapter shares: it imports config.ts and the domain, nothing above it.",
      from: { path: `${worker}http/` },
      to: { path: `${worker}(bknd|${adapters.join("|")})/` },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.astro|\\.wrangler)/|worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    combinedDependencies: true,
  },
};
