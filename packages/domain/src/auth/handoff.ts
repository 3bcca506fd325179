/**
 * Sign-in hand-off to a project's subdomain. Session cookies are per host: after signing in on the main site,
 * a client is sent to `<project>.fata.plus` with a one-time code that the portal exchanges for its own
 * session. The code is random, stored hashed, valid 60 seconds, bound to one user and one tenant, used once
 * (an atomic UPDATE … WHERE used_at IS NULL), and access is checked again when it is redeemed.
 */
import { z } from "zod";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { type Identity, resolveAccess } from "./identity.ts";

export const HANDOFF_TTL_SECONDS = 60;

export async function createHandoff({
  ctx,
  input,
}: {
  ctx: SystemCtx;
  /** `mfa`: whether a second factor was checked for the session the hand-off is asked from (it carries over). */
  input: { userId: number; tenant: string; mfa?: boolean };
}): Promise<{ code: string; subdomain: string }> {
  const access = await resolveAccess({ db: ctx.db, userId: input.userId, tenantRef: input.tenant });
  if (!access?.tenant || !access.role)
    throw new DomainError("FORBIDDEN", "You have no access to this project.");
  const code = newToken();
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.prepare("DELETE FROM auth_handoffs WHERE expires_at < ?").bind(nowIso(now)),
    ctx.db
      .prepare(
        "INSERT INTO auth_handoffs (code_hash, user_id, target_tenant_id, expires_at, mfa) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(
        await sha256Hex(code),
        input.userId,
        access.tenant.id,
        nowIso(new Date(now.getTime() + HANDOFF_TTL_SECONDS * 1000)),
        input.mfa ? 1 : 0,
      ),
  ]);
  return { code, subdomain: access.tenant.subdomain };
}

export const redeemHandoffInput = z.strictObject({
  code: z.string().min(20).max(200),
  tenant: z.string().min(1).max(64),
});

/** Who a redeemed hand-off signs in, and whether the session it came from had a second factor checked. */
export type RedeemedHandoff = Identity & { mfa: boolean };

export async function redeemHandoff({
  ctx,
  input,
}: {
  ctx: SystemCtx;
  input: unknown;
}): Promise<RedeemedHandoff> {
  const parsed = redeemHandoffInput.safeParse(input ?? {});
  const refused = new DomainError(
    "UNAUTHENTICATED",
    "This sign-in link has expired or was already used. Sign in again.",
  );
  if (!parsed.success) throw refused;
  const now = nowIso(ctx.now());
  const row = await ctx.db
    .prepare(
      `UPDATE auth_handoffs SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING user_id, target_tenant_id, mfa`,
    )
    .bind(now, await sha256Hex(parsed.data.code), now)
    .first<{ user_id: number; target_tenant_id: string; mfa: number }>();
  if (!row) throw refused;
  const access = await resolveAccess({ db: ctx.db, userId: row.user_id, tenantRef: parsed.data.tenant });
  if (!access?.tenant || access.tenant.id !== row.target_tenant_id || !access.role) throw refused;
  return { ...access.identity, mfa: row.mfa === 1 };
}
