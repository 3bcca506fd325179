/**
 * Short-lived signed tokens (HMAC-SHA256 through WebCrypto), each bound to one tenant and one object:
 *  - download links for one document version, 15 minutes at most;
 *  - WebSocket tickets for one user in one tenant, 60 seconds (the upgrade request carries no header we
 *    control, and a ticket read over CORS-protected fetch also stops cross-site WebSocket hijacking);
 *  - unsubscribe links in notification e-mails: one person, one kind, a year (they work without signing in).
 * Format: `<kind>.<base64url(JSON payload)>.<base64url(signature)>`; the signature covers kind and payload.
 */
import { DomainError } from "../kernel/errors.ts";

export const DOWNLOAD_TTL_SECONDS = 15 * 60;
export const WS_TICKET_TTL_SECONDS = 60;

const enc = new TextEncoder();

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function fromB64url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

export type DownloadClaims = { kind: "dl"; tenantId: string; versionId: string; exp: number };
export type TicketClaims = { kind: "ws"; tenantId: string; userId: number; exp: number };
/** An e-mail's unsubscribe link: one person, one kind of notification (notifications/preferences.ts). */
export type UnsubscribeClaims = {
  kind: "unsub";
  tenantId: string;
  userId: number;
  notification: string;
  exp: number;
};
type Claims = DownloadClaims | TicketClaims | UnsubscribeClaims;

export async function signToken(secret: string, claims: Claims): Promise<string> {
  const payload = b64url(enc.encode(JSON.stringify(claims)));
  const signed = `${claims.kind}.${payload}`;
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(signed)));
  return `${signed}.${b64url(sig)}`;
}

/**
 * The claims of a token of `kind` if its signature is right and it has not expired at `now`; otherwise a 403
 * that says which (tampered and foreign tokens read the same: "not valid").
 */
export async function verifyToken<K extends Claims["kind"]>(
  secret: string,
  kind: K,
  token: string,
  now: Date,
): Promise<Extract<Claims, { kind: K }>> {
  const invalid = new DomainError("FORBIDDEN", "This link is not valid.");
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== kind || token.length > 2048) throw invalid;
  const [, payload = "", sigText = ""] = parts;
  const sig = fromB64url(sigText);
  const raw = fromB64url(payload);
  if (!sig || !raw) throw invalid;
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), sig, enc.encode(`${kind}.${payload}`));
  if (!ok) throw invalid;
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw invalid;
  }
  const c = claims as Partial<Claims>;
  if (c.kind !== kind || typeof c.exp !== "number" || typeof c.tenantId !== "string") throw invalid;
  if (now.getTime() >= c.exp * 1000) throw new DomainError("FORBIDDEN", "This link has expired.");
  return c as Extract<Claims, { kind: K }>;
}
