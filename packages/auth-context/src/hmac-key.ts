import { webcrypto } from 'node:crypto';

const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * The HS256 key of a secret, imported once per process. Handing jose the raw bytes would make
 * it import the key again on every sign and verify, which costs as much as the HMAC itself
 * on the gateway's hot path (it verifies one token and signs one context per request).
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
