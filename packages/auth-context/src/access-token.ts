import { SignJWT } from 'jose';
import { hmacKey } from './hmac-key.js';
import { verifiedHs256Claims } from './hs256.js';
import { isRole, type Viewer } from './viewer.js';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';
const ISSUER = 'radiata-users';
const AUDIENCE = 'radiata';
/** Accepted clock skew between the users subgraph and the gateway. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessTokenOptions {
  readonly secret: string;
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
  /** The session (log-in: refresh-token family) the token belongs to: its `sid` claim. */
  readonly sessionId: string;
  readonly now?: Date;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** What a valid access token says. */
export interface VerifiedAccessToken {
  readonly viewer: Viewer;
  readonly sessionId: string;
  /** Millisecond precision: compared with revocation times (revocation.ts). */
  readonly issuedAt: Date;
  /** When it stops being accepted (its `exp`): a subscription running as its viewer ends then. */
  readonly expiresAt: Date;
}

/**
 * A short-lived access JWT: subject = user id, `role` and `sid` (session) claims. Issued by
 * the users subgraph. `iat` keeps milliseconds (RFC 7519 NumericDate may be fractional) so a
 * token issued right after a role change is told apart from one issued right before it.
 */
export async function issueAccessToken(viewer: Viewer, options: AccessTokenOptions): Promise<IssuedAccessToken> {
  const issuedAtMs = (options.now ?? new Date()).getTime();
  const expiresAt = Math.floor(issuedAtMs / 1000) + options.ttlSeconds;
  const token = await new SignJWT({ role: viewer.role, sid: options.sessionId })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(viewer.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAtMs / 1000)
    .setExpirationTime(expiresAt)
    .sign(await hmacKey(options.secret));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * Verifies signature and algorithm (only a plain HS256 header: `none` and algorithm confusion are
 * refused; hs256.ts, synchronous HMAC), issuer, audience, expiry and not-before. Returns undefined for any invalid token, including one without
 * a session (`sid`): every accepted token must be revocable. Whether its session was since
 * revoked is the gateway's second check (revocation.ts).
 */
export async function verifyAccessToken(
  token: string,
  secret: string,
  now = new Date(),
): Promise<VerifiedAccessToken | undefined> {
  const claims = verifiedHs256Claims(token, secret);
  if (!claims) return undefined;
  const { sub, role, sid, iat, exp, nbf, iss, aud } = claims;
  const seconds = now.getTime() / 1000;
  if (iss !== ISSUER || !(aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE)))) return undefined;
  if (typeof exp !== 'number' || exp <= seconds - ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > seconds + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS))
    return undefined;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return undefined;
  if (typeof sub !== 'string' || sub === '' || !isRole(role) || typeof sid !== 'string' || sid === '') return undefined;
  return {
    viewer: { id: sub, role },
    sessionId: sid,
    issuedAt: new Date(Math.round(iat * 1000)),
    expiresAt: new Date(exp * 1000),
  };
}
