/**
 * The agency may require single sign-on for its own people (decision 025): when on, agency admins and staff
 * may not sign in with a password — only through a configured provider. Clients and partners are never
 * concerned. An admin turns it on only from an account that a provider already signs in (otherwise the
 * admin could lock the agency out), and only when a provider is configured (the worker says so).
 */

import { z } from "zod";
import { accountAuditRow } from "../../kernel/audit.ts";
import { DomainError } from "../../kernel/errors.ts";
import { nowIso } from "../../kernel/ids.ts";
import { parse } from "../../kernel/parse.ts";
import type { Identity } from "../identity.ts";

export async function staffSsoRequired(db: D1Database): Promise<boolean> {
  const row = await db
    .prepare("SELECT staff_sso_required FROM sso_policy WHERE id = 1")
    .first<{ staff_sso_required: number }>();
  return row?.staff_sso_required === 1;
}

const isAgencyPerson = (identity: Identity) => identity.role === "admin" || identity.role === "staff";

/** Refuses a password sign-in that the policy forbids (called after the password was checked). */
export async function assertPasswordSignInAllowed({ db, identity }: { db: D1Database; identity: Identity }) {
  if (isAgencyPerson(identity) && (await staffSsoRequired(db))) {
    throw new DomainError(
      "FORBIDDEN",
      "Your agency requires signing in with Google or Microsoft: use the button on the sign-in page.",
      { details: [{ path: "sso", message: "SSO_REQUIRED" }] },
    );
  }
}

export const ssoPolicyInput = z.strictObject({ staffSsoRequired: z.boolean() });

export async function setSsoPolicy({
  ctx,
  input,
  providersConfigured,
}: {
  ctx: { db: D1Database; identity: Identity; now: () => Date };
  input: unknown;
  /** How many providers the worker has configured. */
  providersConfigured: number;
}): Promise<{ staffSsoRequired: boolean }> {
  if (ctx.identity.role !== "admin") {
    throw new DomainError("FORBIDDEN", "Only agency admins may change how the agency signs in.");
  }
  const { staffSsoRequired: required } = parse(ssoPolicyInput, input, "sign-in policy");
  if (required) {
    if (providersConfigured === 0)
      throw new DomainError("CONFLICT", "No sign-in provider is configured: set one up first.");
    const linked = await ctx.db
      .prepare("SELECT 1 AS one FROM user_identities WHERE user_id = ? LIMIT 1")
      .bind(ctx.identity.id)
      .first();
    if (!linked) {
      throw new DomainError(
        "CONFLICT",
        "Sign in once with Google or Microsoft yourself before requiring it, so the agency can't be locked out.",
        { details: [{ path: "sso", message: "LINK_FIRST" }] },
      );
    }
  }
  const ts = nowIso(ctx.now());
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO sso_policy (id, staff_sso_required, updated_by, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET staff_sso_required = excluded.staff_sso_required,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .bind(required ? 1 : 0, ctx.identity.id, ts),
    // audited in the agency's workspace (the policy is agency-wide)
    accountAuditRow(ctx.db, {
      action: "sso_policy.update",
      actorType: "user",
      actorId: String(ctx.identity.id),
      entity: "sso_policy",
      entityId: "1",
      data: { staff_sso_required: required ? 1 : 0 },
      at: ts,
    }),
  ]);
  return { staffSsoRequired: required };
}
