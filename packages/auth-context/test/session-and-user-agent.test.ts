import { createHmac } from 'node:crypto';
import { contextUserAgent, MAX_USER_AGENT_LENGTH, signGatewayContext, verifyGatewayContext } from '../src/index.js';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const viewer = { id: '0193b6b0-0000-7000-8000-000000000001', role: 'CUSTOMER' } as const;
const sessionId = '0193b6b0-0000-7000-8000-0000000000aa';

/** The context's claims changed and signed again with the secret (what only the gateway can do). */
async function resigned(changes: Record<string, unknown>): Promise<string> {
  const signed = await signGatewayContext({ viewer, requestId: 'r', sessionId }, secret);
  const [header, payload] = signed.split('.');
  const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
  const body = Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url');
  return `${header}.${body}.${createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url')}`;
}

describe("the viewer's session and User-Agent in the signed gateway context", () => {
  it('carries the session id of a signed-in viewer and the User-Agent, and neither when absent', async () => {
    const signed = await signGatewayContext(
      { viewer, requestId: 'r', sessionId, userAgent: 'Mozilla/5.0 (Radiata test)' },
      secret,
    );
    expect(await verifyGatewayContext(signed, secret)).toEqual({
      viewer,
      requestId: 'r',
      sessionId,
      userAgent: 'Mozilla/5.0 (Radiata test)',
    });
    // Contexts without them read exactly as before (older gateways, subscriptions, schema loads).
    expect(await verifyGatewayContext(await signGatewayContext({ viewer, requestId: 'r' }, secret), secret)).toEqual({
      viewer,
      requestId: 'r',
    });
  });

  it('signs no session for an anonymous request, and refuses one that claims it', async () => {
    const anonymous = await signGatewayContext({ viewer: null, requestId: 'r', sessionId }, secret);
    expect(await verifyGatewayContext(anonymous, secret)).toEqual({ viewer: null, requestId: 'r' });
    expect(await verifyGatewayContext(await resigned({ sub: undefined, role: undefined }), secret)).toBeUndefined();
  });

  it('cuts a long User-Agent and drops control characters before signing', async () => {
    const long = `Agent/1.0 ${'x'.repeat(1000)}`;
    const signed = await signGatewayContext({ viewer: null, requestId: 'r', userAgent: long }, secret);
    const context = await verifyGatewayContext(signed, secret);
    expect(context?.userAgent).toBe(long.slice(0, MAX_USER_AGENT_LENGTH));
    expect(contextUserAgent('a\u0000b\tc\u007f ')).toBe('abc');
    expect(contextUserAgent('  ')).toBeNull();
    expect(contextUserAgent(undefined)).toBeNull();
    expect(contextUserAgent(['first', 'second'])).toBe('first');
    expect(contextUserAgent(`${'x'.repeat(MAX_USER_AGENT_LENGTH - 1)}\u{1F600}`)).toHaveLength(
      MAX_USER_AGENT_LENGTH - 1,
    );
  });

  it('refuses malformed claims even when correctly signed', async () => {
    expect(await verifyGatewayContext(await resigned({ ua: 'x'.repeat(MAX_USER_AGENT_LENGTH + 1) }), secret)).toBe(
      undefined,
    );
    expect(await verifyGatewayContext(await resigned({ ua: 42 }), secret)).toBeUndefined();
    expect(await verifyGatewayContext(await resigned({ sid: '' }), secret)).toBeUndefined();
    expect(await verifyGatewayContext(await resigned({ sid: 'x'.repeat(65) }), secret)).toBeUndefined();
    expect(await verifyGatewayContext(await resigned({ sid: sessionId }), secret)).toMatchObject({ sessionId });
  });
});
