/**
 * "Mot de passe oublié ?": a single-use link by e-mail, valid RESET_TTL_MINUTES, stored as its SHA-256 only
 * (docs/decisions/023-password-reset-and-strength.md).
 *
 * Asking answers the same whatever the address: same answer, same status, and the same steps (the throttle's
 * batch, one read, a token and its hash, one write batch); only an existing active account gets a link, and a
 * new link replaces the older ones. Using the link sets the password, marks the link used, ends every session
 * of the account and writes the audit row, in one batch.
 */
import { endSessionsStatements, tenantKey } from "../auth/identity.ts";
import { hashPassword } from "../auth/password.ts";
import { assertUnderLimit, clientKey, countAttempt, THROTTLE, type ThrottleCount } from "../auth/throttle.ts";
import { portalOrigin } from "../intake/subdomains.ts";
import type { SystemCtx } from "../kernel/context.ts";
import { DomainError } from "../kernel/errors.ts";
import { newId, newToken, nowIso, sha256Hex } from "../kernel/ids.ts";
import { parse } from "../kernel/parse.ts";
import { queueMail } from "../mail/outbox.ts";
import { accountAuditRow } from "./audit.ts";
import {
  checkResetInput,
  RESET_LIMITS,
  RESET_TTL_MINUTES,
  requestResetInput,
  resetPasswordInput,
} from "./schemas.ts";
import { assertStrongPassword } from "./strength.ts";

type Lang = "fr" | "en";

/** The reset page's path in each language (apps/web/src/pages/nouveau-mot-de-passe.astro, en/new-password). */
export const resetPagePath = (lang: Lang): string =>
  lang === "en" ? "/en/new-password" : "/nouveau-mot-de-passe";

/** The answer to every reset request, whoever the address belongs to. */
export const RESET_REQUESTED = { ok: true } as const;

const INVALID_LINK = "This reset link is invalid, expired or already used: ask for a new one.";

/** The reset e-mail, in the account's language. */
export function resetEmail(opts: { lang: Lang; email: string; link: string }) {
  if (opts.lang === "en")
    return {
      subject: "Reset your Fataplus password",
      text: [
        "Hello,",
        "",
        `Someone (you, we hope) asked to reset the password of the Fataplus account ${opts.email}.`,
        `Open this link within ${RESET_TTL_MINUTES} minutes to choose a new password:`,
        opts.link,
        "",
        "The link works once. Every device signed in to your account will be signed out.",
        "If you did not ask for this, ignore this message: your password stays as it is.",
      ].join("\n"),
    };
  return {
    subject: "Réinitialiser votre mot de passe Fataplus",
    text: [
      "Bonjour,",
      "",
      `Quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe du compte Fataplus ${opts.email}.`,
      `Ouvrez ce lien dans les ${RESET_TTL_MINUTES} minutes pour choisir un nouveau mot de passe :`,
      opts.link,
      "",
      "Le lien ne sert qu'une fois. Tous les appareils connectés à votre compte seront déconnectés.",
      "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.",
    ].join("\n"),
  };
}

type UserRow = { id: number; email: string; name: string | null; locale: Lang; status: string };

/**
 * Asks for a reset link for `input.email`. The link goes to the host the request came from: the main site, or
 * the project subdomain the request names (`site.tenantRef`, from the Host: checked here to be an active
 * tenant, so the link is always one of ours).
 */
export async function requestPasswordReset({
  ctx,
  input,
  ip,
  site,
}: {
  ctx: SystemCtx;
  input: unknown;
  ip: string;
  site: { siteUrl: string; tenantRef: string | null };
}): Promise<typeof RESET_REQUESTED> {
  const { email } = parse(requestResetInput, input, "password reset request");
  const now = ctx.now();
  const nowS = Math.floor(now.getTime() / 1000);
  const ipKey = clientKey(ip);
  const [pair, client, address] = await ctx.db.batch<ThrottleCount>([
    countAttempt(ctx.db, `reset:${email}|${ipKey}`, nowS),
    countAttempt(ctx.db, `reset:${ipKey}`, nowS),
    countAttempt(ctx.db, `reset:${email}`, nowS),
    ctx.db
      .prepare("DELETE FROM auth_throttle WHERE window_start < ?")
      .bind(nowS - 2 * THROTTLE.windowSeconds),
  ]);
  const tooMany = "Too many reset requests. Try again later.";
  assertUnderLimit(pair?.results[0], RESET_LIMITS.perAddressAndClient, nowS, tooMany);
  assertUnderLimit(client?.results[0], RESET_LIMITS.perClient, nowS, tooMany);

  const key = site.tenantRef ? tenantKey(site.tenantRef) : null;
  const [users, tenants] = await ctx.db.batch([
    ctx.db.prepare("SELECT id, email, name, locale, status FROM users WHERE email = ?").bind(email),
    ctx.db
      .prepare(`SELECT id, subdomain FROM tenants WHERE ${key?.column ?? "id"} = ? AND status = 'active'`)
      .bind(key?.value ?? ""),
  ]);
  const user = (users?.results[0] as UserRow | undefined) ?? null;
  const tenant = (tenants?.results[0] as { id: string; subdomain: string } | undefined) ?? null;
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const ts = nowIso(now);
  const cleanup = ctx.db
    .prepare("DELETE FROM password_resets WHERE expires_at < ?")
    .bind(nowIso(new Date(now.getTime() - 86_400_000)));
  const underMailCap = (address?.results[0]?.failures ?? 0) <= RESET_LIMITS.mailsPerAddress;
  if (user?.status !== "active" || !underMailCap) {
    // The same kind of write batch as for a link, writing nothing (no account has id 0).
    await ctx.db.batch([cleanup, ctx.db.prepare("DELETE FROM password_resets WHERE user_id = ?").bind(0)]);
    return RESET_REQUESTED;
  }
  const origin = tenant ? portalOrigin(site.siteUrl, tenant.subdomain) : site.siteUrl;
  const link = `${origin}${resetPagePath(user.locale)}?token=${encodeURIComponent(token)}`;
  const expires = nowIso(new Date(now.getTime() + RESET_TTL_MINUTES * 60_000));
  await ctx.db.batch([
    cleanup,
    // A new link replaces every older one of the account.
    ctx.db.prepare("DELETE FROM password_resets WHERE user_id = ?").bind(user.id),
    ctx.db
      .prepare(
        "INSERT INTO password_resets (id, user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(newId(), user.id, tokenHash, expires, ts),
    queueMail(
      ctx.db,
      {
        tenantId: tenant?.id ?? null,
        to: user.email,
        kind: "password.reset",
        ...resetEmail({ lang: user.locale, email: user.email, link }),
      },
      now,
    ),
    accountAuditRow(ctx.db, {
      action: "password.reset_request",
      userId: user.id,
      actorType: "system",
      data: { host: tenant ? tenant.subdomain : null },
      at: ts,
    }),
  ]);
  return RESET_REQUESTED;
}

type ResetRow = {
  id: string;
  user_id: number;
  expires_at: string;
  used_at: string | null;
  email: string;
  name: string | null;
  locale: Lang;
  status: string;
};

/** The link's row and account, or NOT_FOUND when it is unknown, used, expired, or its account is not active. */
async function liveReset(ctx: SystemCtx, token: string): Promise<ResetRow> {
  const row = await ctx.db
    .prepare(
      `SELECT r.id, r.user_id, r.expires_at, r.used_at, u.email, u.name, u.locale, u.status
       FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?`,
    )
    .bind(await sha256Hex(token))
    .first<ResetRow>();
  if (!row || row.used_at !== null || new Date(row.expires_at) <= ctx.now() || row.status !== "active")
    throw new DomainError("NOT_FOUND", INVALID_LINK, { details: [{ path: "token", message: INVALID_LINK }] });
  return row;
}

/** Whether a reset link still works (the reset page asks before showing its form), and in which language. */
export async function checkPasswordReset({ ctx, input }: { ctx: SystemCtx; input: unknown }) {
  const { token } = parse(checkResetInput, input, "password reset link");
  const row = await liveReset(ctx, token);
  return { ok: true as const, locale: row.locale };
}

/**
 * Uses a reset link: the new password (checked for strength, in `input.locale` or the account's language),
 * the link marked used, every session of the account ended and the audit row, in one batch whose statements
 * each hold only while the link is unused and unexpired (two uses at once: one wins, the other is NOT_FOUND).
 * Returns the address, for the sign-in page that follows.
 */
export async function resetPassword({ ctx, input }: { ctx: SystemCtx; input: unknown }) {
  const data = parse(resetPasswordInput, input, "password reset");
  const row = await liveReset(ctx, data.token);
  await assertStrongPassword(data.password, row, data.locale ?? row.locale);
  const hash = await hashPassword(data.password);
  const now = ctx.now();
  const ts = nowIso(now);
  const [set] = await ctx.db.batch([
    ctx.db
      .prepare(
        `UPDATE users SET strategy = 'password', strategy_value = ?1
         WHERE id = ?2 AND status = 'active'
           AND EXISTS (SELECT 1 FROM password_resets WHERE id = ?3 AND used_at IS NULL AND expires_at > ?4)`,
      )
      .bind(hash, row.user_id, row.id, ts),
    ctx.db
      .prepare(
        "UPDATE password_resets SET used_at = ?1 WHERE id = ?2 AND used_at IS NULL AND expires_at > ?1",
      )
      .bind(ts, row.id),
    accountAuditRow(ctx.db, {
      action: "password.reset",
      userId: row.user_id,
      actorType: "user",
      at: ts,
      onlyIfChanged: true,
    }),
    ...endSessionsStatements(ctx.db, { userId: row.user_id, now }),
  ]);
  if (set?.meta.changes !== 1)
    throw new DomainError("NOT_FOUND", INVALID_LINK, { details: [{ path: "token", message: INVALID_LINK }] });
  return { ok: true as const, email: row.email, locale: row.locale };
}
