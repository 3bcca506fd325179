/**
 * What MCP clients found against the endpoint's edges (issue 21): every refusal is a JSON-RPC error with the
 * right code, a 401 says `WWW-Authenticate: Bearer`, a foreign Origin is refused, and a body that is not JSON
 * is a parse error (-32700), not an invalid request (-32600).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  json,
  MCP_ACCEPT,
  makeTenant,
  makeUser,
  mcpTool,
  type TestUser,
} from "../../test/factories.ts";
import { makeAccessToken, patCall } from "../../test/mcp-factories.ts";

const METADATA = "https://bknd.test/.well-known/oauth-protected-resource/api/system/mcp";
type RpcError = { jsonrpc: string; id: null; error: { code: number; message: string } };
const list = mcpTool("list_tasks", {});
const headers: Record<string, string> = {
  ...MCP_ACCEPT,
  "content-type": "application/json",
  "mcp-protocol-version": "2025-11-25",
};

let pm: TestUser;
let pat = "";
beforeAll(async () => {
  const A = await makeTenant("MCP edges");
  pm = await makeUser({ memberships: [[A, "project_manager"]] });
  pat = (await makeAccessToken(pm, { tenants: [A] })).token;
});

async function rpcError(res: Response): Promise<RpcError> {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await json<RpcError>(res);
  expect(body).toMatchObject({ jsonrpc: "2.0", id: null });
  return body;
}

describe("the MCP endpoint's refusals are JSON-RPC errors", () => {
  it("no credentials: 401, WWW-Authenticate without an error code, a message that says what to send", async () => {
    const extras: Record<string, string>[] = [{}, { cookie: "x=1" }];
    for (const extra of extras) {
      const res = await call("POST", "/api/system/mcp", {
        rawBody: JSON.stringify(list),
        headers: { ...headers, ...extra },
      });
      expect(res.status).toBe(401);
      // where an assistant that connects by URL finds the authorization server (RFC 9728, decision 031)
      expect(res.headers.get("www-authenticate")).toBe(
        `Bearer realm="fataplus", resource_metadata="${METADATA}"`,
      );
      const body = await rpcError(res);
      expect(body.error.code).toBe(-32001);
      expect(body.error.message).toMatch(/personal access token/);
    }
  });

  it("an unknown bearer: 401 with invalid_token", async () => {
    for (const token of ["not-a-token", `fpat_${"a".repeat(44)}`]) {
      const res = await patCall(token, list);
      expect(res.status, token).toBe(401);
      expect(res.headers.get("www-authenticate"), token).toBe(
        `Bearer realm="fataplus", error="invalid_token", resource_metadata="${METADATA}"`,
      );
      expect((await rpcError(res)).error.code).toBe(-32001);
    }
  });

  it("a session instead of a token (bearer JWT or cookie): 403, as a JSON-RPC error", async () => {
    for (const how of ["bearer", "cookie"] as const) {
      const res = await call("POST", "/api/system/mcp", {
        rawBody: JSON.stringify(list),
        headers: { ...headers, ...(how === "cookie" ? { cookie: pm.cookie } : {}) },
        ...(how === "bearer" ? { token: pm.token } : {}),
      });
      expect(res.status, how).toBe(403);
      const body = await rpcError(res);
      expect(body.error.code).toBe(-32003);
      expect(body.error.message).toMatch(/session is not an MCP credential/);
    }
  });

  it("a foreign Origin is refused; the site's own origins and no Origin pass", async () => {
    const at = (origin?: string) =>
      call("POST", "/api/system/mcp", {
        token: pat,
        rawBody: JSON.stringify(list),
        headers: { ...headers, ...(origin ? { origin } : {}) },
      });
    const foreign = await at("https://evil.example");
    expect(foreign.status).toBe(403);
    expect((await rpcError(foreign)).error.code).toBe(-32003);
    expect((await at("null")).status).toBe(403);
    for (const ok of [undefined, "https://fata.plus", "https://acme.fata.plus"])
      expect((await at(ok)).status, String(ok)).toBe(200);
  });

  it("a body that is not JSON is a parse error (-32700); JSON that is no message is an invalid request", async () => {
    const broken = await patCall(pat, "{not json");
    expect(broken.status).toBe(400);
    expect((await rpcError(broken)).error.code).toBe(-32700);
    const notMessage = await patCall(pat, { hello: "world" });
    expect(notMessage.status).toBe(400);
    expect((await rpcError(notMessage)).error.code).toBe(-32600);
  });
});
