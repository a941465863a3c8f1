import { jwtVerify, SignJWT } from 'jose';
import { hmacKey } from './hmac-key.js';
import { isRole, type Viewer } from './viewer.js';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';
const ISSUER = 'radiata-users';
const AUDIENCE = 'radiata';

export interface AccessTokenOptions {
  readonly secret: string;
  /** Lifetime in seconds. */
  readonly ttlSeconds: number;
  readonly now?: Date;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** A short-lived access JWT: subject = user id, `role` claim. Issued by the users subgraph. */
export async function issueAccessToken(viewer: Viewer, options: AccessTokenOptions): Promise<IssuedAccessToken> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.ttlSeconds;
  const token = await new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(viewer.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await hmacKey(options.secret));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * Verifies signature, algorithm (only HS256: `none` and algorithm confusion are refused),
 * issuer, audience and expiry. Returns undefined for any invalid token.
 */
export async function verifyAccessToken(token: string, secret: string, now?: Date): Promise<Viewer | undefined> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 5,
      ...(now ? { currentDate: now } : {}),
    });
    if (typeof payload.sub !== 'string' || !isRole(payload.role)) return undefined;
    return { id: payload.sub, role: payload.role };
  } catch {
    return undefined;
  }
}
