import { createHmac, timingSafeEqual } from 'node:crypto';

// Compact HS256 JWS (RFC 7515/7519), signed and checked with node:crypto's synchronous HMAC.
// jose does the same through WebCrypto, an asynchronous thread-pool job per operation, which was
// the largest single cost of the gateway's context signing and then of its token checks
// (docs/BENCHMARKS.md). Only the narrow form Radiata issues is accepted: any JOSE header other
// than plain HS256 (another algorithm, `none`, a key id, `crit`…) is refused before the
// signature is looked at.

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
/** Longer than any token Radiata issues; a bigger one is refused unread. */
const MAX_TOKEN_LENGTH = 4096;

const signature = (signingInput: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(signingInput).digest();

/** `{"alg":"HS256"}`, optionally with `"typ":"JWT"`, and nothing else. */
function isPlainHs256Header(encoded: string): boolean {
  try {
    const fields = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    const names = Object.keys(fields);
    return fields.alg === 'HS256' && names.every((name) => name === 'alg' || (name === 'typ' && fields.typ === 'JWT'));
  } catch {
    return false;
  }
}

/** `claims` as a compact HS256 JWS. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${signature(signingInput, secret).toString('base64url')}`;
}

/**
 * The claims of `token` when it is a plain HS256 JWS signed with `secret` (compared in constant
 * time) whose payload is a JSON object; undefined otherwise. Times and audiences are the caller's.
 */
export function verifiedHs256Claims(token: string, secret: string): Record<string, unknown> | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  if (headerPart !== HEADER && !isPlainHs256Header(headerPart)) return undefined;
  const expected = signature(`${headerPart}.${payloadPart}`, secret);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
