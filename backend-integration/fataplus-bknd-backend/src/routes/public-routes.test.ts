/**
 * The gate's table of public routes (src/http/public-routes.ts) is kept apart from the route modules, so the
 * gate imports no route. These tests keep the two in step: every route an area answers without a session is
 * in the table, and no signed-in route is.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppServer } from "../http/context.ts";
import { isPublicRoute } from "../http/public-routes.ts";
import { registerAppRoutes, registerPublicAreaRoutes } from "./index.ts";

/** A concrete path for a route pattern (`:id` → a plausible segment). */
const sample = (path: string) => path.replace(/:[^/]+/g, "x1");

function routesOf(register: (s: AppServer) => void): Array<{ method: string; path: string }> {
  const server: AppServer = new Hono();
  register(server);
  return server.routes.map((r) => ({ method: r.method, path: r.path }));
}

describe("the public route table", () => {
  it("lists every route the areas answer without a session", () => {
    const routes = routesOf(registerPublicAreaRoutes);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "GET /api/files/:token",
      "GET /api/health",
      "GET /api/notifications/unsubscribe",
      "GET /api/public/bootcamp/catalogue",
      "GET /api/public/bootcamp/certificates/:id",
      "GET /api/public/bootcamp/courses/:slug",
      "GET /api/public/tenant",
      "POST /api/intake",
      "POST /api/notifications/unsubscribe",
      "POST /api/public/bootcamp/applications",
      "POST /api/webhooks/stripe",
    ]);
    for (const r of routes)
      expect(isPublicRoute(r.method, sample(r.path)), `${r.method} ${r.path}`).toBe(true);
  });

  it("lists no /api/app/ route", () => {
    const routes = routesOf(registerAppRoutes);
    expect(routes.length).toBeGreaterThan(50);
    for (const r of routes)
      expect(isPublicRoute(r.method, sample(r.path)), `${r.method} ${r.path}`).toBe(false);
    expect(isPublicRoute("POST", "/api/app/auth/handoff")).toBe(false);
  });

  it("opens a public path for its method only", () => {
    expect(isPublicRoute("POST", "/api/intake")).toBe(true);
    expect(isPublicRoute("GET", "/api/intake")).toBe(false);
    expect(isPublicRoute("DELETE", "/api/public/bootcamp/catalogue")).toBe(false);
  });
});
