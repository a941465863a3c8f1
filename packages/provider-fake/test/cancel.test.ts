import { providerFakeForTests } from './support/toss-client.js';

const provider = providerFakeForTests();

it('cancels part, then the rest: PARTIAL_CANCELED then CANCELED, one cancels entry each', async () => {
  const { paymentKey } = await provider.toss.paid('order-0001', 10_000);

  const partial = await provider.toss.cancel(paymentKey, { cancelReason: 'one item returned', cancelAmount: 3_000 });
  expect(partial.status).toBe(200);
  expect(partial.body).toMatchObject({ status: 'PARTIAL_CANCELED', totalAmount: 10_000, balanceAmount: 7_000 });
  expect(partial.body.cancels).toEqual([
    expect.objectContaining({
      cancelAmount: 3_000,
      cancelReason: 'one item returned',
      refundableAmount: 7_000,
      cancelStatus: 'DONE',
      transactionKey: partial.body.lastTransactionKey,
    }),
  ]);

  const rest = await provider.toss.cancel(paymentKey, { cancelReason: 'order cancelled' });
  expect(rest.status).toBe(200);
  expect(rest.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
  expect(rest.body.cancels?.map((cancel) => [cancel.cancelAmount, cancel.refundableAmount])).toEqual([
    [3_000, 7_000],
    [7_000, 0],
  ]);

  expect((await provider.toss.payment(paymentKey)).text).toBe(rest.text);
  expect(provider.fake.ledger().entries.map((entry) => [entry.kind, entry.amount])).toEqual([
    ['CONFIRM', 10_000],
    ['CANCEL', 3_000],
    ['CANCEL', 7_000],
  ]);
  expect(provider.fake.ledger().payments[paymentKey]).toMatchObject({
    cancels: 2,
    canceledAmount: 10_000,
    balanceAmount: 0,
  });
});

it('cancels the whole payment at once without cancelAmount', async () => {
  const { paymentKey } = await provider.toss.paid('order-0001', 10_000);

  const reply = await provider.toss.cancel(paymentKey, { cancelReason: 'order cancelled' });

  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
  expect(reply.body.cancels).toHaveLength(1);
});

it('refuses to cancel more than is left with NOT_CANCELABLE_AMOUNT, and changes nothing', async () => {
  const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
  await provider.toss.cancel(paymentKey, { cancelReason: 'one item returned', cancelAmount: 6_000 });

  const reply = await provider.toss.cancel(paymentKey, { cancelReason: 'too much', cancelAmount: 4_001 });

  expect(reply.status).toBe(403);
  expect(reply.body).toEqual({ code: 'NOT_CANCELABLE_AMOUNT', message: expect.stringContaining('4000') });
  const after = await provider.toss.payment(paymentKey);
  expect(after.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 4_000 });
  expect(after.body.cancels).toHaveLength(1);
  expect(provider.fake.ledger().entries).toHaveLength(2);
});

it('refuses a cancel of a canceled payment with ALREADY_CANCELED_PAYMENT', async () => {
  const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
  await provider.toss.cancel(paymentKey, { cancelReason: 'order cancelled' });

  const reply = await provider.toss.cancel(paymentKey, { cancelReason: 'again' });

  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('ALREADY_CANCELED_PAYMENT');
  expect(provider.fake.ledger().entries).toHaveLength(2);
});

it('refuses a cancel of an unknown payment with NOT_FOUND_PAYMENT', async () => {
  const reply = await provider.toss.cancel('tfake_unknown', { cancelReason: 'none' });

  expect(reply.status).toBe(404);
  expect(reply.body.code).toBe('NOT_FOUND_PAYMENT');
});

it('refuses a cancel of a checkout never confirmed with NOT_CANCELABLE_PAYMENT', async () => {
  const { paymentKey } = await provider.toss.checkout('order-0001', 10_000);

  const reply = await provider.toss.cancel(paymentKey, { cancelReason: 'none' });

  expect(reply.status).toBe(403);
  expect(reply.body.code).toBe('NOT_CANCELABLE_PAYMENT');
  expect((await provider.toss.payment(paymentKey)).body.status).toBe('IN_PROGRESS');
  expect(provider.fake.ledger().entries).toEqual([]);
});

it.each([
  ['no cancelReason', { cancelAmount: 1_000 }],
  ['an empty cancelReason', { cancelReason: '' }],
  ['a cancelReason over 200 characters', { cancelReason: 'x'.repeat(201) }],
  ['a cancelAmount of 0', { cancelReason: 'r', cancelAmount: 0 }],
  ['a negative cancelAmount', { cancelReason: 'r', cancelAmount: -1 }],
  ['a fractional cancelAmount', { cancelReason: 'r', cancelAmount: 0.5 }],
])('refuses a body with %s with INVALID_REQUEST, and changes nothing', async (_case, body) => {
  const { paymentKey } = await provider.toss.paid('order-0001', 10_000);

  const reply = await provider.toss.call<{ code: string }>('POST', `/v1/payments/${paymentKey}/cancel`, { body });

  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('INVALID_REQUEST');
  expect((await provider.toss.payment(paymentKey)).body).toMatchObject({ status: 'DONE', balanceAmount: 10_000 });
});
