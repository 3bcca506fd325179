/**
 * Password hashing with PBKDF2-SHA256 from WebCrypto (the platform's own, audited implementation:
 * docs/decisions/003-auth.md explains why not bcrypt/argon2 in a Worker). Production Workers cap PBKDF2 at
 * 100,000 iterations, so that is both our default and our maximum.
 * Format: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>
 */
export const PBKDF2_MAX_ITERATIONS = 100_000;

const enc = new TextEncoder();
const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_MAX_ITERATIONS): Promise<string> {
  if (iterations > PBKDF2_MAX_ITERATIONS || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be between 1 and ${PBKDF2_MAX_ITERATIONS}`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${b64(salt)}$${b64(hash)}`;
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== "pbkdf2-sha256") return false;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return false;
  try {
    const salt = unb64(parts[2] ?? "");
    const expected = unb64(parts[3] ?? "");
    const actual = await derive(password, salt, iterations);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

export const isPbkdf2Hash = (stored: string | null | undefined): stored is string =>
  typeof stored === "string" && stored.startsWith("pbkdf2-sha256$");

/** A dummy hash to spend the same time on unknown accounts (no user enumeration by timing). */
export const DUMMY_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
