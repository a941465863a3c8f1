import { jwtVerify, SignJWT } from 'jose';
import { hmacKey } from './hmac-key.js';
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
 * Verifies signature, algorithm (only HS256: `none` and algorithm confusion are refused),
 * issuer, audience and expiry. Returns undefined for any invalid token, including one without
 * a session (`sid`): every accepted token must be revocable. Whether its session was since
 * revoked is the gateway's second check (revocation.ts).
 */
export async function verifyAccessToken(
  token: string,
  secret: string,
  now?: Date,
): Promise<VerifiedAccessToken | undefined> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat', 'sid'],
      clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
      ...(now ? { currentDate: now } : {}),
    });
    const { sub, role, sid, iat, exp } = payload;
    if (
      typeof sub !== 'string' ||
      !isRole(role) ||
      typeof sid !== 'string' ||
      sid === '' ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    )
      return undefined;
    return {
      viewer: { id: sub, role },
      sessionId: sid,
      issuedAt: new Date(Math.round(iat * 1000)),
      expiresAt: new Date(exp * 1000),
    };
  } catch {
    return undefined;
  }
}
