import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RevocationKeyspace } from '@radiata/auth-context';
import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import { newId } from '@radiata/service-runtime';
import {
  createTestDatabase,
  migrateTestDatabase,
  startTestSubgraph,
  type TestSubgraph,
  testLogger,
  testSqlPool,
} from '@radiata/testing';
import { usersSubgraph } from '../src/subgraph.js';
import {
  type Account,
  codeOf,
  logIn,
  REFRESH,
  type RunningUsers,
  type SignedIn,
  sessionIdOf,
  signUp,
} from './accounts-support.js';
import { migrationsDir } from './support.js';

const SESSIONS = '{ me { sessions { id createdAt lastUsedAt userAgent current } } }';
const END = 'mutation($id: ID!) { endSession(id: $id) }';
const END_OTHERS = 'mutation { endOtherSessions }';

interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  current: boolean;
}

let users: TestSubgraph<RunningUsers>;
let redis: Redis;
let keys: RevocationKeyspace;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph);
  redis = createRedis({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    name: 'sessions-test',
    logger: testLogger('redis'),
  });
  keys = new RevocationKeyspace(users.namespace.redisKeyPrefix);
});
afterAll(async () => {
  await closeRedis(redis);
  await users.stop();
});

const sessionsOf = async (account: Account, session: SignedIn) => {
  const result = await users.client.call<{ me: { sessions: SessionView[] } }>(
    account.viewer,
    SESSIONS,
    {},
    { sessionId: session.sessionId },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.me.sessions;
};

const endSession = (account: Account, session: SignedIn, id: string) =>
  users.client.call<{ endSession: boolean }>(account.viewer, END, { id }, { sessionId: session.sessionId });

const refresh = (session: SignedIn) =>
  users.client.call<{ refreshToken: { accessToken: string; refreshToken: string } }>(null, REFRESH, {
    token: session.refreshToken,
  });

const revoked = async (account: Account, id: string) => (await redis.get(keys.revokedSession(account.id, id))) !== null;

describe('me.sessions', () => {
  it("lists the user's live sessions, newest first, marking the current one and each one's User-Agent", async () => {
    const account = await signUp(users, { userAgent: 'Mozilla/5.0 (iPhone)' });
    const laptop = await logIn(users, account.email, undefined, { userAgent: 'Mozilla/5.0 (Macintosh)' });
    const cli = await logIn(users, account.email);

    const listed = await sessionsOf(account, laptop);
    expect(listed.map(({ id, userAgent, current }) => ({ id, userAgent, current }))).toEqual([
      { id: cli.sessionId, userAgent: null, current: false },
      { id: laptop.sessionId, userAgent: 'Mozilla/5.0 (Macintosh)', current: true },
      { id: account.first.sessionId, userAgent: 'Mozilla/5.0 (iPhone)', current: false },
    ]);

    // A refresh keeps the session (its id is the access tokens' sid) and marks it used.
    const before = listed.find((session) => session.id === cli.sessionId) as SessionView;
    const refreshed = await refresh(cli);
    expect(sessionIdOf(refreshed.data?.refreshToken.accessToken ?? '')).toBe(cli.sessionId);
    const after = (await sessionsOf(account, laptop)).find((session) => session.id === cli.sessionId) as SessionView;
    expect(new Date(after.lastUsedAt).getTime()).toBeGreaterThan(new Date(before.lastUsedAt).getTime());
    expect(after.createdAt).toBe(before.createdAt);

    // A session logged out, or past its refresh token's expiry, is no longer listed.
    await users.client.call(null, 'mutation($t: String!) { logOut(refreshToken: $t) }', {
      t: refreshed.data?.refreshToken.refreshToken,
    });
    await users.sql(
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1",
      account.first.sessionId,
    );
    expect((await sessionsOf(account, laptop)).map((session) => session.id)).toEqual([laptop.sessionId]);
  });

  it('is null for anyone but the user themself, and shows an admin no current session', async () => {
    const account = await signUp(users);
    const stranger = await signUp(users);
    const entity = `{ _entities(representations: [{ __typename: "User", id: "${account.id}" }]) { ... on User { sessions { id current } } } }`;
    const seen = await users.client.call<{ _entities: { sessions: unknown }[] }>(
      stranger.viewer,
      entity,
      {},
      {
        sessionId: stranger.first.sessionId,
      },
    );
    expect(seen.data?._entities).toEqual([{ sessions: null }]);
    const admin = { id: stranger.id, role: 'ADMIN' as const };
    const byAdmin = await users.client.call<{ user: { sessions: { id: string; current: boolean }[] } }>(
      admin,
      'query($id: ID!) { user(id: $id) { sessions { id current } } }',
      { id: account.id },
      { sessionId: account.first.sessionId },
    );
    expect(byAdmin.data?.user.sessions).toEqual([{ id: account.first.sessionId, current: false }]);
  });
});

describe('endSession and endOtherSessions', () => {
  it("ends one of the user's own sessions at once, and answers NOT_FOUND for anyone else's", async () => {
    const account = await signUp(users);
    const phone = await logIn(users, account.email);
    const stranger = await signUp(users);

    expect(await endSession(account, account.first, phone.sessionId)).toEqual({ data: { endSession: true } });
    expect(await revoked(account, phone.sessionId)).toBe(true);
    expect(codeOf(await refresh(phone))).toBe('UNAUTHENTICATED');
    expect((await sessionsOf(account, account.first)).map((session) => session.id)).toEqual([account.first.sessionId]);

    for (const id of [stranger.first.sessionId, phone.sessionId, newId(), 'not-an-id']) {
      const refused = await endSession(account, account.first, id);
      expect(refused.errors?.[0]).toMatchObject({ message: 'Session not found', extensions: { code: 'NOT_FOUND' } });
    }
    expect(await revoked(stranger, stranger.first.sessionId)).toBe(false);
    expect(codeOf(await refresh(stranger.first))).toBe('OK');
    expect(codeOf(await users.client.call(null, END, { id: account.first.sessionId }))).toBe('UNAUTHENTICATED');
  });

  it('ends every other session of the user and says how many, keeping the current one', async () => {
    const account = await signUp(users);
    const others = [await logIn(users, account.email), await logIn(users, account.email)];
    const ended = await users.client.call<{ endOtherSessions: number }>(
      account.viewer,
      END_OTHERS,
      {},
      {
        sessionId: account.first.sessionId,
      },
    );
    expect(ended).toEqual({ data: { endOtherSessions: 2 } });
    for (const other of others) {
      expect(await revoked(account, other.sessionId)).toBe(true);
      expect(codeOf(await refresh(other))).toBe('UNAUTHENTICATED');
    }
    expect(await revoked(account, account.first.sessionId)).toBe(false);
    expect((await sessionsOf(account, account.first)).map((session) => session.current)).toEqual([true]);

    // Without a session in the signed context (an older gateway), nothing is ended.
    const unknownCurrent = await users.client.call(account.viewer, END_OTHERS);
    expect(codeOf(unknownCurrent)).toBe('UNAUTHENTICATED');
    expect(codeOf(await refresh(account.first))).toBe('OK');
  });

  it('ends a session whose refresh token was used twice (reuse), and stops listing it', async () => {
    const account = await signUp(users);
    const current = await logIn(users, account.email);
    expect(codeOf(await refresh(account.first))).toBe('OK');
    expect(codeOf(await refresh(account.first))).toBe('UNAUTHENTICATED');
    expect(await revoked(account, account.first.sessionId)).toBe(true);
    expect((await sessionsOf(account, current)).map((session) => session.id)).toEqual([current.sessionId]);
  });
});

describe('the sessions migration', () => {
  it('makes a session of every refresh-token family signed in before it, live or not', async () => {
    // The migrations before it, some sign-ins as the old code wrote them, then the rest.
    const before = mkdtempSync(path.join(tmpdir(), 'users-migrations-'));
    for (const file of readdirSync(migrationsDir).filter((name) => name < '20261204010100')) {
      cpSync(path.join(migrationsDir, file), path.join(before, file));
    }
    const database = await createTestDatabase('users', before);
    const pool = testSqlPool(database.url);
    try {
      const userId = newId();
      await pool.query(
        "INSERT INTO users (id, email, password_hash, name) VALUES ($1, 'old@example.com', 'h', 'Old')",
        [userId],
      );
      const [live, loggedOut, expired] = [newId(), newId(), newId()];
      const token = (
        family: string,
        created: string,
        expires: string,
        rotated: string | null,
        revoked: string | null,
      ) =>
        pool.query(
          `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at, rotated_at, revoked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [newId(), family, userId, newId(), created, expires, rotated, revoked],
        );
      // Signed in, refreshed once: live.
      await token(live, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026-11-02T00:00:00Z', null);
      await token(live, '2026-11-02T00:00:00Z', '2099-01-01T00:00:00Z', null, null);
      // Logged out.
      await token(loggedOut, '2026-11-03T00:00:00Z', '2099-01-01T00:00:00Z', null, '2026-11-04T00:00:00Z');
      // Never refreshed before its expiry.
      await token(expired, '2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z', null, null);

      await migrateTestDatabase(database.url, migrationsDir);
      const { rows } = await pool.query<{
        id: string;
        user_id: string;
        created_at: Date;
        last_used_at: Date;
        expires_at: Date;
        ended_at: Date | null;
      }>('SELECT id, user_id, created_at, last_used_at, expires_at, ended_at FROM sessions ORDER BY created_at');
      expect(rows).toEqual([
        {
          id: expired,
          user_id: userId,
          created_at: new Date('2026-10-01T00:00:00Z'),
          last_used_at: new Date('2026-10-01T00:00:00Z'),
          expires_at: new Date('2026-10-31T00:00:00Z'),
          ended_at: new Date('2026-10-31T00:00:00Z'),
        },
        {
          id: live,
          user_id: userId,
          created_at: new Date('2026-11-01T00:00:00Z'),
          last_used_at: new Date('2026-11-02T00:00:00Z'),
          expires_at: new Date('2099-01-01T00:00:00Z'),
          ended_at: null,
        },
        {
          id: loggedOut,
          user_id: userId,
          created_at: new Date('2026-11-03T00:00:00Z'),
          last_used_at: new Date('2026-11-03T00:00:00Z'),
          expires_at: new Date('2099-01-01T00:00:00Z'),
          ended_at: new Date('2026-11-04T00:00:00Z'),
        },
      ]);
    } finally {
      await pool.end();
      await database.drop();
      rmSync(before, { recursive: true, force: true });
    }
  });
});
