/**
 * The tenant gate: one Hono middleware that every request to the bknd app passes through, including the
 * requests bknd re-issues internally for MCP tools and its SDK. It is registered by the fataplus plugin's
 * onServerInit, ahead of bknd's own routes (see ../../../../docs/decisions/001-tenancy.md).
 *
 * Order of decisions:
 *  1. CORS preflight and public routes (src/http/public-routes.ts: health, public tenant info, login, logout,
 *     accepting an invitation, the intake form, the public bootcamp, signed download links).
 *  2. Routes nobody may use: registration, flows, bknd's own password login.
 *  3. Identity: the token says who claims to call; the database says who they are now.
 *  4. Admin surfaces (/admin, system config, media, auth admin): agency admins only.
 *  5. Data routes: tenant from the subdomain header or ?tenant=, checked against memberships, then ./data.ts
 *     answers every write through the domain's verbs and validates and rewrites the reads bknd serves.
 *  6. MCP (/api/system/mcp) is the Fataplus MCP server (src/mcp/), for personal access tokens only: those
 *     requests go straight to it and it authenticates the token itself; sessions are refused there.
 *  7. Fataplus routes under /api/app/: signed in; the resolved access is handed to the handler, which
 *     decides through the domain verbs (the access travels in the Hono variables: src/http/context.ts).
 */
import { DomainError, isPersonalAccessToken, sessionIdentity } from "@fataplus/domain";
import type { App } from "bknd";
import type { MiddlewareHandler } from "hono";
import { sessionAccess } from "../../http/access.ts";
import { hasUnreadableBody, notJson } from "../../http/body.ts";
import type { AppContext, AppEnv } from "../../http/context.ts";
import { errorResponse, toResponse } from "../../http/errors.ts";
import { noteCaller } from "../../http/observe.ts";
import { isPublicRoute } from "../../http/public-routes.ts";
import { TENANT_HEADER, tenantRefOf } from "../../http/request.ts";
import { mcpNeedsToken, rpcErrorResponse } from "../../http/rpc-error.ts";
import { currentScope } from "../../http/scope.ts";
import { shareSessionWithBknd, verifiedSession } from "../../http/session.ts";
import { gateDataRequest, gateUnscopedAdminWrite } from "./data.ts";

/** Open to any signed-in user. */
const SIGNED_IN_ROUTES: ReadonlyArray<[string, RegExp]> = [
  ["GET", /^\/api\/system\/openapi\.json$/],
  ["GET", /^\/api\/system\/swagger$/],
];

/** Open to nobody, whatever their role. */
const CLOSED_ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/^\/api\/auth\/[^/]+\/register$/, "Registration is closed: people join by invitation."],
  [/^\/api\/auth\/register$/, "Registration is closed: people join by invitation."],
  [/^\/api\/flows(\/|$)/, "Flows are disabled."],
  // The migrations own the schema (decision 002): nothing may sync it, rebuild with sync, or run raw SQL.
  [/^\/api\/data\/sync(\/|$)/, "Schema sync is disabled: the SQL migrations own the schema."],
  [/^\/api\/system\/build(\/|$)/, "Rebuilding the app is disabled: the configuration is code."],
  [/^\/api\/data\/raw(\/|$)/, "Raw SQL is disabled."],
];

/** Agency admins only. Everything under /api that is not public, data or MCP falls here too. */
const isAdminSurface = (path: string) =>
  path === "/admin" || path.startsWith("/admin/") || path.startsWith("/api/");

const MCP_PATH = "/api/system/mcp";
/** The methods of MCP's Streamable HTTP transport (the route answers each: POST only, the others 405). */
const isMcpMethod = (c: AppContext) =>
  c.req.method === "POST" || c.req.method === "GET" || c.req.method === "DELETE";

/** A request to the MCP endpoint that carries a personal access token (`Bearer fpat_…`). */
function isTokenMcpRequest(c: AppContext): boolean {
  const m = /^Bearer\s+(\S+)/i.exec(c.req.header("authorization") ?? "");
  return m?.[1] !== undefined && isPersonalAccessToken(m[1]);
}

/**
 * bknd answers some database refusals with a 500 and the raw D1 message. Those are the caller's input, so
 * they become a 409 with a readable message; bknd's 500s for fields, operators or values it does not know
 * (reached by agency admins working unscoped, as its admin UI does) become a 400; any other 5xx loses its
 * details (they go to the log).
 */
const BKND_INPUT_ERRORS =
  /not found on entity|invalid (value|field|operator|where|query|sort|select)|unknown (field|operator)|is required|must be|expected (a|an|one)|cannot (sort|select|filter)|unrecognized content-type|formdata can only parse|unexpected (token|end of json)|is not valid json/i;

async function sanitizeServerError(c: AppContext): Promise<void> {
  if (c.res.status < 500 || !new URL(c.req.url).pathname.startsWith("/api/")) return;
  if (currentScope()?.failed) return; // the access changed: this answer is thrown away, the request served again
  const text = await c.res.clone().text();
  // the status only: bknd's error text can quote the request's values (src/http/observe.ts)
  console.error("bknd answered", { status: c.res.status, bytes: text.length });
  c.res = /constraint/i.test(text)
    ? errorResponse(
        new DomainError(
          "CONFLICT",
          "The database refused this change: a required value is missing, a value is already taken, or a referenced record does not exist.",
        ),
      )
    : BKND_INPUT_ERRORS.test(text)
      ? errorResponse(
          new DomainError(
            "VALIDATION",
            "This request names a field, operator or value that this entity does not have.",
          ),
        )
      : errorResponse(new DomainError("INTERNAL", "Something went wrong on our side. Please try again."));
}

export function createGate(app: App): MiddlewareHandler<AppEnv> {
  const decide = createDecision(app);
  return async (c, next) => {
    // What the gate lets through reaches a handler: its body must be one the API reads (JSON, an upload).
    const pass = async () => {
      if (hasUnreadableBody(c.req.raw)) c.res = errorResponse(notJson());
      else await next();
    };
    const answered = await decide(c, pass);
    if (answered) return answered;
    await sanitizeServerError(c);
  };
}

function createDecision(app: App) {
  return async (c: AppContext, next: () => Promise<void>): Promise<Response | undefined> => {
    try {
      const method = c.req.method;
      const rawPath = new URL(c.req.url).pathname;
      if (
        rawPath.includes("%") ||
        rawPath.includes("//") ||
        rawPath.includes("/./") ||
        rawPath.includes("/../")
      ) {
        throw new DomainError("BAD_QUERY", "Encoded or empty path segments are not allowed.");
      }
      const path = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
      if (method === "OPTIONS") return void (await next());
      const closed = CLOSED_ROUTES.find(([r]) => r.test(path));
      if (closed) throw new DomainError("FORBIDDEN", closed[1]);
      if (isPublicRoute(method, path)) return void (await next());
      if (!path.startsWith("/api/") && path !== "/admin" && !path.startsWith("/admin/"))
        return void (await next());
      if ((path === "/admin/auth/login" || path === "/admin/auth/logout") && method === "GET")
        return void (await next()); // signing out needs no valid session (src/routes/auth.ts ends it if there is one)

      // The MCP server (src/mcp/) authenticates, counts and scopes personal access tokens itself. Anything else
      // sent there (no token, a session's JWT or cookie) is refused as a JSON-RPC error that MCP clients show.
      if (path === MCP_PATH && isMcpMethod(c)) {
        if (isTokenMcpRequest(c)) return void (await next());
        const bearer = /^Bearer\s+\S/i.test(c.req.header("authorization") ?? "");
        const claims = await verifiedSession(app, c);
        // a live session is told it is not a token (403); anything else is not signed in (401)
        const live = claims ? await sessionIdentity({ db: c.env.DB, session: claims }) : null;
        return rpcErrorResponse(mcpNeedsToken(live !== null), {
          credentials: bearer || claims !== null,
          url: c.req.url,
        });
      }

      const session = await verifiedSession(app, c);
      if (session === null) {
        if (path === "/admin" || path.startsWith("/admin/")) return c.redirect("/admin/auth/login");
        throw new DomainError("UNAUTHENTICATED", "Sign in first.");
      }
      const db = c.env.DB;
      const isData = path.startsWith("/api/data/");
      const isMcp = path === "/api/system/mcp";
      const isApp = path.startsWith("/api/app/");
      const tenantRef = isData || isMcp || isApp ? tenantRefOf(c) : null;
      const { userId, sessionId } = session;
      // read now, or this isolate's last reading, checked in the same round trip as the first read (decision 017)
      const access = await sessionAccess({ db, userId, tenantRef, session: { id: sessionId } });
      if (!access)
        throw new DomainError("UNAUTHENTICATED", "Your session is no longer valid. Sign in again.");
      noteCaller(access.role ? (access.tenant?.subdomain ?? null) : null, userId); // logs and usage
      const isAgencyAdmin = access.identity.role === "admin";

      if (isApp) {
        // Fataplus' own routes (src/routes/*): each handler decides with the domain verbs, from this access.
        c.set("access", { access, tenantRef });
        return void (await next());
      }

      if (isMcp) {
        // bknd's own MCP server is off (decision 006): no stock data_*, auth_*, system_* or config_* tool for
        // anyone. Agents use a personal access token; a session is not one.
        throw new DomainError(
          "FORBIDDEN",
          "bknd's MCP tools are disabled. MCP takes a personal access token: Authorization: Bearer fpat_… (create one in your settings).",
        );
      }

      // bknd's routes need the same user: verified once (above), not again by bknd's auth middleware
      shareSessionWithBknd(c, session);

      const actor = {
        type: "user",
        userId: access.identity.id,
        email: access.identity.email,
        agencyRole: access.identity.role,
      } as const;
      if (isData) {
        if (isAgencyAdmin && !tenantRef) {
          // platform operators work unscoped, e.g. in /admin: reads are bknd's, writes the verbs' in the row's tenant
          const answered = await gateUnscopedAdminWrite(c, path.split("/").slice(3), { db, actor });
          if (answered) return answered;
          return void (await next());
        }
        if (!tenantRef) {
          throw new DomainError(
            "TENANT_REQUIRED",
            `Say which project you work in: the ${TENANT_HEADER} header (set by the site from the subdomain) or ?tenant=.`,
          );
        }
        if (!access.tenant || !access.role)
          throw new DomainError("FORBIDDEN", "You have no access to this project.");
        const segments = path.split("/").slice(3); // ["", "api", "data", ...]
        const dataAccess = { db, tenant: access.tenant, role: access.role, actor };
        const answered = await gateDataRequest(c, segments, dataAccess); // every write is answered here
        if (answered) return answered;
        return void (await next());
      }

      if (SIGNED_IN_ROUTES.some(([m, r]) => m === method && r.test(path))) return void (await next());
      if (isAdminSurface(path) && !isAgencyAdmin) {
        throw new DomainError("FORBIDDEN", "This area is for agency admins.");
      }
      return void (await next());
    } catch (err) {
      return toResponse(err);
    }
  };
}
