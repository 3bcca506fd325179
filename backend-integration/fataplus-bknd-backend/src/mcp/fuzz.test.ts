/**
 * Property-based fuzzing of every MCP tool, as every tenant role, with read and write tokens. The tools come
 * from the domain's descriptors and their arguments are generated from each tool's own input schema (valid
 * values mixed with hostile ones, missing and extra keys, `tenant` naming A, B or junk), so a tool added
 * later is fuzzed without being listed; the coverage test fails if a tool was never reached.
 *
 * Every answer must be a JSON-RPC result or error with a readable message, never an HTTP 5xx; nothing of
 * tenant B may appear in an answer, and B's rows never change.
 */
import { env } from "cloudflare:workers";
import { createRecord, type TenantRef, type TenantRole, tenantRoles, tools } from "@fataplus/domain";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  call,
  labelsOf,
  type Refs,
  scenario,
  snapshotTenant,
  systemCtx,
  type TestUser,
  unique,
} from "../../test/factories.ts";
import {
  expectNoLeak,
  expectReadableAnswer,
  FUZZ_RUNS,
  FUZZ_SEED,
  failureOf,
  nastyJson,
  nastyNumber,
  nastyString,
} from "../../test/fuzz.ts";
import { makeAccessToken, patCall } from "../../test/mcp-factories.ts";

let A: TenantRef;
let B: TenantRef;
let refsA: Refs;
let refsB: Refs;
const marker = unique("mcpsecretb");
let bMarkers: string[] = [];
type Agent = { role: TenantRole; scope: "read" | "write"; user: TestUser; token: string; id: string };
const agents: Agent[] = [];

beforeAll(async () => {
  const s = await scenario({
    tenants: ["A", "B"],
    names: { A: "MCP fuzz A", B: "MCP fuzz B" },
    seed: true,
    roles: tenantRoles,
  });
  ({ A, B } = s.tenants);
  ({ A: refsA, B: refsB } = s.refs);
  for (const role of tenantRoles)
    for (const scope of ["read", "write"] as const)
      agents.push({ role, scope, user: s.members.A[role], token: "", id: "" });
  await createRecord({ ctx: systemCtx(B), input: { entity: "leads", data: { title: `${marker} lead` } } });
  bMarkers = [marker, B.id, ...Object.values(refsB), ...(await labelsOf(env.DB, B.id))];
});

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

const idLike = () =>
  fc.oneof(
    fc.constantFrom(...Object.values(refsA)),
    fc.constantFrom(...Object.values(refsB)),
    fc.constant(crypto.randomUUID()),
    nastyString,
  );

/** A value for one property of a tool's input schema: mostly plausible, sometimes hostile. */
function valueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(nastyJson, nastyString, nastyNumber);
  let plausible: fc.Arbitrary<unknown>;
  if (schema.enum) plausible = fc.constantFrom(...schema.enum);
  else if (schema.anyOf) plausible = fc.oneof(...schema.anyOf.map(valueFor));
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === "string") plausible = schema.format === "uuid" ? idLike() : fc.oneof(nastyString, idLike());
    else if (type === "integer") plausible = fc.oneof(fc.integer({ min: -5, max: 200 }), nastyNumber);
    else if (type === "number") plausible = nastyNumber;
    else if (type === "boolean") plausible = fc.boolean();
    else if (type === "null") plausible = fc.constant(null);
    else if (type === "array")
      plausible = fc.array(schema.items ? valueFor(schema.items) : nastyJson, { maxLength: 4 });
    else plausible = nastyJson;
  }
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
}

function argsFor(tool: (typeof tools)[number]): fc.Arbitrary<unknown> {
  const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const props = Object.entries(schema.properties ?? {});
  const record = fc
    .tuple(
      ...props.map(([key, s]) =>
        fc.option(valueFor(s), { nil: undefined, freq: 3 }).map((v) => [key, v] as const),
      ),
      fc.option(
        fc.constantFrom(A.subdomain, A.id, B.subdomain, B.id, ` ${B.id} `, B.subdomain.toUpperCase()),
        { nil: undefined },
      ),
      fc.dictionary(
        fc.oneof(nastyString, fc.constantFrom("tenant_id", "__proto__", "$or", "where")),
        nastyJson,
        {
          maxKeys: 2,
        },
      ),
      fc.boolean(),
    )
    .map((parts) => {
      const withExtra = parts.pop() as boolean;
      const extra = parts.pop() as Record<string, unknown>;
      const tenant = parts.pop() as string | undefined;
      const args: Record<string, unknown> = {};
      for (const [k, v] of parts as Array<readonly [string, unknown]>) if (v !== undefined) args[k] = v;
      if (tenant !== undefined) args.tenant = tenant;
      return withExtra ? { ...args, ...extra } : args;
    });
  return fc.oneof({ weight: 8, arbitrary: record }, { weight: 1, arbitrary: nastyJson });
}

const reached = new Map<string, number>();

describe("fuzzing every MCP tool", () => {
  it("every tool answers a result or a readable error, reveals nothing of B and changes nothing of B", async () => {
    const before = await snapshotTenant(B.id);
    for (const tool of tools) {
      // the per-token rate limit (120 a minute) is not what this test is about: new tokens for each tool
      for (const a of agents) {
        if (a.id) await call("DELETE", `/api/app/tokens/${a.id}`, { token: a.user.token });
        ({ token: a.token, id: a.id } = await makeAccessToken(a.user, { scope: a.scope, tenants: "all" }));
      }
      const out = await fc.check(
        fc.asyncProperty(
          fc.record({
            agent: fc.integer({ min: 0, max: agents.length - 1 }),
            args: argsFor(tool),
            query: fc.constantFrom("", "", `?tenant=${A.subdomain}`, `?tenant=${B.subdomain}`, "?tenant=%00"),
            id: fc.oneof(fc.integer(), nastyString),
          }),
          async ({ agent, args, query, id }) => {
            const a = agents[agent] as Agent;
            const body = {
              jsonrpc: "2.0",
              id,
              method: "tools/call",
              params: { name: tool.name, arguments: args },
            };
            const res = await patCall(a.token, body, { query });
            const text = await res.text();
            const what = `${a.role}/${a.scope} ${tool.name} ${JSON.stringify(args).slice(0, 200)} ${query}`;
            expectReadableAnswer(res.status, text, what);
            expectNoLeak(text, bMarkers, `${JSON.stringify(body)} ${query}`, what);
            // Pinning a tenant the token doesn't reach (B, junk) is refused before any tool runs; otherwise the
            // answer is a JSON-RPC message: a result, or an error with a readable message.
            expect(res.status, what).toBe(query === "" || query.endsWith(A.subdomain) ? 200 : 403);
            const msg = JSON.parse(text) as { result?: unknown; error?: { message?: string } };
            expect(msg.result !== undefined || typeof msg.error?.message === "string", what).toBe(true);
            if (msg.result !== undefined) reached.set(tool.name, (reached.get(tool.name) ?? 0) + 1);
          },
        ),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
      );
      if (out.failed) throw new Error(`${tool.name}: ${failureOf(out)}`);
    }
    expect(await snapshotTenant(B.id)).toBe(before);
  }, 300_000);

  it("coverage: every tool of the descriptors was reached", () => {
    expect(tools.map((t) => t.name).filter((n) => (reached.get(n) ?? 0) === 0)).toEqual([]);
  });
});
