/**
 * `/api/system/mcp`: the Fataplus MCP server (Streamable HTTP, stateless, JSON responses). Registered by the
 * plugin ahead of bknd's routes; bknd's own MCP server is off (src/bknd/app.ts) and the gate hands this route only
 * requests that carry a personal access token (`Authorization: Bearer fpat_…`). Session JWTs and cookies are
 * refused by the gate (decision 006).
 *
 * Per request (decision 017): cap the body; count the token's request with the rate-limiting binding (no D1
 * write); read the token, its user and the user's access to the one tenant the messages work in, in one
 * statement (with a hint, that statement rides in the batch of the tool's first read: src/http/access.ts); read
 * the token's tenants only for the messages that list or describe them; then the isolate's one MCP server
 * answers (./server.ts). The token's last use and the calls' audit rows are written after the answer.
 */
import {
  countTokenRequest,
  DomainError,
  listTokenTenants,
  TOKEN_LAST_USE_PRECISION_MS,
  type TokenAccessRow,
  type TokenCheck,
  type TokenTenantAccess,
  tenantKey,
  tokenAccessOfRow,
  tokenAccessStatement,
  tokenHash,
  touchTokenStatement,
} from "@fataplus/domain";
import { isAllowedOrigin } from "../config.ts";
import { Hints, sameAccess } from "../http/access.ts";
import type { AppContext, AppServer } from "../http/context.ts";
import { MCP_PATH } from "../http/mcp-urls.ts";
import { tenantRefOf } from "../http/request.ts";
import { mcpNeedsToken, rpcErrorResponse } from "../http/rpc-error.ts";
import { currentScope } from "../http/scope.ts";
import { auditAfterAnswer } from "./audit.ts";
import { readMcpBody } from "./body.ts";
import type { McpRequestScope } from "./listing.ts";
import { mcpHub, SUMMARY_URI } from "./server.ts";

export { MCP_PATH };

/** The bearer credential of a request, if any. */
export function bearerOf(c: AppContext): string | null {
  const h = c.req.header("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The tenant a message works in: a string, none (it needs no tenant), or "unknown" (it needs the list). */
function tenantOfMessage(message: unknown, pinned: string | null): string | null | "unknown" {
  if (!isRecord(message) || message.id === undefined || typeof message.method !== "string") return null;
  const params = isRecord(message.params) ? message.params : {};
  switch (message.method) {
    case "ping":
      return null;
    case "tools/call": {
      if (pinned) return pinned;
      const args = isRecord(params.arguments) ? params.arguments : {};
      return typeof args.tenant === "string" && args.tenant.trim() ? args.tenant : "unknown";
    }
    case "resources/read": {
      const m = typeof params.uri === "string" ? SUMMARY_URI.exec(params.uri) : null;
      try {
        return pinned ?? (m?.[1] ? decodeURIComponent(m[1]) : null);
      } catch {
        return null; // the handler answers "not found" for it
      }
    }
    default:
      return "unknown"; // initialize, lists: they describe every tenant the token reaches
  }
}

const keyOf = (ref: string) => {
  const { column, value } = tenantKey(ref);
  return `${column}:${value}`;
};

/**
 * What the messages of one request need: the one tenant they all work in (or none), and whether they need the
 * list of the token's tenants.
 */
function needsOf(body: unknown, pinned: string | null): { tenant: string | null; list: boolean } {
  const refs = (Array.isArray(body) ? body : [body]).map((m) => tenantOfMessage(m, pinned));
  if (refs.includes("unknown")) return { tenant: pinned, list: true };
  const named = refs.filter((r): r is string => r !== null && r !== "unknown");
  const first = named[0];
  if (pinned) return { tenant: pinned, list: false };
  if (first === undefined || named.some((r) => keyOf(r) !== keyOf(first)))
    return { tenant: null, list: false };
  return { tenant: first, list: false };
}

/** The last check of each token and tenant in this isolate (a hint: src/http/access.ts). */
const tokenHints = new Hints<TokenCheck>();
const sameGrant = (a: TokenCheck | null, b: TokenCheck) =>
  a !== null && sameAccess([a.principal, a.access], [b.principal, b.access]);
/** When this isolate last wrote a token's last use. */
const touched = new Map<string, number>();

/** The token's check: from the hint (checked with the first read of the calls) or read now. */
async function checkToken(
  db: D1Database,
  { hash, tenantRef, now }: { hash: string; tenantRef: string | null; now: () => Date },
): Promise<{ check: TokenCheck; lastUsedAt: () => string | null }> {
  const scope = currentScope();
  const key = `${hash}\u0000${tenantRef === null ? "" : keyOf(tenantRef)}`;
  const hint = scope?.hints ? tokenHints.get(key) : undefined;
  if (scope && hint) {
    let lastUsedAt = hint.lastUsedAt;
    scope.expect({
      statement: tokenAccessStatement(scope.db, { hash, tenantRef, now: now() }),
      holds: (row) => {
        const fresh = tokenAccessOfRow(row as TokenAccessRow | undefined);
        lastUsedAt = fresh?.lastUsedAt ?? null;
        if (sameGrant(fresh, hint)) return true;
        tokenHints.delete(key);
        return false;
      },
    });
    return { check: hint, lastUsedAt: () => lastUsedAt };
  }
  const row = await tokenAccessStatement(scope?.db ?? db, {
    hash,
    tenantRef,
    now: now(),
  }).first<TokenAccessRow>();
  const check = tokenAccessOfRow(row);
  if (!check) {
    tokenHints.delete(key);
    throw new DomainError("UNAUTHENTICATED", "This access token is invalid, expired or revoked.");
  }
  tokenHints.set(key, check);
  return { check, lastUsedAt: () => check.lastUsedAt };
}

/** The tenant a connection is pinned to, from the token's check for it: reached, and in the token's scope. */
function pinnedOf(check: TokenCheck): TokenTenantAccess {
  const { tenant, role } = check.access;
  const { allTenants, tenantIds } = check.principal;
  if (!tenant || !role || !(allTenants || tenantIds.includes(tenant.id)))
    throw new DomainError("FORBIDDEN", "This token has no access to this project.");
  return { ...tenant, role };
}

/**
 * A request a browser sent from a page that is not ours: the MCP specification asks servers to refuse it (DNS
 * rebinding). Clients outside a browser send no Origin and pass.
 */
function isForeignOrigin(c: AppContext): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  return !isAllowedOrigin(origin, c.get("config").origins) && origin !== new URL(c.req.url).origin;
}

async function handle(c: AppContext): Promise<Response> {
  try {
    if (isForeignOrigin(c))
      throw new DomainError("FORBIDDEN", "MCP requests from this origin are refused (Origin header).");
    const token = bearerOf(c);
    if (!token) return rpcErrorResponse(mcpNeedsToken(), { credentials: false, url: c.req.url });
    const db = c.env.DB;
    const now = () => new Date();
    // A batch counts as many calls as it carries messages (the body is capped before it is parsed).
    const body = c.req.method === "POST" ? await readMcpBody(c.req.raw) : undefined;
    const hash = await tokenHash(token);
    await countTokenRequest({
      limiter: c.env.MCP_RATE_LIMITER,
      hash,
      now,
      weight: Array.isArray(body) ? body.length : 1,
    });
    const pin = tenantRefOf(c);
    const needs = c.req.method === "POST" ? needsOf(body, pin) : { tenant: null, list: false };
    const { check, lastUsedAt } = await checkToken(db, { hash, tenantRef: needs.tenant, now });
    const request = currentScope();
    request?.after(async () => {
      // the token's last use, to the minute: most requests write nothing
      const at = now();
      const { tokenId } = check.principal;
      if (at.getTime() - (touched.get(tokenId) ?? 0) < TOKEN_LAST_USE_PRECISION_MS) return;
      const touch = touchTokenStatement(request.db, { tokenId, lastUsedAt: lastUsedAt(), now: at });
      if (!touch) return;
      touched.set(tokenId, at.getTime());
      await touch.run().catch((e: unknown) => console.error("token last use not recorded", e));
    });
    if (c.req.method !== "POST") {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      const res = rpcErrorResponse(
        new DomainError("METHOD_NOT_ALLOWED", "This MCP server is stateless: POST only."),
      );
      res.headers.set("allow", "POST");
      return res;
    }
    const pinned = pin ? pinnedOf(check) : null;
    const tenants = needs.list ? await listTokenTenants({ db, principal: check.principal }) : null;
    const scope: McpRequestScope = {
      db,
      env: c.env,
      principal: check.principal,
      tenants,
      pinned,
      checked: needs.tenant === null ? null : { ref: needs.tenant, access: check.access },
      audits: [],
      now,
    };
    const response = await (await mcpHub()).handle(c.req.raw, body, scope);
    request?.after(() => auditAfterAnswer(request.db, scope.audits) ?? Promise.resolve());
    return response;
  } catch (err) {
    return rpcErrorResponse(err, { url: c.req.url });
  }
}

export function registerMcpRoutes(server: AppServer): void {
  server.on(["POST", "GET", "DELETE"], MCP_PATH, handle);
}
