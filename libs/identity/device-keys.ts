import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe; the prefix makes leaked keys easy to recognise in scanners. */
export function generateDeviceKey(): string {
  return `dtk_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 is enough for a 256-bit random token (no dictionary to attack) and lets the store
 * look the key up by its digest in O(1), which a salted slow hash would not.
 */
export function deviceKeyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const KEY_SHAPE = /^dtk_[A-Za-z0-9_-]{43}$/;
export function looksLikeDeviceKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
