import { confirmOf, providerFakeForTests } from './support/toss-client.js';

const START = new Date('2026-03-02T01:00:00.000Z');
const clock = { at: START, now: () => new Date(clock.at) };
const DAY_MS = 24 * 60 * 60 * 1000;

const provider = providerFakeForTests(clock);
beforeEach(() => {
  clock.at = START;
});

it('answers a repeated confirm with the first answer, byte for byte, and charges once', async () => {
  const checkout = await provider.toss.checkout('order-0001', 15_000);

  const first = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'confirm-order-0001' });
  clock.at = new Date(START.getTime() + 60_000);
  const second = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'confirm-order-0001' });

  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  expect(second.text).toBe(first.text);
  expect(provider.fake.ledger().entries).toEqual([
    expect.objectContaining({ kind: 'CONFIRM', paymentKey: checkout.paymentKey, idempotencyKey: 'confirm-order-0001' }),
  ]);
});

it('answers a repeat with the first answer even when it was an error', async () => {
  const checkout = await provider.toss.checkout('order-0001', 15_000);
  const refused = await provider.toss.confirm({ ...confirmOf(checkout), amount: 1 }, { idempotencyKey: 'k' });
  expect(refused.status).toBe(400);

  const repeated = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });
  const underNewKey = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k2' });

  expect(repeated.status).toBe(400);
  expect(repeated.text).toBe(refused.text);
  expect(underNewKey.status).toBe(200);
  expect(provider.fake.ledger().entries).toHaveLength(1);
});

it('answers a repeated partial cancel with the first answer and cancels once', async () => {
  const checkout = await provider.toss.checkout('order-0001', 10_000);
  await provider.toss.confirm(confirmOf(checkout));

  const first = await provider.toss.cancel(
    checkout.paymentKey,
    { cancelReason: 'r', cancelAmount: 2_500 },
    { idempotencyKey: 'c1' },
  );
  const second = await provider.toss.cancel(
    checkout.paymentKey,
    { cancelReason: 'r', cancelAmount: 2_500 },
    { idempotencyKey: 'c1' },
  );

  expect(first.status).toBe(200);
  expect(second.text).toBe(first.text);
  expect((await provider.toss.payment(checkout.paymentKey)).body).toMatchObject({ balanceAmount: 7_500 });
  expect(provider.fake.ledger().payments[checkout.paymentKey]).toMatchObject({ cancels: 1, canceledAmount: 2_500 });
});

it('keeps keys apart per endpoint: confirm, and the cancel of each paymentKey', async () => {
  const a = await provider.toss.checkout('order-000a', 10_000);
  const b = await provider.toss.checkout('order-000b', 10_000);

  expect((await provider.toss.confirm(confirmOf(a), { idempotencyKey: 'same' })).body.paymentKey).toBe(a.paymentKey);
  expect((await provider.toss.confirm(confirmOf(b), { idempotencyKey: 'other' })).body.paymentKey).toBe(b.paymentKey);
  const cancelA = await provider.toss.cancel(
    a.paymentKey,
    { cancelReason: 'r', cancelAmount: 1_000 },
    { idempotencyKey: 'same' },
  );
  const cancelB = await provider.toss.cancel(
    b.paymentKey,
    { cancelReason: 'r', cancelAmount: 1_000 },
    { idempotencyKey: 'same' },
  );

  expect([cancelA.status, cancelB.status]).toEqual([200, 200]);
  expect(cancelA.body.paymentKey).toBe(a.paymentKey);
  expect(cancelB.body.paymentKey).toBe(b.paymentKey);
  expect(provider.fake.ledger().entries.map((entry) => entry.kind)).toEqual(['CONFIRM', 'CONFIRM', 'CANCEL', 'CANCEL']);
});

it('accepts a key of 300 characters and refuses one of 301 with INVALID_REQUEST, doing nothing', async () => {
  const refused = await provider.toss.checkout('order-0001', 10_000);
  const accepted = await provider.toss.checkout('order-0002', 10_000);

  const tooLong = await provider.toss.confirm(confirmOf(refused), { idempotencyKey: 'k'.repeat(301) });
  const longest = await provider.toss.confirm(confirmOf(accepted), { idempotencyKey: 'k'.repeat(300) });

  expect(tooLong.status).toBe(400);
  expect(tooLong.body.code).toBe('INVALID_REQUEST');
  expect((await provider.toss.payment(refused.paymentKey)).body.status).toBe('IN_PROGRESS');
  expect(longest.status).toBe(200);
});

it('forgets a key after 15 days, as Toss does', async () => {
  const checkout = await provider.toss.checkout('order-0001', 10_000);
  const first = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });

  clock.at = new Date(START.getTime() + 15 * DAY_MS - 1);
  expect((await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' })).text).toBe(first.text);
  clock.at = new Date(START.getTime() + 15 * DAY_MS);
  const afterwards = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });

  expect(afterwards.status).toBe(400);
  expect(afterwards.body.code).toBe('ALREADY_PROCESSED_PAYMENT');
  expect(provider.fake.ledger().entries).toHaveLength(1);
});
