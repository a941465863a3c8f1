import { createHash, randomBytes } from 'node:crypto';
import { issueAccessToken } from '@radiata/auth-context';
import { unauthenticated } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import { newId } from '@radiata/service-runtime';
import type { Database } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import type { UserRecord } from './users.js';

export interface Session {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
  readonly user: UserRecord;
}

export interface SessionSettings {
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
}

const DAY_MS = 86_400_000;
const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions: a short-lived access JWT plus a rotating, single-use refresh token. Each login
 * starts a token family; presenting a token that was already rotated means it leaked, so the
 * whole family is revoked (OAuth 2.0 Security BCP, refresh token rotation). The family id is
 * the session id (`sid`) of its access tokens: ending the session revokes them too, at the
 * gateway (TokenRevocations), instead of leaving them valid until they expire.
 */
export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly revocations: TokenRevocations,
  ) {}

  /**
   * Signs in a user who just proved who they are. The account is read again after the issue
   * time is taken, so a token never carries a role (or a live account) older than its `iat`:
   * a role change or deletion that lands meanwhile refuses it (Accounts.setRole).
   */
  async start(user: UserRecord): Promise<Session> {
    const issuedAt = this.clock.now();
    const current = await this.db.user.findFirst({ where: { id: user.id, deletedAt: null } });
    if (!current) throw unauthenticated('Invalid email or password');
    return this.issue(current, newId(), issuedAt);
  }

  async refresh(presented: string): Promise<Session> {
    const tokenHash = digest(presented);
    const now = this.clock.now();
    // Claiming the token is one conditional UPDATE, so of two concurrent refreshes only one wins.
    const claimed = await this.db.refreshToken.updateMany({
      where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { rotatedAt: now },
    });
    if (claimed.count === 1) {
      const token = await this.db.refreshToken.findUniqueOrThrow({ where: { tokenHash }, include: { user: true } });
      if (token.user.deletedAt !== null) throw unauthenticated(INVALID_REFRESH_TOKEN);
      // `now` was taken before the user (and its role) was read: see start().
      return this.issue(token.user, token.familyId, now);
    }
    const known = await this.db.refreshToken.findUnique({ where: { tokenHash } });
    if (known?.rotatedAt && known.revokedAt === null) {
      await this.revokeFamily(known.familyId, now);
      // The answer is UNAUTHENTICATED either way. Should Redis fail (logged by TokenRevocations),
      // the refresh tokens are still revoked and the access tokens die within their TTL.
      await this.revocations.endSession(known.userId, known.familyId, now).catch(() => undefined);
      this.logger.warn(
        { userId: known.userId, familyId: known.familyId },
        'refresh token reuse detected; session revoked',
      );
    }
    throw unauthenticated(INVALID_REFRESH_TOKEN);
  }

  /**
   * Ends the session the token belongs to: its access tokens at once, its refresh tokens for
   * good. Unknown tokens are ignored: nothing to reveal. The access tokens are revoked first:
   * when that fails nothing changed and the caller is told to retry, rather than told it is
   * signed out while its access token still works.
   */
  async end(presented: string): Promise<void> {
    const known = await this.db.refreshToken.findUnique({ where: { tokenHash: digest(presented) } });
    if (!known) return;
    const now = this.clock.now();
    await this.revocations.endSession(known.userId, known.familyId, now);
    await this.revokeFamily(known.familyId, now);
  }

  private async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  /** `now` must not be later than the moment `user` was read. */
  private async issue(user: UserRecord, familyId: string, now: Date): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshTokenExpiresAt = new Date(now.getTime() + this.settings.refreshTokenTtlDays * DAY_MS);
    await this.db.refreshToken.create({
      data: {
        id: newId(),
        familyId,
        userId: user.id,
        tokenHash: digest(refreshToken),
        expiresAt: refreshTokenExpiresAt,
      },
    });
    const access = await issueAccessToken(
      { id: user.id, role: user.role },
      { secret: this.settings.jwtSecret, ttlSeconds: this.settings.accessTokenTtlSeconds, sessionId: familyId, now },
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      user,
    };
  }
}
