import { startProviderFake } from '../src/index.js';
import {
  confirmOf,
  eventually,
  failureOf,
  providerFakeForTests,
  SECRET_KEY,
  TossClient,
} from './support/toss-client.js';

const provider = providerFakeForTests();

describe('latency', () => {
  it('delays every /v1 answer, and never the control endpoints', async () => {
    provider.fake.setSwitches({ latencyMs: 300 });
    const checkout = await provider.toss.checkout('order-0001', 10_000);

    const started = performance.now();
    const reply = await provider.toss.confirm(confirmOf(checkout));
    const elapsed = performance.now() - started;

    expect(reply.status).toBe(200);
    // A lower bound only (a busy machine makes it longer); libuv counts whole milliseconds.
    expect(elapsed).toBeGreaterThanOrEqual(299);

    provider.fake.setSwitches({ latencyMs: 60_000 });
    const control = await provider.toss.call<{ latencyMs: number }>('GET', '/__fake/switches');
    expect(control.body.latencyMs).toBe(60_000);
    const off = await provider.toss.call<{ latencyMs: number }>('POST', '/__fake/switches', { body: { latencyMs: 0 } });
    expect(off.body.latencyMs).toBe(0);
  });
});

describe('5xx', () => {
  it('answers the next confirms 500 without charging; the same Idempotency-Key then charges once', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ failNextConfirms: 2 });

    const failures = [
      await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' }),
      await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' }),
    ];
    expect(provider.fake.switches().failNextConfirms).toBe(0);
    expect((await provider.toss.payment(checkout.paymentKey)).body.status).toBe('IN_PROGRESS');
    const success = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });

    for (const failure of failures) {
      expect(failure.status).toBe(500);
      expect(failure.body).toEqual({ code: 'FAILED_INTERNAL_SYSTEM_PROCESSING', message: expect.any(String) });
    }
    expect(success.status).toBe(200);
    expect(success.body.status).toBe('DONE');
    expect(provider.fake.ledger().payments[checkout.paymentKey]?.confirms).toBe(1);
  });

  it('answers the next cancels 500 without cancelling; the same Idempotency-Key then cancels once', async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    provider.fake.setSwitches({ failNextCancels: 1 });

    const failure = await provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 4_000 },
      { idempotencyKey: 'c' },
    );
    expect((await provider.toss.payment(paymentKey)).body.balanceAmount).toBe(10_000);
    const success = await provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 4_000 },
      { idempotencyKey: 'c' },
    );
    const repeat = await provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 4_000 },
      { idempotencyKey: 'c' },
    );

    expect(failure.status).toBe(500);
    expect(failure.body.code).toBe('FAILED_INTERNAL_SYSTEM_PROCESSING');
    expect(success.status).toBe(200);
    expect(repeat.text).toBe(success.text);
    expect(provider.fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, balanceAmount: 6_000 });
  });
});

describe('hold', () => {
  it("never answers the next confirm: the client's timeout fires, nothing is charged, a retry charges", async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ holdNextConfirms: 1 });

    const held = await failureOf(
      provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k', signal: AbortSignal.timeout(200) }),
    );

    expect(held.name).toBe('TimeoutError');
    expect((await provider.toss.payment(checkout.paymentKey)).body.status).toBe('IN_PROGRESS');
    expect(provider.fake.ledger().entries).toEqual([]);
    const retry = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });
    expect(retry.status).toBe(200);
    expect(provider.fake.ledger().entries).toHaveLength(1);
  });

  it("never answers the next cancel: the client's timeout fires, nothing is cancelled", async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    provider.fake.setSwitches({ holdNextCancels: 1 });

    const held = await failureOf(
      provider.toss.cancel(
        paymentKey,
        { cancelReason: 'r' },
        { idempotencyKey: 'c', signal: AbortSignal.timeout(200) },
      ),
    );

    expect(held.name).toBe('TimeoutError');
    expect((await provider.toss.payment(paymentKey)).body).toMatchObject({ status: 'DONE', balanceAmount: 10_000 });
    expect((await provider.toss.cancel(paymentKey, { cancelReason: 'r' }, { idempotencyKey: 'c' })).body.status).toBe(
      'CANCELED',
    );
    expect(provider.fake.ledger().payments[paymentKey]?.cancels).toBe(1);
  });

  it('does not keep stop() waiting for a held request; its client sees the connection close', async () => {
    const another = await startProviderFake({ secretKey: SECRET_KEY });
    const client = new TossClient(another.url);
    const checkout = await client.checkout('order-0001', 10_000);
    another.setSwitches({ holdNextConfirms: 1 });

    const held = failureOf(client.confirm(confirmOf(checkout)));
    await eventually(() => another.switches().holdNextConfirms === 0);
    await another.stop();

    expect(await held).toEqual({ name: 'TypeError', causeCode: 'UND_ERR_SOCKET' });
  });
});

describe('decline', () => {
  it('declines the next confirm with REJECT_CARD_PAYMENT: ABORTED, not charged, a new checkout pays', async () => {
    const declined = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ declineNextConfirms: 1 });

    const reply = await provider.toss.confirm(confirmOf(declined));

    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ code: 'REJECT_CARD_PAYMENT', message: expect.any(String) });
    expect((await provider.toss.payment(declined.paymentKey)).body).toMatchObject({
      status: 'ABORTED',
      approvedAt: null,
      failure: { code: 'REJECT_CARD_PAYMENT', message: expect.any(String) },
    });
    expect((await provider.toss.confirm(confirmOf(declined))).body.code).toBe('NOT_FOUND_PAYMENT_SESSION');
    expect(provider.fake.ledger().entries).toEqual([]);

    const retried = await provider.toss.checkout('order-0001', 10_000);
    expect((await provider.toss.confirm(confirmOf(retried))).status).toBe(200);
    expect((await provider.toss.paymentOfOrder('order-0001')).body.paymentKey).toBe(retried.paymentKey);
  });

  it('is used up only by a confirm that would have succeeded', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ declineNextConfirms: 1 });

    expect((await provider.toss.confirm({ ...confirmOf(checkout), amount: 5 })).body.code).toBe('INVALID_AMOUNT');

    expect(provider.fake.switches().declineNextConfirms).toBe(1);
  });
});

describe('lost answer', () => {
  it('confirms, then drops the connection: the client sees a socket error, a look-up shows DONE', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ loseNextConfirmAnswers: 1 });

    const lost = await failureOf(provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' }));

    expect(lost).toEqual({ name: 'TypeError', causeCode: 'UND_ERR_SOCKET' });
    expect((await provider.toss.payment(checkout.paymentKey)).body).toMatchObject({
      status: 'DONE',
      balanceAmount: 10_000,
    });
    const retry = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });
    expect(retry.status).toBe(200);
    expect(retry.body.paymentKey).toBe(checkout.paymentKey);
    expect((await provider.toss.confirm(confirmOf(checkout))).body.code).toBe('ALREADY_PROCESSED_PAYMENT');
    expect(provider.fake.ledger().payments[checkout.paymentKey]?.confirms).toBe(1);
  });

  it('cancels, then drops the connection: the retry under the same key cancels nothing more', async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    provider.fake.setSwitches({ loseNextCancelAnswers: 1 });

    const lost = await failureOf(
      provider.toss.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 3_000 }, { idempotencyKey: 'c' }),
    );

    expect(lost).toEqual({ name: 'TypeError', causeCode: 'UND_ERR_SOCKET' });
    expect((await provider.toss.payment(paymentKey)).body.balanceAmount).toBe(7_000);
    const retry = await provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 3_000 },
      { idempotencyKey: 'c' },
    );
    expect(retry.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 7_000 });
    expect(provider.fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, canceledAmount: 3_000 });
  });
});

describe('held answer', () => {
  /** What became of `request` after `ms` more milliseconds: answered, failed, or still waiting. */
  const stateAfter = (request: Promise<unknown>, ms: number) =>
    Promise.race([
      request.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), ms)),
    ]);

  it('confirms and remembers the key, then never answers; a retry with that key replays DONE', async () => {
    const checkout = await provider.toss.checkout('order-0001', 10_000);
    provider.fake.setSwitches({ holdNextConfirmAnswers: 1 });
    const client = new AbortController();

    const held = provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k', signal: client.signal });
    await eventually(() => provider.fake.ledger().entries.length === 1);
    // The charge is applied: a client timeout from now on passes without an answer.
    const state = await stateAfter(held, 200);
    client.abort();

    expect(state).toBe('no answer');
    expect(await failureOf(held)).toEqual({ name: 'AbortError', causeCode: undefined });
    expect(provider.fake.switches().holdNextConfirmAnswers).toBe(0);
    expect(provider.fake.ledger().entries).toMatchObject([
      { kind: 'CONFIRM', paymentKey: checkout.paymentKey, amount: 10_000, idempotencyKey: 'k' },
    ]);
    expect((await provider.toss.payment(checkout.paymentKey)).body.status).toBe('DONE');
    const retry = await provider.toss.confirm(confirmOf(checkout), { idempotencyKey: 'k' });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ paymentKey: checkout.paymentKey, status: 'DONE', balanceAmount: 10_000 });
    expect(provider.fake.ledger().payments[checkout.paymentKey]?.confirms).toBe(1);
  });

  it('cancels and remembers the key, then never answers; a retry with that key cancels nothing more', async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    provider.fake.setSwitches({ holdNextCancelAnswers: 1 });
    const client = new AbortController();

    const held = provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 3_000 },
      { idempotencyKey: 'c', signal: client.signal },
    );
    await eventually(() => provider.fake.ledger().entries.length === 2);
    const state = await stateAfter(held, 200);
    client.abort();

    expect(state).toBe('no answer');
    expect(await failureOf(held)).toEqual({ name: 'AbortError', causeCode: undefined });
    expect(provider.fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, balanceAmount: 7_000 });
    const retry = await provider.toss.cancel(
      paymentKey,
      { cancelReason: 'r', cancelAmount: 3_000 },
      { idempotencyKey: 'c' },
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 7_000 });
    expect(provider.fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, canceledAmount: 3_000 });
  });

  it('does not keep stop() waiting for a held answer; its client sees the connection close', async () => {
    const another = await startProviderFake({ secretKey: SECRET_KEY });
    const client = new TossClient(another.url);
    const checkout = await client.checkout('order-0001', 10_000);
    another.setSwitches({ holdNextConfirmAnswers: 1 });

    const held = failureOf(client.confirm(confirmOf(checkout), { idempotencyKey: 'k' }));
    await eventually(() => another.ledger().entries.length === 1);
    await another.stop();

    expect(await held).toEqual({ name: 'TypeError', causeCode: 'UND_ERR_SOCKET' });
  });
});

describe('control endpoint', () => {
  it('sets the given switches over HTTP, leaves the others, and answers them all', async () => {
    provider.fake.setSwitches({ holdNextCancels: 3 });

    const reply = await provider.toss.call('POST', '/__fake/switches', {
      body: { failNextConfirms: 1, loseNextCancelAnswers: 2 },
      authorization: null,
    });

    const expected = {
      latencyMs: 0,
      failNextConfirms: 1,
      failNextCancels: 0,
      holdNextConfirms: 0,
      holdNextCancels: 3,
      declineNextConfirms: 0,
      loseNextConfirmAnswers: 0,
      loseNextCancelAnswers: 2,
      holdNextConfirmAnswers: 0,
      holdNextCancelAnswers: 0,
    };
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(expected);
    expect((await provider.toss.call('GET', '/__fake/switches', { authorization: null })).body).toEqual(expected);
    expect(provider.fake.switches()).toEqual(expected);
  });

  it.each([
    ['an unknown switch', { failNextConfirm: 1 }],
    ['a negative count', { failNextConfirms: -1 }],
    ['a fractional count', { holdNextConfirms: 1.5 }],
    ['a count as a string', { latencyMs: '100' }],
    ['an array', [1]],
  ])('refuses %s with INVALID_REQUEST and changes no switch', async (_case, body) => {
    const reply = await provider.toss.call<{ code: string }>('POST', '/__fake/switches', { body });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('INVALID_REQUEST');
    expect(Object.values(provider.fake.switches()).every((value) => value === 0)).toBe(true);
  });

  it('refuses a bad value in-process with a RangeError', () => {
    expect(() => provider.fake.setSwitches({ declineNextConfirms: -2 })).toThrow(RangeError);
  });

  it('lists the ledger over HTTP as in-process', async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    await provider.toss.cancel(paymentKey, { cancelReason: 'r', cancelAmount: 1_000 });

    const reply = await provider.toss.call('GET', '/__fake/ledger', { authorization: null });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(provider.fake.ledger());
    expect(provider.fake.ledger().entries.map((entry) => entry.sequence)).toEqual([1, 2]);
  });

  it('resets all state and switches', async () => {
    const { paymentKey } = await provider.toss.paid('order-0001', 10_000);
    provider.fake.setSwitches({ failNextConfirms: 5, latencyMs: 10 });

    const reply = await provider.toss.call('POST', '/__fake/reset', { authorization: null });

    expect(reply.status).toBe(204);
    expect((await provider.toss.payment(paymentKey)).status).toBe(404);
    expect(provider.fake.ledger()).toEqual({ entries: [], payments: {} });
    expect(provider.fake.switches()).toMatchObject({ failNextConfirms: 0, latencyMs: 0 });
  });
});
