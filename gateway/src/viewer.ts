import { type Viewer, verifyAccessToken } from '@radiata/auth-context';
import { GraphQLError } from 'graphql';

/**
 * The viewer behind an Authorization header: null when there is none (anonymous), and an
 * UNAUTHENTICATED error (HTTP 401) when a token is sent but is not valid, so a client
 * knows to refresh instead of silently browsing as anonymous.
 */
export async function viewerFromAuthorization(header: string | undefined, secret: string): Promise<Viewer | null> {
  if (header === undefined || header === '') return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  const viewer = match?.[1] ? await verifyAccessToken(match[1], secret) : undefined;
  if (!viewer) {
    throw new GraphQLError('Invalid or expired access token', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return viewer;
}
