/**
 * The agency's MFA policy (decision 024): after a date the agency admin sets, agency admins and staff without
 * TOTP must enrol when they sign in; before it, the account page reminds them. The admin sees who has not
 * enrolled yet.
 */
import { z } from "zod";
import { DomainError } from "../../kernel/errors.ts";
import { nowIso } from "../../kernel/ids.ts";
import { parse } from "../../kernel/parse.ts";
import type { Identity } from "../identity.ts";
import { accountAudit } from "./store.ts";

/** Who the policy applies to: the agency's own people. */
export const mfaPolicyApplies = (identity: Pick<Identity, "role">): boolean =>
  identity.role === "admin" || identity.role === "staff";

/** When staff must have TOTP (ISO instant), or null when the agency requires nothing. */
export async function staffMfaRequiredAfter(db: D1Database): Promise<string | null> {
  const row = await db
    .prepare("SELECT mfa_staff_required_after FROM auth_policy WHERE id = 1")
    .first<{ mfa_staff_required_after: string | null }>();
  return row?.mfa_staff_required_after ?? null;
}

type AdminCtx = { db: D1Database; identity: Identity; now: () => Date };

function assertAdmin(identity: Identity): void {
  if (identity.role !== "admin") {
    throw new DomainError("FORBIDDEN", "Only an agency admin manages the sign-in policy.");
  }
}

export type MfaPolicyView = {
  staffRequiredAfter: string | null;
  /** Agency admins and staff (active accounts) without TOTP, by e-mail. */
  notEnrolled: Array<{ id: number; email: string; name: string | null; role: "admin" | "staff" }>;
};

/** The policy and who it still waits for (agency admins only). */
export async function mfaPolicyView({ ctx }: { ctx: AdminCtx }): Promise<MfaPolicyView> {
  assertAdmin(ctx.identity);
  const [policy, people] = await ctx.db.batch<Record<string, unknown>>([
    ctx.db.prepare("SELECT mfa_staff_required_after FROM auth_policy WHERE id = 1"),
    ctx.db.prepare(
      `SELECT u.id, u.email, u.name, u.role FROM users u
       WHERE u.role IN ('admin', 'staff') AND u.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.status = 'active')
       ORDER BY u.email LIMIT 500`,
    ),
  ]);
  const after = policy?.results[0]?.mfa_staff_required_after;
  return {
    staffRequiredAfter: typeof after === "string" ? after : null,
    notEnrolled: (people?.results ?? []) as MfaPolicyView["notEnrolled"],
  };
}

export const setMfaPolicyInput = z.strictObject({
  /** The last day of the grace period (YYYY-MM-DD, UTC): from the next day on, staff must have TOTP. null: off. */
  staff_required_after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
    .refine((d) => !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()), "must be a real date")
    .nullable(),
});

/** The instant a grace period ending on `day` (YYYY-MM-DD) is over: the start of the next day, UTC. */
export const graceEnd = (day: string): string =>
  nowIso(new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000));

/** Sets (or clears) the grace period's end (agency admins only), with its audit row. */
export async function setMfaPolicy({
  ctx,
  input,
}: {
  ctx: AdminCtx;
  input: unknown;
}): Promise<{ staffRequiredAfter: string | null }> {
  assertAdmin(ctx.identity);
  const { staff_required_after } = parse(setMfaPolicyInput, input ?? {}, "sign-in policy");
  const after = staff_required_after === null ? null : graceEnd(staff_required_after);
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db
      .prepare(
        `INSERT INTO auth_policy (id, mfa_staff_required_after, updated_at, updated_by) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET mfa_staff_required_after = ?1, updated_at = ?2, updated_by = ?3`,
      )
      .bind(after, nowIso(now), ctx.identity.id),
    accountAudit(ctx.db, {
      userId: ctx.identity.id,
      action: "mfa.policy_set",
      at: now,
      data: { staff_required_after: after },
    }),
  ]);
  return { staffRequiredAfter: after };
}
