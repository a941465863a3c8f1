import { eventually, type GraphQLResponse, graphql } from '@radiata/testing';
import { LOG_IN, type SignedIn, signUp, TEST_PASSWORD, uniqueEmail } from './support/accounts.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

// Issue 16: changing a password, resetting a forgotten one by email (the mail read from the
// graph's MailDev through its REST API), and the sessions a user sees and ends — through the gateway.

const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const REQUEST = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($token: String!, $n: String!) { resetPassword(token: $token, newPassword: $n) }';
const REFRESH = 'mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const SESSIONS = '{ me { sessions { id createdAt lastUsedAt userAgent current } } }';
const ME = '{ me { id } }';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph.stop());

interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
}

const logIn = async (email: string, password = TEST_PASSWORD, userAgent = 'Radiata e2e') => {
  const response = await graphql<{ logIn: Session }>(graph.gateway.url, LOG_IN, {
    variables: { input: { email, password } },
    headers: { 'user-agent': userAgent },
  });
  return response;
};

const signedIn = async (email: string, password = TEST_PASSWORD, userAgent?: string): Promise<Session> => {
  const response = await logIn(email, password, userAgent);
  if (!response.data?.logIn) throw new Error(`log-in failed: ${JSON.stringify(response.errors)}`);
  return response.data.logIn;
};

const me = (session: Session) => graphql<{ me: { id: string } }>(graph.gateway.url, ME, { token: session.accessToken });
const refresh = (session: Session) =>
  graphql<{ refreshToken: Session }>(graph.gateway.url, REFRESH, { variables: { token: session.refreshToken } });
const sessionsOf = async (session: Session) => {
  const response = await graphql<{
    me: {
      sessions: { id: string; createdAt: string; lastUsedAt: string; userAgent: string | null; current: boolean }[];
    };
  }>(graph.gateway.url, SESSIONS, { token: session.accessToken });
  if (!response.data?.me) throw new Error(JSON.stringify(response.errors));
  return response.data.me.sessions;
};

function expectSessionEnded(response: GraphQLResponse) {
  expect(response.status).toBe(401);
  expect(response.errors).toEqual([
    { message: 'Session ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

const expectRefreshRefused = async (session: Session) =>
  expect((await refresh(session)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

/** The mails the graph's MailDev caught for `email`, once there are `count`. */
async function mailsTo(email: string, count: number) {
  await eventually(async () => (await graph.mail.messagesTo(email)).length >= count);
  return graph.mail.messagesTo(email);
}

describe('changePassword', () => {
  it("ends the user's other sessions at once (access and refresh tokens), not the one that changed it", async () => {
    const account: SignedIn = await signUp(graph);
    const laptop = await signedIn(account.email);
    const phone = await signedIn(account.email);

    const changed = await graphql(graph.gateway.url, CHANGE, {
      token: account.accessToken,
      variables: { c: TEST_PASSWORD, n: 'new horse 43' },
    });
    expect(changed.data).toEqual({ changePassword: true });

    for (const other of [laptop, phone]) {
      expectSessionEnded(await me(other));
      await expectRefreshRefused(other);
    }
    expect((await me(account)).data?.me.id).toBe(account.id);
    expect((await refresh(account)).data?.refreshToken.accessToken).toEqual(expect.any(String));

    expect((await logIn(account.email)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await signedIn(account.email, 'new horse 43');
    const [notice] = await mailsTo(account.email, 1);
    expect(notice?.subject).toBe('[Radiata] 비밀번호가 변경되었습니다');
  });

  it('refuses a wrong current password without ending anything', async () => {
    const account = await signUp(graph);
    const other = await signedIn(account.email);
    const wrong = await graphql(graph.gateway.url, CHANGE, {
      token: account.accessToken,
      variables: { c: 'not my password 1', n: 'new horse 43' },
    });
    expect(wrong.errors?.[0]).toMatchObject({
      message: 'Wrong password',
      extensions: { code: 'FORBIDDEN', reason: 'WRONG_PASSWORD' },
    });
    expect((await me(other)).data?.me.id).toBe(account.id);
    expect(
      (await graphql(graph.gateway.url, CHANGE, { variables: { c: TEST_PASSWORD, n: 'x' } })).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('a forgotten password', () => {
  it('is reset with the link mailed to the account: every old session ends, the new password works, once', async () => {
    const account = await signUp(graph);
    const other = await signedIn(account.email);

    const asked = await graphql(graph.gateway.url, REQUEST, { variables: { email: account.email.toUpperCase() } });
    expect(asked.data).toEqual({ requestPasswordReset: true });
    const [mail] = await mailsTo(account.email, 1);
    expect(mail?.subject).toBe('[Radiata] 비밀번호 재설정 안내');
    const link = /(http:\/\/localhost:5173\/reset-password\?token=([A-Za-z0-9_-]+))/.exec(mail?.text ?? '');
    expect(link).not.toBeNull();
    expect(mail?.html).toContain(`href="${link?.[1]}"`);
    const token = link?.[2] as string;

    const reset = await graphql(graph.gateway.url, RESET, { variables: { token, n: 'reset horse 44' } });
    expect(reset.data).toEqual({ resetPassword: true });

    for (const old of [account, other]) {
      expectSessionEnded(await me(old));
      await expectRefreshRefused(old);
    }
    expect((await logIn(account.email)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const fresh = await signedIn(account.email, 'reset horse 44');
    expect((await me(fresh)).data?.me.id).toBe(account.id);

    const again = await graphql(graph.gateway.url, RESET, { variables: { token, n: 'another horse 45' } });
    expect(again.errors?.[0]).toMatchObject({
      message: 'This password reset link is invalid, used or expired: ask for a new one',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await signedIn(account.email, 'reset horse 44');
    const [, notice] = await mailsTo(account.email, 2);
    expect(notice?.subject).toBe('[Radiata] 비밀번호가 변경되었습니다');
    expect(notice?.text).toContain('모든 기기에서 로그아웃되었습니다');
  });

  it('answers the same for an unknown email, and sends nothing', async () => {
    const unknown = uniqueEmail('nobody');
    const account = await signUp(graph);
    const [none, known] = await Promise.all([
      graphql(graph.gateway.url, REQUEST, { variables: { email: unknown } }),
      graphql(graph.gateway.url, REQUEST, { variables: { email: account.email } }),
    ]);
    expect(none.status).toBe(known.status);
    expect(none.data).toEqual(known.data);
    expect(none.errors).toBeUndefined();
    // The known one's mail arrives; by then the unknown one's would have too.
    await mailsTo(account.email, 1);
    expect(await graph.mail.messagesTo(unknown)).toEqual([]);
  });
});

describe('sessions', () => {
  it('lists the caller’s sessions with current=true for theirs, and ends one or all the others', async () => {
    const account = await signUp(graph);
    const laptop = await signedIn(account.email, TEST_PASSWORD, 'Mozilla/5.0 (Macintosh; Radiata e2e)');
    const phone = await signedIn(account.email, TEST_PASSWORD, 'Mozilla/5.0 (iPhone; Radiata e2e)');
    const tablet = await signedIn(account.email);

    const listed = await sessionsOf(laptop);
    expect(listed).toHaveLength(4);
    expect(listed.filter((session) => session.current)).toHaveLength(1);
    const current = listed.find((session) => session.current);
    expect(current?.userAgent).toBe('Mozilla/5.0 (Macintosh; Radiata e2e)');
    expect(listed.map((session) => session.createdAt)).toEqual(
      [...listed.map((session) => session.createdAt)].sort().reverse(),
    );
    const phoneSession = (await sessionsOf(phone)).find((session) => session.current);
    expect(phoneSession?.userAgent).toBe('Mozilla/5.0 (iPhone; Radiata e2e)');

    const ended = await graphql(graph.gateway.url, 'mutation($id: ID!) { endSession(id: $id) }', {
      token: laptop.accessToken,
      variables: { id: phoneSession?.id },
    });
    expect(ended.data).toEqual({ endSession: true });
    expectSessionEnded(await me(phone));
    await expectRefreshRefused(phone);
    expect(await sessionsOf(laptop)).toHaveLength(3);

    const stranger = await signUp(graph);
    const strangers = (await sessionsOf(stranger))[0]?.id;
    const foreign = await graphql(graph.gateway.url, 'mutation($id: ID!) { endSession(id: $id) }', {
      token: laptop.accessToken,
      variables: { id: strangers },
    });
    expect(foreign.errors?.[0]).toMatchObject({ message: 'Session not found', extensions: { code: 'NOT_FOUND' } });
    expect((await me(stranger)).data?.me.id).toBe(stranger.id);

    const others = await graphql(graph.gateway.url, 'mutation { endOtherSessions }', { token: laptop.accessToken });
    expect(others.data).toEqual({ endOtherSessions: 2 });
    for (const gone of [account, tablet]) {
      expectSessionEnded(await me(gone));
      await expectRefreshRefused(gone);
    }
    expect((await sessionsOf(laptop)).map((session) => session.current)).toEqual([true]);
    expect((await refresh(laptop)).data?.refreshToken.accessToken).toEqual(expect.any(String));
  });
});
