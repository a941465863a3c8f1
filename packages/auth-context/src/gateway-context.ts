import { signHs256, verifiedHs256Claims } from './hs256.js';
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

// A compact HS256 JWS, produced and consumed only by Radiata's own processes, once per request
// on both sides (hs256.ts).

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
  return signHs256(claims, secret);
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
  if (!header) return undefined;
  const payload = verifiedHs256Claims(header, secret);
  if (!payload) return undefined;
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
