import { type Viewer, verifyAccessToken } from '@radiata/auth-context';
import { GraphQLError } from 'graphql';
import { type SessionCheck, sessionEnded } from './session-check.js';

export interface AuthenticatedViewer {
  readonly viewer: Viewer | null;
  /** The session the access token belongs to (its `sid`), null when anonymous. */
  readonly sessionId: string | null;
  /** True when Redis could not say whether the token's session still stands. */
  readonly sessionUnchecked: boolean;
}

const ANONYMOUS: AuthenticatedViewer = { viewer: null, sessionId: null, sessionUnchecked: false };

/**
 * The viewer behind an Authorization header: null when there is none (anonymous), and an
 * UNAUTHENTICATED error (HTTP 401) when a token is sent but is not valid, or its session was
 * ended since (log-out, refresh-token reuse, role change, account deletion), so a client
 * knows to refresh or sign in instead of silently browsing as anonymous.
 */
export async function viewerFromAuthorization(
  header: string | undefined,
  secret: string,
  sessions: SessionCheck,
): Promise<AuthenticatedViewer> {
  if (header === undefined || header === '') return ANONYMOUS;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  const token = match?.[1] ? await verifyAccessToken(match[1], secret) : undefined;
  if (!token) {
    throw new GraphQLError('Invalid or expired access token', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  const status = await sessions.status(token);
  if (status === 'revoked') throw sessionEnded();
  return { viewer: token.viewer, sessionId: token.sessionId, sessionUnchecked: status === 'unknown' };
}
