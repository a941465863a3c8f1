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
  /**
   * The session (`sid` of the access token) the viewer's request belongs to: what the users
   * subgraph keeps when it ends a user's other sessions. Only with a viewer.
   */
  readonly sessionId?: string | null;
  /** The client's User-Agent header, cut to MAX_USER_AGENT_LENGTH (the users subgraph shows it per session). */
  readonly userAgent?: string | null;
}

/** Longest address accepted in a context (an IPv6 text form is at most 45 characters). */
const MAX_ADDRESS_LENGTH = 64;
/** Longest session id accepted (a UUID is 36 characters). */
const MAX_SESSION_ID_LENGTH = 64;
/** Longest User-Agent a context carries: the gateway cuts longer ones, subgraphs refuse them. */
export const MAX_USER_AGENT_LENGTH = 256;

/**
 * A User-Agent header as a context carries it: control characters dropped, cut to
 * MAX_USER_AGENT_LENGTH, null when nothing is left.
 */
export function contextUserAgent(header: string | readonly string[] | undefined | null): string | null {
  const value = typeof header === 'string' ? header : header?.[0];
  if (!value) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '') return null;
  // Never cut between the halves of a surrogate pair (HTTP headers reach Node as Latin-1, but a caller may pass any string).
  return clean.slice(0, MAX_USER_AGENT_LENGTH).replace(/[\ud800-\udbff]$/, '');
}

const optionalString = (value: unknown, maxLength: number): value is string | undefined =>
  value === undefined || (typeof value === 'string' && value !== '' && value.length <= maxLength);

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
  const userAgent = contextUserAgent(context.userAgent);
  if (userAgent) claims.ua = userAgent;
  if (context.viewer) {
    claims.sub = context.viewer.id;
    claims.role = context.viewer.role;
    if (context.sessionId) claims.sid = context.sessionId;
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
  if (!optionalString(payload.ua, MAX_USER_AGENT_LENGTH) || !optionalString(payload.sid, MAX_SESSION_ID_LENGTH))
    return undefined;
  // Present only when signed: contexts without them compare equal to what older gateways sent.
  const extra = {
    ...(payload.ip === undefined ? {} : { clientAddress: payload.ip }),
    ...(payload.ua === undefined ? {} : { userAgent: payload.ua }),
  };
  if (payload.sub === undefined) {
    if (payload.sid !== undefined) return undefined;
    return { viewer: null, requestId: payload.rid, ...extra };
  }
  if (typeof payload.sub !== 'string' || !isRole(payload.role)) return undefined;
  return {
    viewer: { id: payload.sub, role: payload.role },
    requestId: payload.rid,
    ...extra,
    ...(payload.sid === undefined ? {} : { sessionId: payload.sid }),
  };
}
