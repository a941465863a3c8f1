import { createHash, randomBytes } from 'node:crypto';
import type { Viewer } from '@radiata/auth-context';
import { issueAccessToken, MAX_USER_AGENT_LENGTH } from '@radiata/auth-context';
import { notFound, unauthenticated } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import { isId, newId, requireViewer } from '@radiata/service-runtime';
import type { Session as SessionRow } from '../generated/prisma/client.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import { isSelfOrAdmin, type UserRecord } from './users.js';

/** The tokens of a session just started or refreshed. */
export interface Session {
  /** The session's id: its refresh-token family, the `sid` of its access tokens. */
  readonly sessionId: string;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
  readonly user: UserRecord;
}

/** A session as its user sees it in their list. */
export interface SessionView {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly userAgent: string | null;
  /** The session the request itself belongs to. */
  readonly current: boolean;
}

export interface SessionSettings {
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
}

/** Who is signing in, and from what. */
export interface SessionStart {
  /** The client's User-Agent, as the gateway signed it. */
  readonly userAgent?: string | null;
}

const DAY_MS = 86_400_000;
const INVALID_REFRESH_TOKEN = 'Invalid or expired refresh token';
/** The most sessions a list shows (newest first); more are possible, and still ended by endOtherSessions. */
export const MAX_LISTED_SESSIONS = 100;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sessions that still work: not ended, their refresh token not expired. */
const live = (now: Date) => ({ endedAt: null, expiresAt: { gt: now } });

/**
 * Ends the user's live sessions in the database (every one, or all but `keep`): each session's
 * row, then its refresh tokens (the lock order every writer keeps: users, sessions, refresh
 * tokens). Their access tokens are the caller's to refuse (TokenRevocations). Returns the ids ended.
 */
export async function endSessionRows(
  tx: Transaction,
  userId: string,
  now: Date,
  options: { readonly keep?: string | null; readonly ids?: readonly string[] } = {},
): Promise<string[]> {
  const ended = await tx.session.updateManyAndReturn({
    where: {
      userId,
      ...live(now),
      ...(options.ids ? { id: { in: [...options.ids] } } : {}),
      ...(options.keep ? { NOT: { id: options.keep } } : {}),
    },
    data: { endedAt: now },
    select: { id: true },
  });
  const ids = ended.map((session) => session.id);
  if (ids.length > 0) {
    await tx.refreshToken.updateMany({ where: { familyId: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
  }
  return ids;
}

/**
 * Sessions: a short-lived access JWT plus a rotating, single-use refresh token. Each sign-in
 * starts a session (a row in `sessions`, a new refresh-token family); presenting a token that was
 * already rotated means it leaked, so the whole session is ended (OAuth 2.0 Security BCP, refresh
 * token rotation). The session id is the `sid` of its access tokens: ending a session refuses
 * them at the gateway at once (TokenRevocations), instead of leaving them valid until they expire.
 * Users list their live sessions and end them (`me.sessions`, endSession, endOtherSessions).
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
   * Signs in a user who just proved who they are (`user` as read then). The account is read
   * again, under a share lock, after the issue time is taken: a token never carries a role (or a
   * live account) older than its `iat` (Accounts.setRole), and a password changed or reset since
   * `user` was read refuses the sign-in, while one being changed waits for this session to exist
   * and then ends it: no session started with an old password survives the change.
   */
  async start(user: UserRecord, from: SessionStart = {}): Promise<Session> {
    const issuedAt = this.clock.now();
    const sessionId = newId();
    const refresh = this.newRefreshToken(issuedAt);
    const current = await this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${user.id}::uuid FOR SHARE`;
      const current = await tx.user.findFirst({ where: { id: user.id, deletedAt: null } });
      if (!current || current.passwordHash !== user.passwordHash) throw unauthenticated('Invalid email or password');
      await tx.session.create({
        data: {
          id: sessionId,
          userId: user.id,
          createdAt: issuedAt,
          lastUsedAt: issuedAt,
          expiresAt: refresh.expiresAt,
          userAgent: from.userAgent ? from.userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
        },
      });
      await tx.refreshToken.create({
        data: {
          id: newId(),
          familyId: sessionId,
          userId: user.id,
          tokenHash: refresh.hash,
          expiresAt: refresh.expiresAt,
        },
      });
      return current;
    });
    return this.issue(current, sessionId, refresh, issuedAt);
  }

  async refresh(presented: string): Promise<Session> {
    const tokenHash = digest(presented);
    const now = this.clock.now();
    const known = await this.db.refreshToken.findUnique({ where: { tokenHash } });
    if (!known) throw unauthenticated(INVALID_REFRESH_TOKEN);
    const refresh = this.newRefreshToken(now);
    // The session's row is locked first: ending the session (log-out, a password change) waits
    // for this refresh and then revokes its new token too, or happens first and this finds it ended.
    const user = await this.db.$transaction(async (tx) => {
      const [session] = await tx.$queryRaw<{ ended_at: Date | null }[]>`
        SELECT ended_at FROM sessions WHERE id = ${known.familyId}::uuid FOR UPDATE`;
      if (!session || session.ended_at !== null) return null;
      // Claiming the token is one conditional UPDATE, so of two refreshes with it only one wins.
      const claimed = await tx.refreshToken.updateMany({
        where: { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { rotatedAt: now },
      });
      if (claimed.count !== 1) return null;
      const user = await tx.user.findUniqueOrThrow({ where: { id: known.userId } });
      if (user.deletedAt !== null) throw unauthenticated(INVALID_REFRESH_TOKEN);
      await tx.refreshToken.create({
        data: {
          id: newId(),
          familyId: known.familyId,
          userId: user.id,
          tokenHash: refresh.hash,
          expiresAt: refresh.expiresAt,
        },
      });
      await tx.session.update({
        where: { id: known.familyId },
        data: { lastUsedAt: now, expiresAt: refresh.expiresAt },
      });
      return user;
    });
    // `now` was taken before the user (and its role) was read: see start().
    if (user) return this.issue(user, known.familyId, refresh, now);

    const after = await this.db.refreshToken.findUnique({ where: { tokenHash } });
    if (after?.rotatedAt && after.revokedAt === null) {
      await this.db.$transaction((tx) => endSessionRows(tx, after.userId, now, { ids: [after.familyId] }));
      // The answer is UNAUTHENTICATED either way. Should Redis fail (logged by TokenRevocations),
      // the refresh tokens are still revoked and the access tokens die within their TTL.
      await this.revocations.endSession(after.userId, after.familyId, now).catch(() => undefined);
      this.logger.warn(
        { userId: after.userId, familyId: after.familyId },
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
    await this.db.$transaction(async (tx) => {
      await endSessionRows(tx, known.userId, now, { ids: [known.familyId] });
      // A session past its expiry is not live, but its tokens are revoked all the same.
      await tx.refreshToken.updateMany({
        where: { familyId: known.familyId, revokedAt: null },
        data: { revokedAt: now },
      });
    });
  }

  /**
   * The user's live sessions, newest first (at most MAX_LISTED_SESSIONS): for the user themself
   * (`currentSessionId` marks the one asking) or an ADMIN; null for anyone else.
   */
  async list(viewer: Viewer | null, user: UserRecord, currentSessionId: string | null): Promise<SessionView[] | null> {
    if (!isSelfOrAdmin(viewer, user)) return null;
    const rows = await this.db.session.findMany({
      where: { userId: user.id, ...live(this.clock.now()) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: MAX_LISTED_SESSIONS,
    });
    const self = viewer?.id === user.id;
    return rows.map((row: SessionRow) => ({
      id: row.id,
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      userAgent: row.userAgent,
      current: self && row.id === currentSessionId,
    }));
  }

  /** Ends one of the signed-in user's own live sessions (the current one included); NOT_FOUND for any other id. */
  async endOne(viewer: Viewer | null, sessionId: string): Promise<void> {
    const self = requireViewer(viewer);
    const now = this.clock.now();
    const session = isId(sessionId)
      ? await this.db.session.findFirst({ where: { id: sessionId, userId: self.id, ...live(now) } })
      : null;
    if (!session) throw notFound('Session');
    await this.revocations.endSession(self.id, session.id, now);
    await this.db.$transaction((tx) => endSessionRows(tx, self.id, now, { ids: [session.id] }));
  }

  /**
   * Ends every live session of the signed-in user but the one the request belongs to; how many.
   * UNAUTHENTICATED when the request names no session (a context signed by an older gateway).
   */
  async endOthers(viewer: Viewer | null, currentSessionId: string | null): Promise<number> {
    const self = requireViewer(viewer);
    if (!currentSessionId) throw unauthenticated('Sign in again to manage your sessions');
    return (await this.endAllOf(self.id, currentSessionId)).length;
  }

  /**
   * Ends the user's live sessions, all but `keep` (none when null), running `alongside` (a
   * password change) in the same transaction, before the sessions are ended: users, then
   * sessions, then refresh tokens. Access tokens are refused session by session, before the
   * transaction (a failure changes nothing the caller is told is done) and again after it for
   * sessions that began meanwhile. Returns the ids ended.
   */
  async endAllOf(
    userId: string,
    keep: string | null,
    alongside?: (tx: Transaction, now: Date) => Promise<void>,
  ): Promise<string[]> {
    const now = this.clock.now();
    const before = await this.db.session.findMany({
      where: { userId, ...live(now), ...(keep ? { NOT: { id: keep } } : {}) },
      select: { id: true },
    });
    await Promise.all(before.map(({ id }) => this.revocations.endSession(userId, id, now)));
    const ended = await this.db.$transaction(async (tx) => {
      await alongside?.(tx, now);
      return endSessionRows(tx, userId, now, { keep });
    });
    const known = new Set(before.map(({ id }) => id));
    const late = ended.filter((id) => !known.has(id));
    await Promise.all(late.map((id) => this.revocations.endSession(userId, id, this.clock.now())));
    return ended;
  }

  private newRefreshToken(now: Date) {
    const token = randomBytes(32).toString('base64url');
    return {
      token,
      hash: digest(token),
      expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlDays * DAY_MS),
    };
  }

  /** `now` must not be later than the moment `user` was read. */
  private async issue(
    user: UserRecord,
    sessionId: string,
    refresh: { readonly token: string; readonly expiresAt: Date },
    now: Date,
  ): Promise<Session> {
    const access = await issueAccessToken(
      { id: user.id, role: user.role },
      { secret: this.settings.jwtSecret, ttlSeconds: this.settings.accessTokenTtlSeconds, sessionId, now },
    );
    return {
      sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }
}
