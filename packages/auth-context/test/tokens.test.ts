import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { issueAccessToken, signGatewayContext, verifyAccessToken, verifyGatewayContext } from '../src/index.js';

const secret = 'test-secret-that-is-long-enough-0123456789';
const viewer = { id: '0192f3a0-0000-7000-8000-000000000001', role: 'SELLER' as const };
const sessionId = '0192f3a0-0000-7000-8000-0000000000aa';

describe('access tokens', () => {
  it('round-trips the viewer, the session, the issue time to the millisecond and the expiry', async () => {
    const now = new Date(Date.now() - 1234);
    const { token, expiresAt } = await issueAccessToken(viewer, { secret, ttlSeconds: 900, sessionId, now });
    expect(await verifyAccessToken(token, secret)).toEqual({ viewer, sessionId, issuedAt: now, expiresAt });
    expect(expiresAt.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000 + 900_000);
  });

  it('refuses a token without a session (sid): it could not be revoked', async () => {
    const withoutSession = await new SignJWT({ role: 'CUSTOMER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(viewer.id)
      .setIssuer('radiata-users')
      .setAudience('radiata')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    expect(await verifyAccessToken(withoutSession, secret)).toBeUndefined();
  });

  it('refuses expired, tampered, wrongly keyed and wrong-algorithm tokens', async () => {
    const expired = await issueAccessToken(viewer, {
      secret,
      ttlSeconds: 60,
      sessionId,
      now: new Date(Date.now() - 3600_000),
    });
    expect(await verifyAccessToken(expired.token, secret)).toBeUndefined();

    const { token } = await issueAccessToken(viewer, { secret, ttlSeconds: 900, sessionId });
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' }),
    ).toString('base64url');
    expect(await verifyAccessToken(`${header}.${forgedPayload}.${signature}`, secret)).toBeUndefined();
    expect(await verifyAccessToken(token, `${secret}-other`)).toBeUndefined();

    const none = new UnsecuredJWT({ role: 'ADMIN', sid: sessionId })
      .setSubject(viewer.id)
      .setIssuer('radiata-users')
      .setAudience('radiata')
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    expect(await verifyAccessToken(none, secret)).toBeUndefined();

    const hs512 = await new SignJWT({ role: 'ADMIN', sid: sessionId })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(viewer.id)
      .setIssuer('radiata-users')
      .setAudience('radiata')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    expect(await verifyAccessToken(hs512, secret)).toBeUndefined();
  });
});

describe('access tokens, checked without jose', () => {
  const key = new TextEncoder().encode(secret);
  const base = { role: 'CUSTOMER', sid: sessionId };
  /** A token signed by hand, so that any header and claim can be tried. */
  const token = async (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${encode(header)}.${encode({ sub: viewer.id, iat: now, exp: now + 300, ...base, ...claims })}`;
    return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
  };
  const joseAccepts = async (jwt: string) =>
    jwtVerify(jwt, key, {
      algorithms: ['HS256'],
      issuer: 'radiata-users',
      audience: 'radiata',
      requiredClaims: ['sub', 'exp', 'iat', 'sid'],
      clockTolerance: 5,
    }).then(
      () => true,
      () => false,
    );

  it('accepts and refuses exactly what jose does on the claims Radiata checks', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<string>][] = [
      ['valid', token({ iss: 'radiata-users', aud: 'radiata' })],
      ['audience in a list', token({ iss: 'radiata-users', aud: ['other', 'radiata'] })],
      ['another issuer', token({ iss: 'someone-else', aud: 'radiata' })],
      ['no issuer', token({ aud: 'radiata' })],
      ['another audience', token({ iss: 'radiata-users', aud: 'elsewhere' })],
      ['not yet valid', token({ iss: 'radiata-users', aud: 'radiata', nbf: now + 60 })],
      ['valid from now', token({ iss: 'radiata-users', aud: 'radiata', nbf: now })],
      ['expired long ago', token({ iss: 'radiata-users', aud: 'radiata', exp: now - 60 })],
      ['a key id in the header', token({ iss: 'radiata-users', aud: 'radiata' }, { alg: 'HS256', kid: 'k1' })],
      ['a crit header', token({ iss: 'radiata-users', aud: 'radiata' }, { alg: 'HS256', crit: ['exp'] })],
    ];
    for (const [name, pending] of cases) {
      const jwt = await pending;
      const ours = (await verifyAccessToken(jwt, secret)) !== undefined;
      // a key id or crit header is valid JOSE, but never what Radiata issues: refused here on purpose
      const expected = name.includes('header') ? false : await joseAccepts(jwt);
      expect({ name, accepted: ours }).toEqual({ name, accepted: expected });
    }
  });

  it('refuses malformed tokens without throwing', async () => {
    for (const bad of ['', 'a.b', 'a.b.c', '..', `${'x'.repeat(5000)}.a.b`, 'eyJhbGciOiJIUzI1NiJ9.W10.AAAA']) {
      expect(await verifyAccessToken(bad, secret)).toBeUndefined();
    }
  });
});

describe('gateway context', () => {
  it('round-trips a signed-in and an anonymous context', async () => {
    const signedIn = await signGatewayContext({ viewer, requestId: 'req-1' }, secret);
    expect(await verifyGatewayContext(signedIn, secret)).toEqual({ viewer, requestId: 'req-1' });
    const anonymous = await signGatewayContext({ viewer: null, requestId: 'req-2' }, secret);
    expect(await verifyGatewayContext(anonymous, secret)).toEqual({ viewer: null, requestId: 'req-2' });
  });

  it('refuses a missing or forged header, and an access token passed off as context', async () => {
    expect(await verifyGatewayContext(undefined, secret)).toBeUndefined();
    const forged = await signGatewayContext(
      { viewer: { ...viewer, role: 'ADMIN' }, requestId: 'r' },
      'an-attacker-secret-of-enough-length-000',
    );
    expect(await verifyGatewayContext(forged, secret)).toBeUndefined();
    const { token } = await issueAccessToken(viewer, { secret, ttlSeconds: 900, sessionId });
    expect(await verifyGatewayContext(token, secret)).toBeUndefined();
  });
});

describe('gateway context as a standard JWS', () => {
  const key = new TextEncoder().encode(secret);
  const claims = { rid: 'r', role: 'ADMIN', iss: 'radiata-gateway', aud: 'radiata-subgraphs' };

  it('is verifiable by jose, and accepts what jose signs the same way', async () => {
    const signed = await signGatewayContext({ viewer, requestId: 'req-9' }, secret);
    const { payload, protectedHeader } = await jwtVerify(signed, key, {
      algorithms: ['HS256'],
      issuer: 'radiata-gateway',
      audience: 'radiata-subgraphs',
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: viewer.id, role: viewer.role, rid: 'req-9' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);

    const byJose = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(viewer.id)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    expect(await verifyGatewayContext(byJose, secret)).toEqual({
      viewer: { id: viewer.id, role: 'ADMIN' },
      requestId: 'r',
    });
  });

  it('refuses other algorithms, other issuers or audiences, stale or future contexts, and tampering', async () => {
    const sign = (alg: 'HS256' | 'HS512', payload: Record<string, unknown>, exp = '60s') =>
      new SignJWT(payload)
        .setProtectedHeader({ alg, typ: 'JWT' })
        .setSubject(viewer.id)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(key);
    expect(await verifyGatewayContext(await sign('HS512', claims), secret)).toBeUndefined();
    const withKeyId = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'other' })
      .setSubject(viewer.id)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
    expect(await verifyGatewayContext(withKeyId, secret)).toBeUndefined();
    expect(
      await verifyGatewayContext(await sign('HS256', { ...claims, iss: 'radiata-users' }), secret),
    ).toBeUndefined();
    expect(await verifyGatewayContext(await sign('HS256', { ...claims, aud: 'radiata' }), secret)).toBeUndefined();
    expect(
      await verifyGatewayContext(new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('60s').encode(), secret),
    ).toBeUndefined();

    const old = await signGatewayContext({ viewer, requestId: 'r' }, secret, new Date(Date.now() - 70_000));
    expect(await verifyGatewayContext(old, secret)).toBeUndefined();
    const future = await signGatewayContext({ viewer, requestId: 'r' }, secret, new Date(Date.now() + 60_000));
    expect(await verifyGatewayContext(future, secret)).toBeUndefined();
    const slightlySkewed = await signGatewayContext({ viewer, requestId: 'r' }, secret, new Date(Date.now() + 3_000));
    expect(await verifyGatewayContext(slightlySkewed, secret)).toEqual({ viewer, requestId: 'r' });

    const [header, , signature] = (await signGatewayContext({ viewer, requestId: 'r' }, secret)).split('.');
    const elevated = Buffer.from(
      JSON.stringify({
        ...claims,
        sub: viewer.id,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url');
    expect(await verifyGatewayContext(`${header}.${elevated}.${signature}`, secret)).toBeUndefined();
    expect(await verifyGatewayContext('a.b', secret)).toBeUndefined();
    expect(await verifyGatewayContext('x'.repeat(5000), secret)).toBeUndefined();
  });
});
