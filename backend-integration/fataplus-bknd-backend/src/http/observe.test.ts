/**
 * Every log line the worker writes while it serves real requests is one JSON object with the request's id, its
 * tenant and its route, and none carries a password, a token, a session or a document's or message's content
 * (decision 029). The lines are captured where the worker writes them (setLogSink), during sign-in, uploads,
 * messages, token creation and an MCP call, then searched for every secret the test knows.
 */
import type { TenantRef } from "@fataplus/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, mcpCall, PASSWORD, scenario, type TestUser, unique } from "../../test/factories.ts";
import { makeAccessToken } from "../../test/mcp-factories.ts";
import { pdfBytes, upload } from "../../test/portal-factories.ts";
import { routeOf, sanitize, scrub, setLogSink } from "./observe.ts";

let A: TenantRef;
let pm: TestUser;
let client: TestUser;
const lines: string[] = [];

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A"],
    names: { A: "Observed" },
    roles: ["project_manager", "client"],
  });
  A = s.tenants.A;
  pm = s.members.A.project_manager;
  client = s.members.A.client;
  setLogSink((line) => lines.push(line));
});
afterAll(() => setLogSink(null));

describe("structured logs", () => {
  it("carry a request id, the tenant and the route, and no secret or content", async () => {
    const docText = unique("CONTENU-DU-DOCUMENT-");
    const messageText = unique("texte-du-message-");
    const from = lines.length;

    const login = await call("POST", "/api/auth/login", {
      body: { email: client.email, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const session = ((await login.json()) as { token: string }).token;
    const wrong = await call("POST", "/api/auth/login", {
      body: { email: client.email, password: "Wrong-pass-123" },
    });
    expect(wrong.status).toBe(401);
    const up = await upload(
      pm.token,
      A.subdomain,
      { bytes: pdfBytes(docText), name: `${docText}.pdf` },
      { title: docText },
    );
    expect(up.status).toBe(201);
    const msg = await call("POST", "/api/app/portal/messages", {
      token: session,
      tenant: A.subdomain,
      body: { body: messageText },
    });
    expect(msg.status).toBe(201);
    const pat = await makeAccessToken(pm, { tenants: [A] });
    const mcp = await mcpCall(pat.token, A.subdomain, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: {},
    });
    expect(mcp.status).toBe(200);
    const home = await call("GET", `/api/app/portal/home?secret_param=${messageText}`, {
      token: session,
      tenant: A.subdomain,
    });
    expect(home.status).toBe(200);

    const mine = lines.slice(from);
    expect(mine.length).toBeGreaterThanOrEqual(7);
    const parsed = mine.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) {
      expect(typeof p.requestId).toBe("string");
      expect(typeof p.route).toBe("string");
      expect("tenant" in p).toBe(true);
      expect(["debug", "info", "warn", "error"]).toContain(p.level);
    }
    const requests = parsed.filter((p) => p.msg === "request");
    expect(requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(
      expect.arrayContaining([
        "POST /api/auth/login 200",
        "POST /api/auth/login 401",
        "POST /api/app/portal/documents 201",
        "POST /api/app/portal/messages 201",
        "POST /api/system/mcp 200",
        "GET /api/app/portal/home 200",
      ]),
    );
    // the gate's verdict: the tenant the caller may open, and who they are
    const homeLine = requests.find((r) => r.route === "/api/app/portal/home");
    expect(homeLine?.tenant).toBe(A.subdomain);
    expect(homeLine?.user).toBe(String(client.id));
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(requests.length);

    const all = mine.join("\n");
    for (const secret of [
      PASSWORD,
      "Wrong-pass-123",
      session,
      client.token,
      pm.token,
      pat.token,
      docText,
      messageText,
    ])
      expect(all).not.toContain(secret);
    expect(all).not.toContain(client.email);
  });

  it("turns console calls of any code into the same lines, with secrets removed", () => {
    const from = lines.length;
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl";
    console.error("failed for someone@example.test", {
      password: "hunter2-hunter2",
      nested: { token: "t0k3n-value" },
      n: 3,
    });
    console.warn(new Error(`bad token ${jwt} and fpat_abcdefghijklmnop`));
    const got = lines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(got).toHaveLength(2);
    expect(got[0]?.level).toBe("error");
    expect(got[0]?.msg).toBe("failed for [email]");
    expect(got[0]?.args).toEqual([{ password: "[redacted]", nested: { token: "[redacted]" }, n: 3 }]);
    const text = lines.slice(from).join("\n");
    for (const s of ["hunter2", "t0k3n-value", jwt, "fpat_abcdefghijklmnop", "someone@example.test"])
      expect(text).not.toContain(s);
  });

  it("names routes without their ids, tokens or query", () => {
    expect(routeOf("/api/app/portal/documents/5b1f0a2e-8c1d-4c59-9d7e-0a1b2c3d4e5f")).toBe(
      "/api/app/portal/documents/:id",
    );
    expect(routeOf("/api/files/AbCdEfGhIjKlMnOpQrStUvWxYz0123")).toBe("/api/files/:id");
    expect(routeOf("/api/data/entity/clients/42")).toBe("/api/data/entity/clients/:id");
    expect(routeOf("/api/app/crm/usage.csv")).toBe("/api/app/crm/usage.csv");
    expect(scrub("Bearer abc.def")).toBe("Bearer [redacted]");
    expect(sanitize({ html_body: "<p>x</p>", subject: "Facture", status: "sent" })).toEqual({
      html_body: "[redacted]",
      subject: "[redacted]",
      status: "sent",
    });
  });
});
