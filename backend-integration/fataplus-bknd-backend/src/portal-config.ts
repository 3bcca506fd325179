/**
 * The portal's settings, from the Worker's Env:
 *  - FILES_SIGNING_SECRET: HMAC key of download links and WebSocket tickets (≥ 32 characters; generated into
 *    .dev.vars by scripts/bootstrap.mjs; `wrangler secret put FILES_SIGNING_SECRET` in production);
 *  - UPLOAD_MAX_BYTES: upload cap (default 25 MB);
 *  - the test clock: outside production, `x-fataplus-test-now: <ISO date>` moves "now" for signed-link checks,
 *    so browser tests can prove a link expires without sleeping. Production ignores the header.
 */
import { DEFAULT_UPLOAD_MAX_BYTES, DomainError } from "@fataplus/domain";
import { runtimeEnv } from "./runtime.ts";

type PortalEnv = Env & { FILES_SIGNING_SECRET?: string; UPLOAD_MAX_BYTES?: string };

export const TEST_CLOCK_HEADER = "x-fataplus-test-now";

const env = () => runtimeEnv() as PortalEnv;

export function isProduction(): boolean {
  return env().ENVIRONMENT !== "development";
}

export function filesSecret(): string {
  const secret = env().FILES_SIGNING_SECRET;
  if (!secret || secret.length < 32) {
    console.error("FILES_SIGNING_SECRET is missing or shorter than 32 characters");
    throw new DomainError("INTERNAL", "Downloads are not configured on this server.");
  }
  return secret;
}

export function uploadMaxBytes(): number {
  const n = Number(env().UPLOAD_MAX_BYTES);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_UPLOAD_MAX_BYTES;
}

/** "Now", or the test clock outside production. */
export function requestNow(request: Request): Date {
  const override = request.headers.get(TEST_CLOCK_HEADER);
  if (override && !isProduction()) {
    const d = new Date(override);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date();
}
