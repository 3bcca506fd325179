import { beforeAll, describe, expect, it } from "vitest";
import { db, given, refused } from "../../testing/workerd.ts";
import { sha256Hex } from "../kernel/ids.ts";
import {
  assertActorMayWrite,
  assistantTokenActive,
  authenticateToken,
  connectAssistant,
  countTokenRequest,
  createToken,
  listTokens,
  listTokenTenants,
  MAX_ACTIVE_TOKENS_PER_USER,
  revokeToken,
  TOKEN_PATTERN,
  tokenActor,
  tokenCtx,
  tokenHash,
  touchTokenStatement,
} from "./index.ts";

const setup = () =>
  given({
    tenants: ["ag", "a", "b", "c"],
    agency: ["ag"], // where account audit rows go (kernel/audit.ts accountAuditRow)
    users: {
      pm: { in: { a: "project_manager", b: "client" } },
      other: { in: { a: "admin" } },
      staff: { agency: "staff" },
      loner: {},
    },
  });
let s: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  s = await setup();
});
const now = () => new Date();
const auth = (token: string, opts: { at?: Date } = {}) =>
  authenticateToken({ db: db(), now: () => opts.at ?? new Date(), token });

/** The rate-limiting binding's contract, in memory: a call passes while its key's count is under the limit. */
function limiterOf(limit: number) {
  const counts = new Map<string, number>();
  return {
    counts,
    limit: async ({ key }: { key: string }) => {
      const n = counts.get(key) ?? 0;
      if (n >= limit) return { success: false };
      counts.set(key, n + 1);
      return { success: true };
    },
  };
}

describe("createToken", () => {
  it("returns the secret once, stores only its hash, read scope by default", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.pm),
      input: { name: " agent ", expires_in_days: 7, tenants: [s.tenants.a.subdomain] },
    });
    expect(t.token).toMatch(TOKEN_PATTERN);
    expect(t).toMatchObject({ name: "agent", scope: "read", status: "active", prefix: t.token.slice(0, 12) });
    expect(t.tenants).toEqual([
      { id: s.tenants.a.id, subdomain: s.tenants.a.subdomain, name: s.tenants.a.name },
    ]);
    const row = await db()
      .prepare("SELECT token_hash FROM access_tokens WHERE id = ?")
      .bind(t.id)
      .first<{ token_hash: string }>();
    expect(row?.token_hash).toBe(await sha256Hex(t.token));
    expect(JSON.stringify(await listTokens({ ctx: s.crm(s.users.pm) }))).not.toContain(t.token);
  });

  it("refuses a tenant the user cannot open, like an unknown one (UNPROCESSABLE), and bad input (VALIDATION)", async () => {
    const ctx = s.crm(s.users.pm);
    for (const ref of [s.tenants.c.subdomain, s.tenants.c.id, "no-such-tenant"])
      await refused(
        createToken({ ctx, input: { name: "x", expires_in_days: 1, tenants: [ref] } }),
        "UNPROCESSABLE",
      );
    await refused(
      createToken({ ctx: s.crm(s.users.loner), input: { name: "x", expires_in_days: 1, tenants: "all" } }),
      "UNPROCESSABLE",
    );
    await refused(
      createToken({ ctx, input: { name: "x", expires_in_days: 366, tenants: "all" } }),
      "VALIDATION",
    );
    await refused(
      createToken({ ctx, input: { name: "", expires_in_days: 1, tenants: "all" } }),
      "VALIDATION",
    );
    await refused(
      createToken({ ctx, input: { name: "x", expires_in_days: 1, tenants: "all", scope: "admin" } }),
      "VALIDATION",
    );
    await refused(createToken({ ctx, input: { name: "x", expires_in_days: 1, tenants: [] } }), "VALIDATION");
  });

  it(`allows at most ${MAX_ACTIVE_TOKENS_PER_USER} active tokens per user (CONFLICT)`, async () => {
    const t = await given({ tenants: ["x"], users: { busy: { in: { x: "client" } } } });
    const ctx = t.crm(t.users.busy);
    for (let i = 0; i < MAX_ACTIVE_TOKENS_PER_USER; i++)
      await createToken({ ctx, input: { name: `t${i}`, expires_in_days: 1, tenants: "all" } });
    await refused(
      createToken({ ctx, input: { name: "one more", expires_in_days: 1, tenants: "all" } }),
      "CONFLICT",
    );
  });
});

describe("revokeToken / listTokens", () => {
  it("revokes one's own token; someone else's is NOT_FOUND, like an unknown one", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.pm),
      input: { name: "r", expires_in_days: 1, tenants: "all" },
    });
    await refused(revokeToken({ ctx: s.crm(s.users.other), input: { id: t.id } }), "NOT_FOUND");
    await refused(revokeToken({ ctx: s.crm(s.users.pm), input: { id: crypto.randomUUID() } }), "NOT_FOUND");
    await refused(revokeToken({ ctx: s.crm(s.users.pm), input: { id: "x" } }), "VALIDATION");
    const revoked = await revokeToken({ ctx: s.crm(s.users.pm), input: { id: t.id } });
    expect((await listTokens({ ctx: s.crm(s.users.pm) })).find((v) => v.id === t.id)?.status).toBe("revoked");
    expect((await revokeToken({ ctx: s.crm(s.users.pm), input: { id: t.id } })).revoked_at).toBe(
      revoked.revoked_at,
    );
    expect((await listTokens({ ctx: s.crm(s.users.other) })).map((v) => v.id)).not.toContain(t.id);
    await refused(auth(t.token), "UNAUTHENTICATED");
  });
});

describe("authenticateToken / tokenCtx", () => {
  it("authenticates a live token, and refuses malformed, unknown, expired ones and a disabled user (UNAUTHENTICATED)", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.pm),
      input: { name: "a", expires_in_days: 1, scope: "write", tenants: "all" },
    });
    const p = await auth(t.token);
    expect(p).toMatchObject({
      tokenId: t.id,
      scope: "write",
      allTenants: true,
      identity: { id: s.users.pm.id },
    });
    expect(tokenActor(p)).toEqual({
      type: "token",
      tokenId: t.id,
      userId: s.users.pm.id,
      agencyRole: "member",
      write: true,
    });
    await refused(auth("fpat_short"), "UNAUTHENTICATED");
    await refused(auth(`fpat_${"A".repeat(43)}`), "UNAUTHENTICATED");
    await refused(auth(t.token, { at: new Date(Date.now() + 2 * 86_400_000) }), "UNAUTHENTICATED");
    const u = await given({ tenants: ["x"], users: { gone: { in: { x: "client" } } } });
    const g = await createToken({
      ctx: u.crm(u.users.gone),
      input: { name: "g", expires_in_days: 1, tenants: "all" },
    });
    await db().prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(u.users.gone.id).run();
    await refused(auth(g.token), "UNAUTHENTICATED");
  });

  it("counts requests per token (a batch by its messages) and answers RATE_LIMITED past the limit, with the seconds left", async () => {
    const limiter = limiterOf(4);
    const [one, two] = [await tokenHash(`fpat_${"a".repeat(43)}`), await tokenHash(`fpat_${"b".repeat(43)}`)];
    await countTokenRequest({ limiter, hash: one, now });
    await countTokenRequest({ limiter, hash: one, now, weight: 2 });
    expect(limiter.counts.get(`token:${one}`)).toBe(3);
    // a batch of two with one call left is refused as a whole
    await refused(countTokenRequest({ limiter, hash: one, now, weight: 2 }), "RATE_LIMITED");
    const e = await refused(countTokenRequest({ limiter, hash: one, now }), "RATE_LIMITED");
    expect(e.message).toMatch(/Too many requests with this token/);
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(60);
    // another token is counted apart
    await countTokenRequest({ limiter, hash: two, now });
  });

  it("records a token's use at most once a minute, and reads nothing written to authenticate", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.pm),
      input: { name: "touch", expires_in_days: 1, tenants: "all" },
    });
    await auth(t.token);
    const unused = await db()
      .prepare("SELECT last_used_at FROM access_tokens WHERE id = ?")
      .bind(t.id)
      .first();
    expect(unused).toEqual({ last_used_at: null });
    const at = new Date();
    const first = touchTokenStatement(db(), { tokenId: t.id, lastUsedAt: null, now: at });
    expect(first).not.toBeNull();
    await first?.run();
    const used = await db()
      .prepare("SELECT last_used_at FROM access_tokens WHERE id = ?")
      .bind(t.id)
      .first<{ last_used_at: string }>();
    expect(used?.last_used_at).toBe(at.toISOString());
    expect(
      touchTokenStatement(db(), {
        tokenId: t.id,
        lastUsedAt: at.toISOString(),
        now: new Date(at.getTime() + 59_000),
      }),
    ).toBeNull();
    expect(
      touchTokenStatement(db(), {
        tokenId: t.id,
        lastUsedAt: at.toISOString(),
        now: new Date(at.getTime() + 61_000),
      }),
    ).not.toBeNull();
  });

  it("reaches the token's tenants with the user's current role; other tenants are FORBIDDEN", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.pm),
      input: { name: "scoped", expires_in_days: 1, tenants: [s.tenants.a.id] },
    });
    const principal = await auth(t.token);
    expect((await listTokenTenants({ db: db(), principal })).map((x) => [x.id, x.role])).toEqual([
      [s.tenants.a.id, "project_manager"],
    ]);
    const ctx = await tokenCtx({ db: db(), principal, tenantRef: s.tenants.a.subdomain, now });
    expect(ctx).toMatchObject({
      tenant: s.tenants.a,
      role: "project_manager",
      actor: { type: "token", write: false },
    });
    // in the user's reach but not the token's, out of the user's reach, unknown: the same answer
    for (const ref of [s.tenants.b.subdomain, s.tenants.c.subdomain, "no-such-tenant"])
      await refused(tokenCtx({ db: db(), principal, tenantRef: ref, now }), "FORBIDDEN");
    // a lost membership takes effect at once
    await db()
      .prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?")
      .bind(s.tenants.a.id, s.users.pm.id)
      .run();
    await refused(tokenCtx({ db: db(), principal, tenantRef: s.tenants.a.id, now }), "FORBIDDEN");
    await db()
      .prepare("INSERT INTO memberships (tenant_id, user_id, role) VALUES (?, ?, 'project_manager')")
      .bind(s.tenants.a.id, s.users.pm.id)
      .run();
  });

  it("gives agency staff's all-tenant token every tenant, as project manager", async () => {
    const t = await createToken({
      ctx: s.crm(s.users.staff),
      input: { name: "staff", expires_in_days: 1, tenants: "all" },
    });
    const principal = await auth(t.token);
    const ctx = await tokenCtx({ db: db(), principal, tenantRef: s.tenants.c.id, now });
    expect(ctx.role).toBe("project_manager");
  });
});

describe("assertActorMayWrite", () => {
  it("refuses a read-only token (FORBIDDEN) and lets people, write tokens and the system through", () => {
    expect(() =>
      assertActorMayWrite({ type: "token", tokenId: "t", userId: 1, agencyRole: "member", write: false }),
    ).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    assertActorMayWrite({ type: "token", tokenId: "t", userId: 1, agencyRole: "member", write: true });
    assertActorMayWrite({ type: "user", userId: 1, email: "a@b.c", agencyRole: "member" });
    assertActorMayWrite({ type: "system", reason: "test" });
  });
});

describe("connectAssistant (an assistant connected by URL, decision 031)", () => {
  it("backs the grant with a token of kind assistant: the projects, scope and lifetime approved, audited", async () => {
    const ctx = s.crm(s.users.pm);
    const t = await connectAssistant({
      ctx,
      input: {
        client_id: "client-123",
        client_name: "  Claude\n  Desktop ",
        expires_in_days: 30,
        scope: "write",
        tenants: [s.tenants.b.subdomain],
      },
    });
    expect(t).toMatchObject({ kind: "assistant", name: "Claude Desktop", scope: "write", status: "active" });
    expect(t.tenants).toEqual([
      { id: s.tenants.b.id, subdomain: s.tenants.b.subdomain, name: s.tenants.b.name },
    ]);
    // it acts exactly like a personal token of the same scope
    expect(await auth(t.token)).toMatchObject({ tokenId: t.id, scope: "write", tenantIds: [s.tenants.b.id] });
    const row = await db()
      .prepare("SELECT kind, client_id FROM access_tokens WHERE id = ?")
      .bind(t.id)
      .first<{ kind: string; client_id: string }>();
    expect(row).toEqual({ kind: "assistant", client_id: "client-123" });
    const audit = await db()
      .prepare("SELECT action, actor_id FROM audit_log WHERE entity = 'access_tokens' AND entity_id = ?")
      .bind(t.id)
      .all<{ action: string; actor_id: string }>();
    expect(audit.results).toEqual([{ action: "assistant.connect", actor_id: String(s.users.pm.id) }]);
    expect((await listTokens({ ctx })).find((v) => v.id === t.id)?.kind).toBe("assistant");

    expect(await assistantTokenActive(db(), t.id, now())).toBe(true);
    const revoked = await revokeToken({ ctx, input: { id: t.id } });
    expect(revoked).toMatchObject({ id: t.id, kind: "assistant", client_id: "client-123" });
    expect(await assistantTokenActive(db(), t.id, now())).toBe(false);
    await refused(auth(t.token), "UNAUTHENTICATED");
    // revoking again changes nothing and writes no second audit row
    await revokeToken({ ctx, input: { id: t.id } });
    const after = await db()
      .prepare(
        "SELECT action FROM audit_log WHERE entity = 'access_tokens' AND entity_id = ? ORDER BY created_at",
      )
      .bind(t.id)
      .all<{ action: string }>();
    expect(after.results.map((r) => r.action)).toEqual(["assistant.connect", "token.revoke"]);
  });

  it("never reaches a project the person can't open, and a personal token is not an assistant's", async () => {
    const ctx = s.crm(s.users.pm);
    await refused(
      connectAssistant({
        ctx,
        input: { client_id: "c", client_name: "x", expires_in_days: 30, tenants: [s.tenants.c.subdomain] },
      }),
      "UNPROCESSABLE",
    );
    await refused(
      connectAssistant({
        ctx,
        input: { client_id: "", client_name: "x", expires_in_days: 30, tenants: "all" },
      }),
      "VALIDATION",
    );
    const personal = await createToken({
      ctx,
      input: { name: "p", expires_in_days: 7, tenants: [s.tenants.a.subdomain] },
    });
    expect(personal.kind).toBe("personal");
    expect(await assistantTokenActive(db(), personal.id, now())).toBe(false);
  });
});
