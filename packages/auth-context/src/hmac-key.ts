import { webcrypto } from 'node:crypto';

const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * The HS256 key of a secret, imported once per process: handing jose the raw bytes would make
 * it import the key again for every access token it issues or verifies.
 */
export function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, key);
  }
  return key;
}
