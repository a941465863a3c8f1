import { SignJWT, UnsecuredJWT } from 'jose';
import { issueAccessToken, signGatewayContext, verifyAccessToken, verifyGatewayContext } from '../src/index.js';

const secret = 'test-secret-that-is-long-enough-0123456789';
const viewer = { id: '0192f3a0-0000-7000-8000-000000000001', role: 'SELLER' as const };

describe('access tokens', () => {
  it('round-trips the viewer', async () => {
    const { token, expiresAt } = await issueAccessToken(viewer, { secret, ttlSeconds: 900 });
    expect(await verifyAccessToken(token, secret)).toEqual(viewer);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 890_000);
  });

  it('refuses expired, tampered, wrongly keyed and wrong-algorithm tokens', async () => {
    const expired = await issueAccessToken(viewer, { secret, ttlSeconds: 60, now: new Date(Date.now() - 3600_000) });
    expect(await verifyAccessToken(expired.token, secret)).toBeUndefined();

    const { token } = await issueAccessToken(viewer, { secret, ttlSeconds: 900 });
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' }),
    ).toString('base64url');
    expect(await verifyAccessToken(`${header}.${forgedPayload}.${signature}`, secret)).toBeUndefined();
    expect(await verifyAccessToken(token, `${secret}-other`)).toBeUndefined();

    const none = new UnsecuredJWT({ role: 'ADMIN' })
      .setSubject(viewer.id)
      .setIssuer('radiata-users')
      .setAudience('radiata')
      .setIssuedAt()
      .setExpirationTime('5m')
      .encode();
    expect(await verifyAccessToken(none, secret)).toBeUndefined();

    const hs512 = await new SignJWT({ role: 'ADMIN' })
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
    const { token } = await issueAccessToken(viewer, { secret, ttlSeconds: 900 });
    expect(await verifyGatewayContext(token, secret)).toBeUndefined();
  });
});
