/** Identifiers. Tenant ids look like FP-2026-X7K9M3P1A: 9 random characters from an unambiguous alphabet. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // 32 symbols: no I, O, 0, 1

export const TENANT_ID_PATTERN = /^FP-\d{4}-[A-HJ-NP-Z2-9]{9}$/;

export function newTenantId(now: Date = new Date()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  let suffix = "";
  // 256 is a multiple of 32, so `b % 32` is unbiased.
  for (const b of bytes) suffix += ALPHABET[b % 32];
  return `FP-${now.getUTCFullYear()}-${suffix}`;
}

/** `n` random symbols of the unambiguous alphabet (5 bits each): public references such as certificate ids. */
export function randomSymbols(n: number): string {
  let out = "";
  for (const b of crypto.getRandomValues(new Uint8Array(n))) out += ALPHABET[b % 32];
  return out;
}

/** Row ids of tenant-owned entities: random UUIDs, so that ids reveal nothing about other tenants' volumes. */
export function newId(): string {
  return crypto.randomUUID();
}

/** Random URL-safe token (invitations, signed links). */
export function newToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function sha256Hex(input: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const nowIso = (d: Date = new Date()): string => d.toISOString();
