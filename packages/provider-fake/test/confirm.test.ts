import { confirmOf, providerFakeForTests } from './support/toss-client.js';

/** A clock the tests set; starts at a fixed instant. */
const clock = { at: new Date('2026-03-02T01:00:00.000Z'), now: () => new Date(clock.at) };

const provider = providerFakeForTests(clock);
beforeEach(() => {
  clock.at = new Date('2026-03-02T01:00:00.000Z');
});

describe('checkouts (the widget)', () => {
  it('opens a checkout for an order and amount, valid 10 minutes', async () => {
    const reply = await provider.toss.openCheckout('order-0001', 15_000);

    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.body).toEqual({
      paymentKey: expect.stringMatching(/^tfake_[A-Za-z0-9_-]+$/),
      orderId: 'order-0001',
      orderName: 'order-0001',
      amount: 15_000,
      expiresAt: '2026-03-02T10:10:00+09:00',
    });
  });

  it('answers the browser preflight', async () => {
    const reply = await provider.toss.call('OPTIONS', '/v1/checkouts', { authorization: null });

    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-methods')).toContain('POST');
    expect(reply.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it.each([
    ['an orderId under 6 characters', { orderId: 'short', amount: 1000 }],
    ['an orderId with other characters', { orderId: 'order/0001', amount: 1000 }],
    ['an orderId over 64 characters', { orderId: 'o'.repeat(65), amount: 1000 }],
    ['an amount of 0', { orderId: 'order-0001', amount: 0 }],
    ['a negative amount', { orderId: 'order-0001', amount: -100 }],
    ['a fractional amount', { orderId: 'order-0001', amount: 100.5 }],
    ['an amount as a string', { orderId: 'order-0001', amount: '1000' }],
  ])('refuses %s with INVALID_REQUEST', async (_case, body) => {
    const reply = await provider.toss.call<{ code: string }>('POST', '/v1/checkouts', { body, authorization: null });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_REQUEST');
  });

  it('refuses a checkout for an order that already has an approved payment', async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);
    expect((await provider.toss.confirm(confirmOf(checkout))).status).toBe(200);

    const again = await provider.toss.openCheckout('order-0001', 15_000);

    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'DUPLICATED_ORDER_ID' });
  });
});

describe('confirm', () => {
  it('charges the checkout: a DONE payment, shown by both look-ups, one entry in the ledger', async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);
    clock.at = new Date('2026-03-02T01:03:00.000Z');

    const reply = await provider.toss.confirm(confirmOf(checkout));

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      paymentKey: checkout.paymentKey,
      orderId: 'order-0001',
      status: 'DONE',
      method: '카드',
      totalAmount: 15_000,
      balanceAmount: 15_000,
      suppliedAmount: 13_636,
      vat: 1_364,
      currency: 'KRW',
      requestedAt: '2026-03-02T10:00:00+09:00',
      approvedAt: '2026-03-02T10:03:00+09:00',
      cancels: null,
      failure: null,
      version: '2022-11-16',
    });
    expect(reply.body.lastTransactionKey).toMatch(/^[0-9A-F]{32}$/);
    expect((await provider.toss.payment(checkout.paymentKey)).text).toBe(reply.text);
    expect((await provider.toss.paymentOfOrder('order-0001')).text).toBe(reply.text);
    expect(provider.fake.ledger()).toEqual({
      entries: [
        {
          sequence: 1,
          kind: 'CONFIRM',
          paymentKey: checkout.paymentKey,
          orderId: 'order-0001',
          amount: 15_000,
          transactionKey: reply.body.lastTransactionKey,
          idempotencyKey: null,
          at: '2026-03-02T10:03:00+09:00',
        },
      ],
      payments: {
        [checkout.paymentKey]: {
          orderId: 'order-0001',
          confirms: 1,
          cancels: 0,
          chargedAmount: 15_000,
          canceledAmount: 0,
          balanceAmount: 15_000,
        },
      },
    });
  });

  it('refuses an unknown paymentKey with NOT_FOUND_PAYMENT_SESSION', async () => {
    const reply = await provider.toss.confirm({ paymentKey: 'tfake_unknown', orderId: 'order-0001', amount: 15_000 });

    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ code: 'NOT_FOUND_PAYMENT_SESSION', message: expect.any(String) });
    expect(provider.fake.ledger().entries).toEqual([]);
  });

  it("refuses another orderId than the checkout's with NOT_FOUND_PAYMENT_SESSION", async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);
    await provider.toss.checkout('order-0002', 15_000);

    const reply = await provider.toss.confirm({ ...confirmOf(checkout), orderId: 'order-0002' });

    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
    expect(provider.fake.ledger().entries).toEqual([]);
  });

  it("refuses another amount than the checkout's with INVALID_AMOUNT, and the checkout stays open", async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);

    const reply = await provider.toss.confirm({ ...confirmOf(checkout), amount: 1_000 });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_AMOUNT');
    expect((await provider.toss.payment(checkout.paymentKey)).body.status).toBe('IN_PROGRESS');
    expect((await provider.toss.confirm(confirmOf(checkout))).status).toBe(200);
  });

  it('refuses an expired checkout with NOT_FOUND_PAYMENT_SESSION, a millisecond before still confirms', async () => {
    const expiring = await provider.toss.checkout('order-0001', 15_000);
    const kept = await provider.toss.checkout('order-0002', 15_000);

    clock.at = new Date('2026-03-02T01:09:59.999Z');
    expect((await provider.toss.confirm(confirmOf(kept))).status).toBe(200);
    clock.at = new Date('2026-03-02T01:10:00.000Z');
    const reply = await provider.toss.confirm(confirmOf(expiring));

    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
    expect((await provider.toss.payment(expiring.paymentKey)).body.status).toBe('EXPIRED');
    expect(provider.fake.ledger().entries.map((entry) => entry.orderId)).toEqual(['order-0002']);
  });

  it('refuses a second confirm, without or under another Idempotency-Key, with ALREADY_PROCESSED_PAYMENT', async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);
    expect((await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'first' })).status).toBe(200);

    const withoutKey = await provider.toss.confirm(confirmOf(checkout));
    const otherKey = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'second' });

    for (const reply of [withoutKey, otherKey]) {
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('ALREADY_PROCESSED_PAYMENT');
    }
    expect(provider.fake.ledger().payments[checkout.paymentKey]?.confirms).toBe(1);
  });

  it('charges an order once even through two open checkouts', async () => {
    const first = await provider.toss.checkout('order-0001', 15_000);
    const second = await provider.toss.checkout('order-0001', 15_000);
    expect((await provider.toss.confirm(confirmOf(first))).status).toBe(200);

    const reply = await provider.toss.confirm(confirmOf(second));

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('ALREADY_PROCESSED_PAYMENT');
    expect((await provider.toss.paymentOfOrder('order-0001')).body.paymentKey).toBe(first.paymentKey);
    expect(provider.fake.ledger().entries).toHaveLength(1);
  });

  it.each([
    ['no paymentKey', { orderId: 'order-0001', amount: 15_000 }],
    ['no orderId', { paymentKey: 'tfake_x', amount: 15_000 }],
    ['no amount', { paymentKey: 'tfake_x', orderId: 'order-0001' }],
    ['a fractional amount', { paymentKey: 'tfake_x', orderId: 'order-0001', amount: 15_000.5 }],
    ['an amount of 0', { paymentKey: 'tfake_x', orderId: 'order-0001', amount: 0 }],
    ['an array', [1, 2]],
  ])('refuses a body with %s with INVALID_REQUEST', async (_case, body) => {
    const reply = await provider.toss.call<{ code: string }>('POST', '/v1/payments/confirm', { body });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_REQUEST');
  });
});

describe('look-ups', () => {
  it('show an open checkout IN_PROGRESS and an unknown payment as NOT_FOUND_PAYMENT', async () => {
    const checkout = await provider.toss.checkout('order-0001', 15_000);

    const open = await provider.toss.payment(checkout.paymentKey);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ status: 'IN_PROGRESS', approvedAt: null, totalAmount: 15_000, card: null });
    expect((await provider.toss.paymentOfOrder('order-0001')).body.paymentKey).toBe(checkout.paymentKey);

    for (const reply of [
      await provider.toss.payment('tfake_unknown'),
      await provider.toss.paymentOfOrder('order-9999'),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ code: 'NOT_FOUND_PAYMENT', message: expect.any(String) });
    }
  });
});
