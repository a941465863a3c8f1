import { type ProviderFake, startProviderFake } from '../src/index.js';
import { SECRET_KEY, TossClient } from './support/toss-client.js';

let fake: ProviderFake;
let toss: TossClient;

beforeAll(async () => {
  fake = await startProviderFake({ secretKey: SECRET_KEY });
  toss = new TossClient(fake.url);
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

it('cancels part, then the rest: PARTIAL_CANCELED then CANCELED, one cancels entry each', async () => {
  const { paymentKey } = await toss.paid('order-0001', 10_000);

  const partial = await toss.cancel(paymentKey, { cancelReason: 'one item returned', cancelAmount: 3_000 });
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

  const rest = await toss.cancel(paymentKey, { cancelReason: 'order cancelled' });
  expect(rest.status).toBe(200);
  expect(rest.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
  expect(rest.body.cancels?.map((cancel) => [cancel.cancelAmount, cancel.refundableAmount])).toEqual([
    [3_000, 7_000],
    [7_000, 0],
  ]);

  expect((await toss.payment(paymentKey)).text).toBe(rest.text);
  expect(fake.ledger().entries.map((entry) => [entry.kind, entry.amount])).toEqual([
    ['CONFIRM', 10_000],
    ['CANCEL', 3_000],
    ['CANCEL', 7_000],
  ]);
  expect(fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 2, canceledAmount: 10_000, balanceAmount: 0 });
});

it('cancels the whole payment at once without cancelAmount', async () => {
  const { paymentKey } = await toss.paid('order-0001', 10_000);

  const reply = await toss.cancel(paymentKey, { cancelReason: 'order cancelled' });

  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
  expect(reply.body.cancels).toHaveLength(1);
});

it('refuses to cancel more than is left with NOT_CANCELABLE_AMOUNT, and changes nothing', async () => {
  const { paymentKey } = await toss.paid('order-0001', 10_000);
  await toss.cancel(paymentKey, { cancelReason: 'one item returned', cancelAmount: 6_000 });

  const reply = await toss.cancel(paymentKey, { cancelReason: 'too much', cancelAmount: 4_001 });

  expect(reply.status).toBe(403);
  expect(reply.body).toEqual({ code: 'NOT_CANCELABLE_AMOUNT', message: expect.stringContaining('4000') });
  const after = await toss.payment(paymentKey);
  expect(after.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 4_000 });
  expect(after.body.cancels).toHaveLength(1);
  expect(fake.ledger().entries).toHaveLength(2);
});

it('refuses a cancel of a canceled payment with ALREADY_CANCELED_PAYMENT', async () => {
  const { paymentKey } = await toss.paid('order-0001', 10_000);
  await toss.cancel(paymentKey, { cancelReason: 'order cancelled' });

  const reply = await toss.cancel(paymentKey, { cancelReason: 'again' });

  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('ALREADY_CANCELED_PAYMENT');
  expect(fake.ledger().entries).toHaveLength(2);
});

it('refuses a cancel of an unknown payment with NOT_FOUND_PAYMENT', async () => {
  const reply = await toss.cancel('tfake_unknown', { cancelReason: 'none' });

  expect(reply.status).toBe(404);
  expect(reply.body.code).toBe('NOT_FOUND_PAYMENT');
});

it('refuses a cancel of a checkout never confirmed with NOT_CANCELABLE_PAYMENT', async () => {
  const { paymentKey } = await toss.checkout('order-0001', 10_000);

  const reply = await toss.cancel(paymentKey, { cancelReason: 'none' });

  expect(reply.status).toBe(403);
  expect(reply.body.code).toBe('NOT_CANCELABLE_PAYMENT');
  expect((await toss.payment(paymentKey)).body.status).toBe('IN_PROGRESS');
  expect(fake.ledger().entries).toEqual([]);
});

it.each([
  ['no cancelReason', { cancelAmount: 1_000 }],
  ['an empty cancelReason', { cancelReason: '' }],
  ['a cancelReason over 200 characters', { cancelReason: 'x'.repeat(201) }],
  ['a cancelAmount of 0', { cancelReason: 'r', cancelAmount: 0 }],
  ['a negative cancelAmount', { cancelReason: 'r', cancelAmount: -1 }],
  ['a fractional cancelAmount', { cancelReason: 'r', cancelAmount: 0.5 }],
])('refuses a body with %s with INVALID_REQUEST, and changes nothing', async (_case, body) => {
  const { paymentKey } = await toss.paid('order-0001', 10_000);

  const reply = await toss.call<{ code: string }>('POST', `/v1/payments/${paymentKey}/cancel`, { body });

  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('INVALID_REQUEST');
  expect((await toss.payment(paymentKey)).body).toMatchObject({ status: 'DONE', balanceAmount: 10_000 });
});
