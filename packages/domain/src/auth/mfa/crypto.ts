/**
 * The TOTP secret at rest: AES-256-GCM with a key derived (HKDF-SHA-256) from the worker's MFA_SECRET, the
 * user's id as additional data so a sealed secret moved to another user's row does not open (decision 024).
 * Sealed text is base64url of iv (12 bytes) ‖ ciphertext ‖ tag.
 */
import { DomainError } from "../../kernel/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const INFO = encoder.encode("fataplus mfa totp secret v1");

async function keyOf(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) {
    throw new DomainError("INTERNAL", "Two-step verification is not configured on this server.");
  }
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: INFO },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const toB64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function fromB64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
}

const aad = (userId: number) => encoder.encode(`user:${userId}`);

export async function sealSecret(secret: string, userId: number, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: aad(userId) },
      await keyOf(secret),
      encoder.encode(plaintext),
    ),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return toB64url(out);
}

export async function openSecret(secret: string, userId: number, sealedText: string): Promise<string> {
  const bytes = fromB64url(sealedText);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: aad(userId) },
      await keyOf(secret),
      bytes.slice(12),
    );
    return decoder.decode(plain);
  } catch (cause) {
    console.error("a TOTP secret did not open: MFA_SECRET changed or the row was altered", { userId });
    throw new DomainError("INTERNAL", "Two-step verification is unavailable for this account.", { cause });
  }
}
