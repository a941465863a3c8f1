import { MAX_BODY_BYTES, startProviderFake } from '../src/index.js';
import { basicAuth, confirmOf, providerFakeForTests, SECRET_KEY, TossClient } from './support/toss-client.js';

const provider = providerFakeForTests();

describe('secret key', () => {
  const WRONG_SECRET = 'test_sk_somebody_elses_key';

  it.each([
    ['no Authorization header', null],
    ['another secret key', basicAuth(WRONG_SECRET)],
    ['the secret key without its colon', `Basic ${Buffer.from(SECRET_KEY).toString('base64')}`],
    ['a Bearer token', `Bearer ${SECRET_KEY}`],
    ['Basic with nothing after it', 'Basic '],
  ])(
    'refuses %s with 401 UNAUTHORIZED_KEY on every server endpoint, and echoes nothing',
    async (_case, authorization) => {
      const checkout = await provider.toss.checkout('order-0001', 10_000);

      const replies = [
        await provider.toss.confirm(confirmOf(checkout), { authorization }),
        await provider.toss.cancel(checkout.paymentKey, { cancelReason: 'r' }, { authorization }),
        await provider.toss.call('GET', `/v1/payments/${checkout.paymentKey}`, { authorization }),
        await provider.toss.call('GET', '/v1/payments/orders/order-0001', { authorization }),
      ];

      for (const reply of replies) {
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({ code: 'UNAUTHORIZED_KEY', message: expect.any(String) });
        expect(reply.text).not.toContain(WRONG_SECRET);
        expect(reply.text).not.toContain(SECRET_KEY);
      }
      expect((await provider.toss.payment(checkout.paymentKey)).body.status).toBe('IN_PROGRESS');
    },
  );

  it('takes the scheme name in any case and a password after the colon (Toss sends none)', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    const credentials = Buffer.from(`${SECRET_KEY}:ignored`).toString('base64');

    const reply = await provider.toss.confirm(confirmOf(checkout), { authorization: `basic ${credentials}` });

    expect(reply.status).toBe(200);
  });

  it('is refused at start when empty or with a colon, without showing it', async () => {
    await expect(startProviderFake({ secretKey: '' })).rejects.toThrow('secretKey must be a non-empty string');
    await expect(startProviderFake({ secretKey: 'test_sk_a:b' })).rejects.toThrow(
      /^provider fake: secretKey must be a non-empty string without ":"$/,
    );
  });
});

describe('request bodies', () => {
  it('refuses malformed JSON and an empty body with INVALID_REQUEST', async () => {
    for (const rawBody of ['{"paymentKey": ', '']) {
      const reply = await provider.toss.call<{ code: string }>('POST', '/v1/payments/confirm', { rawBody });

      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('INVALID_REQUEST');
    }
  });

  it('refuses a body over 64 KiB with 413, and keeps serving', async () => {
    const rawBody = JSON.stringify({
      paymentKey: 'x',
      orderId: 'order-0001',
      amount: 1,
      pad: 'p'.repeat(MAX_BODY_BYTES),
    });

    const reply = await provider.toss.call<{ code: string }>('POST', '/v1/payments/confirm', { rawBody });

    expect(reply.status).toBe(413);
    expect(reply.body.code).toBe('INVALID_REQUEST');
    expect((await provider.toss.openCheckout('order-0001', 10_000)).status).toBe(200);
  });

  it('refuses a streamed body (no Content-Length) once it passes 64 KiB', async () => {
    const chunk = new TextEncoder().encode('p'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 8) controller.close();
        else controller.enqueue(chunk);
        sent += 1;
      },
    });

    const response = await fetch(`${provider.fake.url}/v1/payments/confirm`, {
      method: 'POST',
      headers: { authorization: basicAuth(SECRET_KEY), 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    const body = JSON.stringify({ ...confirmOf(checkout), pad: '' });
    const rawBody = JSON.stringify({ ...confirmOf(checkout), pad: 'p'.repeat(MAX_BODY_BYTES - body.length) });
    expect(Buffer.byteLength(rawBody)).toBe(MAX_BODY_BYTES);

    const reply = await provider.toss.call<{ status: string }>('POST', '/v1/payments/confirm', { rawBody });

    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('DONE');
  });
});

describe('routes', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/v1/nothing'],
    ['DELETE', '/v1/payments/tfake_x'],
    ['GET', '/v1/payments/tfake_x/cancel'],
    ['POST', '/v1/payments/tfake_x'],
    ['GET', '/v1/checkouts'],
    ['POST', '/__fake/ledger'],
    ['GET', '/v1/payments//cancel'],
  ])('answers %s %s with 404 NOT_FOUND as JSON', async (method, path) => {
    const reply = await provider.toss.call(method, path);

    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('answers /healthz', async () => {
    const reply = await provider.toss.call('GET', '/healthz', { authorization: null });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });

  it('reads path parameters URL-decoded', async () => {
    const checkout = await provider.toss.checkout('order_-0001', 10_000);

    const reply = await provider.toss.call<{ paymentKey: string }>('GET', '/v1/payments/orders/order%5F-0001');

    expect(reply.status).toBe(200);
    expect(reply.body.paymentKey).toBe(checkout.paymentKey);
  });
});

describe('lifecycle', () => {
  it('forgets everything when restarted on the same port', async () => {
    const first = await startProviderFake({ secretKey: SECRET_KEY });
    const client = new TossClient(first.url);
    const checkout = await client.checkout('order-0001', 10_000);
    expect((await client.confirm(confirmOf(checkout))).status).toBe(200);

    await first.stop();
    const second = await startProviderFake({ secretKey: SECRET_KEY, port: first.port });
    try {
      expect(second.url).toBe(first.url);
      expect((await client.payment(checkout.paymentKey)).body.code).toBe('NOT_FOUND_PAYMENT');
      expect((await client.confirm(confirmOf(checkout))).body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
      expect(second.ledger().entries).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('takes the checkout lifetime as an option', async () => {
    const clock = { at: new Date('2026-03-02T01:00:00.000Z'), now: () => new Date(clock.at) };
    const short = await startProviderFake({ secretKey: SECRET_KEY, checkoutTtlMs: 30_000, clock });
    const client = new TossClient(short.url);
    try {
      const checkout = short.openCheckout({ orderId: 'order-0001', amount: 10_000 });
      expect(checkout.expiresAt).toBe('2026-03-02T10:00:30+09:00');

      clock.at = new Date('2026-03-02T01:00:30.000Z');
      expect((await client.confirm(confirmOf(checkout))).body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
    } finally {
      await short.stop();
    }
  });

  it('refuses a checkout lifetime that is not a positive whole number', async () => {
    await expect(startProviderFake({ secretKey: SECRET_KEY, checkoutTtlMs: 0 })).rejects.toThrow('checkoutTtlMs');
  });

  it('stops once, however often stop() is called', async () => {
    const another = await startProviderFake({ secretKey: SECRET_KEY });

    await Promise.all([another.stop(), another.stop()]);
    await another.stop();

    await expect(fetch(`${another.url}/healthz`)).rejects.toThrow('fetch failed');
  });
});
