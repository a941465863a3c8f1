import { createHash } from 'node:crypto';
import { RevocationKeyspace } from '@radiata/auth-context';
import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import {
  eventually,
  type MailDev,
  startMailDev,
  startTestSubgraph,
  type TestSubgraph,
  testLogger,
} from '@radiata/testing';
import { usersSubgraph } from '../src/subgraph.js';
import {
  type Account,
  codeOf,
  logIn,
  PASSWORD,
  REFRESH,
  type RunningUsers,
  type SignedIn,
  signUp,
  uniqueAddress,
  uniqueEmail,
} from './accounts-support.js';

const RESET_URL = 'https://shop.test/reset-password';
const CHANGE = `mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }`;
const REQUEST = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
const RESET = `mutation($token: String!, $next: String!) { resetPassword(token: $token, newPassword: $next) }`;

let maildev: MailDev;
let users: TestSubgraph<RunningUsers>;
let redis: Redis;
let keys: RevocationKeyspace;
beforeAll(async () => {
  maildev = await startMailDev();
  users = await startTestSubgraph(usersSubgraph, {
    env: {
      SMTP_URL: maildev.smtpUrl,
      MAIL_POLL_INTERVAL_MS: '50',
      PASSWORD_RESET_URL: RESET_URL,
      PASSWORD_RESET_LIMIT_PER_EMAIL: '3',
      PASSWORD_RESET_LIMIT_PER_ADDRESS: '5',
    },
  });
  redis = createRedis({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    name: 'passwords-test',
    logger: testLogger('redis'),
  });
  keys = new RevocationKeyspace(users.namespace.redisKeyPrefix);
});
afterAll(async () => {
  await closeRedis(redis);
  await users.stop();
  await maildev.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const change = (account: Account, session: SignedIn, current: string, next: string, clientAddress?: string) =>
  users.client.call<{ changePassword: boolean }>(
    account.viewer,
    CHANGE,
    { current, next },
    { sessionId: session.sessionId, ...(clientAddress ? { clientAddress } : {}) },
  );

const requestReset = (email: string, clientAddress = uniqueAddress()) =>
  users.client.call<{ requestPasswordReset: boolean }>(null, REQUEST, { email }, { clientAddress });

const reset = (token: string, next: string) =>
  users.client.call<{ resetPassword: boolean }>(null, RESET, { token, next });

const refresh = (session: SignedIn) =>
  users.client.call<{ refreshToken: { accessToken: string } }>(null, REFRESH, { token: session.refreshToken });

/** Whether the gateway refuses the session's access tokens (TokenRevocations' key for it). */
const sessionRevoked = async (account: Account, session: SignedIn) =>
  (await redis.get(keys.revokedSession(account.id, session.sessionId))) !== null;

const liveSessions = async (userId: string) =>
  (
    await users.sql<{ id: string }>(
      'SELECT id FROM sessions WHERE user_id = $1 AND ended_at IS NULL ORDER BY created_at',
      userId,
    )
  ).map((row) => row.id);

/** The mails caught for `email`, once there are `count`. */
async function mailsTo(email: string, count: number) {
  await eventually(async () => (await maildev.messagesTo(email)).length >= count);
  return maildev.messagesTo(email);
}

const tokenIn = (text: string) => {
  const match = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no reset link in: ${text}`);
  return match[1];
};

describe('changePassword', () => {
  it('refuses anonymous callers, bad new passwords and a wrong current one, changing nothing', async () => {
    const account = await signUp(users);
    const anonymous = await users.client.call(null, CHANGE, { current: PASSWORD, next: 'second password 2' });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');

    const short = await change(account, account.first, PASSWORD, 'short1');
    expect(short.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ field: 'newPassword', message: 'must be at least 8 characters' }],
    });
    const same = await change(account, account.first, PASSWORD, PASSWORD);
    expect(same.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'newPassword', message: 'must differ from the current password' },
    ]);
    const wrong = await change(account, account.first, 'not my password 9', 'second password 2');
    expect(wrong.errors?.[0]).toMatchObject({
      message: 'Wrong password',
      extensions: { code: 'FORBIDDEN', reason: 'WRONG_PASSWORD' },
    });
    // Still the first password, every session still live, no notice.
    await logIn(users, account.email, PASSWORD);
    expect(await liveSessions(account.id)).toHaveLength(2);
    expect(await users.sql('SELECT 1 FROM mail_outbox WHERE user_id = $1', account.id)).toEqual([]);
  });

  it('ends every other session of the user at once, keeps the current one, and mails a notice', async () => {
    const account = await signUp(users, { locale: 'EN' });
    const laptop = await logIn(users, account.email);
    const tablet = await logIn(users, account.email);

    const changed = await change(account, account.first, PASSWORD, 'second password 2');
    expect(changed).toEqual({ data: { changePassword: true } });

    expect(await liveSessions(account.id)).toEqual([account.first.sessionId]);
    for (const other of [laptop, tablet]) {
      expect(await sessionRevoked(account, other)).toBe(true);
      expect(codeOf(await refresh(other))).toBe('UNAUTHENTICATED');
    }
    expect(await sessionRevoked(account, account.first)).toBe(false);
    expect(codeOf(await refresh(account.first))).toBe('OK');

    expect(
      codeOf(
        await users.client.call(
          null,
          `mutation { logIn(input: { email: "${account.email}", password: "${PASSWORD}" }) { accessToken } }`,
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    await logIn(users, account.email, 'second password 2');
    const [notice] = await mailsTo(account.email, 1);
    expect(notice?.subject).toBe('[Radiata] Your password was changed');
    expect(notice?.text).toContain('signed out everywhere but on the device you changed it on');
  });

  it('counts a wrong current password as a failed log-in: guessing through it is throttled too', async () => {
    const account = await signUp(users);
    const address = uniqueAddress();
    for (let i = 0; i < 3; i++) {
      const wrong = await change(account, account.first, `guess number ${i}`, 'second password 2', address);
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'WRONG_PASSWORD' });
    }
    // From the 3rd consecutive failure the next attempt must wait: the right password included,
    // and a log-in to the account from that address alike.
    const throttled = await change(account, account.first, PASSWORD, 'second password 2', address);
    expect(throttled.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    const logInThrottled = await users.client.call(
      null,
      'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email: account.email, password: PASSWORD } },
      { clientAddress: address },
    );
    expect(codeOf(logInThrottled)).toBe('RATE_LIMITED');
    await logIn(users, account.email, PASSWORD); // the password did not change
  });
});

describe('requestPasswordReset and resetPassword', () => {
  it('answers true for any email, but mails a link only to a live account, storing only a digest of its token', async () => {
    const account = await signUp(users, { locale: 'EN' });
    const unknown = uniqueEmail('nobody');
    const [known, none] = await Promise.all([requestReset(account.email), requestReset(unknown)]);
    expect(known).toEqual({ data: { requestPasswordReset: true } });
    expect(none).toEqual({ data: { requestPasswordReset: true } });

    const [mail] = await mailsTo(account.email, 1);
    expect(mail?.subject).toBe('[Radiata] Reset your password');
    expect(mail?.text).toContain(`${RESET_URL}?token=`);
    const token = tokenIn(mail?.text ?? '');
    const rows = await users.sql<{ token_hash: string; expires_at: Date; created_at: Date }>(
      'SELECT token_hash, expires_at, created_at FROM password_reset_tokens WHERE user_id = $1',
      account.id,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256(token));
    expect((rows[0]?.expires_at.getTime() ?? 0) - (rows[0]?.created_at.getTime() ?? 0)).toBe(30 * 60_000);
    // Sent: the outbox no longer holds the link anywhere.
    await eventually(async () => (await users.sql(`SELECT 1 FROM mail_outbox WHERE status = 'PENDING'`)).length === 0);
    expect(await users.sql('SELECT 1 FROM mail_outbox m WHERE m::text LIKE $1', `%${token}%`)).toEqual([]);

    // Nothing for the unknown email, nor for a deleted account.
    const deleted = await signUp(users);
    await users.sql('UPDATE users SET deleted_at = now() WHERE id = $1', deleted.id);
    expect(await requestReset(deleted.email)).toEqual({ data: { requestPasswordReset: true } });
    await requestReset(account.email); // a mail after both, to wait for
    await mailsTo(account.email, 2);
    expect(await maildev.messagesTo(unknown)).toEqual([]);
    expect(await maildev.messagesTo(deleted.email)).toEqual([]);
    expect(await users.sql('SELECT 1 FROM password_reset_tokens WHERE user_id = $1', deleted.id)).toEqual([]);
  });

  it('takes at least the same floor of time whether or not the account exists', async () => {
    const account = await signUp(users);
    for (const email of [account.email, uniqueEmail('nobody')]) {
      const started = performance.now();
      await requestReset(email);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    }
  });

  it('resets the password once with the newest link, ending every session, then mails a notice', async () => {
    const account = await signUp(users);
    const other = await logIn(users, account.email);
    await requestReset(account.email);
    const older = tokenIn((await mailsTo(account.email, 1))[0]?.text ?? '');
    await requestReset(account.email);
    const mails = await mailsTo(account.email, 2);
    const newer = tokenIn(mails[1]?.text ?? '');
    expect(newer).not.toBe(older);
    expect(mails[1]?.subject).toBe('[Radiata] 비밀번호 재설정 안내');

    // A newer link voids the older one.
    const superseded = await reset(older, 'third password 3');
    expect(superseded.errors?.[0]).toMatchObject({
      message: 'This password reset link is invalid, used or expired: ask for a new one',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(codeOf(await reset(newer, 'short'))).toBe('BAD_USER_INPUT'); // the policy applies; the token is not used

    // Two uses at once: one wins.
    const results = await Promise.all([reset(newer, 'third password 3'), reset(newer, 'fourth password 4')]);
    const won = results.filter((result) => result.data?.resetPassword === true);
    expect(won).toHaveLength(1);
    expect(results.map(codeOf).sort()).toEqual(['BAD_USER_INPUT', 'OK']);
    const winner = results[0]?.data?.resetPassword ? 'third password 3' : 'fourth password 4';

    // Every session is over: access tokens refused from now (not-before), refresh tokens dead.
    expect(await liveSessions(account.id)).toEqual([]);
    const notBefore = Number(await redis.get(keys.notBefore(account.id)));
    expect(notBefore).toBeGreaterThan(0);
    for (const session of [account.first, other]) expect(codeOf(await refresh(session))).toBe('UNAUTHENTICATED');
    await logIn(users, account.email, winner);
    expect(codeOf(await reset(newer, 'fifth password 5'))).toBe('BAD_USER_INPUT');

    const [, , notice] = await mailsTo(account.email, 3);
    expect(notice?.subject).toBe('[Radiata] 비밀번호가 변경되었습니다');
    expect(notice?.text).toContain('모든 기기에서 로그아웃되었습니다');
  });

  it('refuses an expired or unknown token with the same answer', async () => {
    const account = await signUp(users);
    await requestReset(account.email);
    const token = tokenIn((await mailsTo(account.email, 1))[0]?.text ?? '');
    await users.sql(
      "UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      account.id,
    );
    const expired = await reset(token, 'third password 3');
    const unknown = await reset('an-unknown-token', 'third password 3');
    expect(expired.errors).toEqual(unknown.errors);
    expect(codeOf(expired)).toBe('BAD_USER_INPUT');
    await logIn(users, account.email, PASSWORD);
  });

  it('limits requests per email and per client address alike, account or not', async () => {
    const account = await signUp(users);
    const nobody = uniqueEmail('nobody');
    for (const email of [account.email, nobody]) {
      for (let i = 0; i < 3; i++) expect(codeOf(await requestReset(email))).toBe('OK');
      const refused = await requestReset(email);
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Too many password reset requests: try again in \d+ minutes$/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
      });
    }
    const address = uniqueAddress();
    for (let i = 0; i < 5; i++) expect(codeOf(await requestReset(uniqueEmail('many'), address))).toBe('OK');
    expect(codeOf(await requestReset(uniqueEmail('many'), address))).toBe('RATE_LIMITED');
  });
});
