import { jwtVerify, SignJWT } from 'jose';
import { hmacKey } from './hmac-key.js';
import { isRole, type Viewer } from './viewer.js';

/** Header carrying the signed request context from the gateway to subgraphs. */
export const GATEWAY_CONTEXT_HEADER = 'x-radiata-context';

const ISSUER = 'radiata-gateway';
const AUDIENCE = 'radiata-subgraphs';
/** Long enough for clock skew between hosts, short enough to make a leaked header useless. */
const TTL_SECONDS = 60;

export interface GatewayContext {
  /** The signed-in user, or null for an anonymous request. */
  readonly viewer: Viewer | null;
  readonly requestId: string;
}

/**
 * Signs what the gateway established about a request. Subgraphs trust only this header,
 * never a user id sent by a client, and refuse requests that do not carry it.
 */
export async function signGatewayContext(context: GatewayContext, secret: string): Promise<string> {
  const claims: Record<string, unknown> = { rid: context.requestId };
  if (context.viewer) claims.role = context.viewer.role;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`);
  if (context.viewer) jwt.setSubject(context.viewer.id);
  return jwt.sign(await hmacKey(secret));
}

/** The verified context, or undefined when the header is missing, forged, stale or malformed. */
export async function verifyGatewayContext(
  header: string | undefined,
  secret: string,
): Promise<GatewayContext | undefined> {
  if (!header) return undefined;
  try {
    const { payload } = await jwtVerify(header, await hmacKey(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: 5,
    });
    if (typeof payload.rid !== 'string') return undefined;
    if (payload.sub === undefined) return { viewer: null, requestId: payload.rid };
    if (!isRole(payload.role)) return undefined;
    return { viewer: { id: payload.sub, role: payload.role }, requestId: payload.rid };
  } catch {
    return undefined;
  }
}
