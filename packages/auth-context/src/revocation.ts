import { ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS, type VerifiedAccessToken } from './access-token.js';

/**
 * Where access-token revocations live in Redis: the users subgraph writes them (log-out, reuse
 * of a refresh token, role change, account deletion), the gateway reads them on every
 * authenticated request. Both build keys here, so they cannot disagree.
 *
 * Per user, under the hash tag `{auth:<userId>}` (one Redis Cluster slot, so the gateway's MGET
 * of a token's two keys works there too):
 * - `session:<sessionId>`: present when that session (log-in) was ended; any value.
 * - `not-before`: epoch milliseconds; tokens of the user issued before it are refused.
 * Both expire once every token they could refuse has expired (revocationTtlMs).
 */
export class RevocationKeyspace {
  constructor(private readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new Error('REDIS_KEY_PREFIX must not contain braces (they make hash tags)');
  }

  revokedSession(userId: string, sessionId: string): string {
    return `${this.tag(userId)}:session:${sessionId}`;
  }

  notBefore(userId: string): string {
    return `${this.tag(userId)}:not-before`;
  }

  /** The keys that decide whether a token is still good, in the order isRevoked reads them. */
  keysOf(token: VerifiedAccessToken): [revokedSession: string, notBefore: string] {
    return [this.revokedSession(token.viewer.id, token.sessionId), this.notBefore(token.viewer.id)];
  }

  private tag(userId: string): string {
    return `${this.prefix}{auth:${userId}}`;
  }
}

/** Margin for a token issued while its revocation was being written (a refresh racing a log-out). */
const RACE_MARGIN_SECONDS = 60;

/** How long a revocation must outlive its writing: every token it refuses has expired by then. */
export const revocationTtlMs = (accessTokenTtlSeconds: number): number =>
  (accessTokenTtlSeconds + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS + RACE_MARGIN_SECONDS) * 1000;

/** Decides from the values of keysOf(token), as MGET returns them. */
export function isRevoked(
  token: VerifiedAccessToken,
  [revokedSession, notBefore]: readonly (string | null | undefined)[],
): boolean {
  if (revokedSession !== null && revokedSession !== undefined) return true;
  if (notBefore === null || notBefore === undefined) return false;
  const notBeforeMs = Number(notBefore);
  // An unreadable value refuses: only the users subgraph writes these keys.
  return !Number.isFinite(notBeforeMs) || token.issuedAt.getTime() < notBeforeMs;
}
