import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Viewer } from './viewer.js';

/** Header carrying the signed request context from the gateway to subgraphs. */
export const GATEWAY_CONTEXT_HEADER = 'x-radiata-context';

const ISSUER = 'radiata-gateway';
const AUDIENCE = 'radiata-subgraphs';
/** Long enough for clock skew between hosts, short enough to make a leaked header useless. */
const TTL_SECONDS = 60;
const CLOCK_TOLERANCE_SECONDS = 5;

export interface GatewayContext {
  /** The signed-in user, or null for an anonymous request. */
  readonly viewer: Viewer | null;
  readonly requestId: string;
  /**
   * The client's IP address as the gateway established it (its trusted proxies applied): what
   * per-address limits key on. Subgraphs never read an address from a request header.
   */
  readonly clientAddress?: string | null;
}

/** Longest address accepted in a context (an IPv6 text form is at most 45 characters). */
const MAX_ADDRESS_LENGTH = 64;

// The context is a standard compact JWS (HS256, verifiable by any JOSE library), produced and
// consumed only by Radiata's own processes, once per request on both sides. It is signed and
// checked here with node:crypto's synchronous HMAC rather than jose: jose goes through
// WebCrypto, an asynchronous thread-pool job per operation, which showed up as the largest
// single cost in the gateway's claim path (docs/BENCHMARKS.md). Access tokens, which come from
// clients, are still verified by jose (access-token.ts).
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const signature = (signingInput: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(signingInput).digest();

/** `{"alg":"HS256"}`, optionally with `"typ":"JWT"`, and nothing else (no kid, jku, crit…). */
function isPlainHs256Header(encoded: string): boolean {
  try {
    const fields = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    const names = Object.keys(fields);
    return fields.alg === 'HS256' && names.every((name) => name === 'alg' || (name === 'typ' && fields.typ === 'JWT'));
  } catch {
    return false;
  }
}

/**
 * Signs what the gateway established about a request. Subgraphs trust only this header,
 * never a user id sent by a client, and refuse requests that do not carry it.
 */
export async function signGatewayContext(context: GatewayContext, secret: string, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    rid: context.requestId,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: issuedAt,
    exp: issuedAt + TTL_SECONDS,
  };
  if (context.clientAddress) claims.ip = context.clientAddress;
  if (context.viewer) {
    claims.sub = context.viewer.id;
    claims.role = context.viewer.role;
  }
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${signature(signingInput, secret).toString('base64url')}`;
}

/**
 * The verified context, or undefined when the header is missing, forged, stale or malformed.
 * Any JOSE header other than plain HS256 (another algorithm, a key id…) is refused before the
 * signature is even looked at.
 */
export async function verifyGatewayContext(
  header: string | undefined,
  secret: string,
  now = new Date(),
): Promise<GatewayContext | undefined> {
  if (!header || header.length > 4096) return undefined;
  const parts = header.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  if (headerPart !== HEADER && !isPlainHs256Header(headerPart)) return undefined;
  const expected = signature(`${headerPart}.${payloadPart}`, secret);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;

  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const seconds = now.getTime() / 1000;
  if (payload.iss !== ISSUER || payload.aud !== AUDIENCE) return undefined;
  if (typeof payload.exp !== 'number' || payload.exp <= seconds - CLOCK_TOLERANCE_SECONDS) return undefined;
  if (typeof payload.iat !== 'number' || payload.iat > seconds + CLOCK_TOLERANCE_SECONDS) return undefined;
  if (typeof payload.rid !== 'string') return undefined;
  if (payload.ip !== undefined && (typeof payload.ip !== 'string' || payload.ip.length > MAX_ADDRESS_LENGTH))
    return undefined;
  const address = payload.ip === undefined ? {} : { clientAddress: payload.ip };
  if (payload.sub === undefined) return { viewer: null, requestId: payload.rid, ...address };
  if (typeof payload.sub !== 'string' || !isRole(payload.role)) return undefined;
  return { viewer: { id: payload.sub, role: payload.role }, requestId: payload.rid, ...address };
}
