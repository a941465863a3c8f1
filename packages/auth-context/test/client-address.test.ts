import { createHmac } from 'node:crypto';
import { signGatewayContext, verifyGatewayContext } from '../src/index.js';

const secret = 'a-test-secret-that-is-long-enough-0123456789';

describe('the client address in the signed gateway context', () => {
  it('carries the address the gateway established, and none when it has none', async () => {
    const signed = await signGatewayContext({ viewer: null, requestId: 'r', clientAddress: '203.0.113.7' }, secret);
    expect(await verifyGatewayContext(signed, secret)).toEqual({
      viewer: null,
      requestId: 'r',
      clientAddress: '203.0.113.7',
    });
    const without = await verifyGatewayContext(
      await signGatewayContext({ viewer: null, requestId: 'r' }, secret),
      secret,
    );
    expect(without?.clientAddress).toBeUndefined();
  });

  it('cannot be changed without the secret, and refuses a malformed one', async () => {
    const signed = await signGatewayContext({ viewer: null, requestId: 'r', clientAddress: '203.0.113.7' }, secret);
    const [header, payload] = signed.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as Record<string, unknown>;
    const resign = (changed: Record<string, unknown>) => {
      const body = Buffer.from(JSON.stringify(changed)).toString('base64url');
      const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
      return { unsigned: `${header}.${body}.${signed.split('.')[2]}`, resigned: `${header}.${body}.${signature}` };
    };
    expect(await verifyGatewayContext(resign({ ...claims, ip: '198.51.100.1' }).unsigned, secret)).toBeUndefined();
    expect(await verifyGatewayContext(resign({ ...claims, ip: 42 }).resigned, secret)).toBeUndefined();
    expect(await verifyGatewayContext(resign({ ...claims, ip: 'x'.repeat(65) }).resigned, secret)).toBeUndefined();
  });
});
