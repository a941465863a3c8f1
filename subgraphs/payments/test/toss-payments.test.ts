import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Checkout, type ProviderFake, startProviderFake } from '@radiata/provider-fake';
import { capturingLogger, metricLabelValues, TestClock } from '@radiata/testing';
import { Registry } from 'prom-client';
import { type ConfirmRequest, ProviderUnavailableError } from '../src/provider/payment-provider.js';
import { TossPayments, type TossPaymentsOptions } from '../src/provider/toss-payments.js';

const SECRET_KEY = 'test_sk_toss_adapter_0123456789';
const clock = new TestClock();
let fake: ProviderFake;
let logs: ReturnType<typeof capturingLogger>;

beforeAll(async () => {
  fake = await startProviderFake({ secretKey: SECRET_KEY, clock });
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  clock.set(undefined);
  logs = capturingLogger('debug');
});

/** The adapter on the fake; generous timeouts unless a test wants one to fire. */
const toss = (options: Partial<TossPaymentsOptions> = {}): TossPayments =>
  new TossPayments({
    baseUrl: fake.url,
    secretKey: SECRET_KEY,
    timeoutMs: 10_000,
    attempts: 3,
    retryDelayMs: 10,
    logger: logs.logger,
    ...options,
  });

const checkout = (amount = 10_000, orderId = 'order-0001'): Checkout => fake.openCheckout({ orderId, amount });

const confirmOf = (opened: Checkout, idempotencyKey = 'radiata-payment-1'): ConfirmRequest => ({
  paymentKey: opened.paymentKey,
  orderId: opened.orderId,
  amount: opened.amount,
  idempotencyKey,
});

/** A payment the fake has charged (confirmed through the adapter). */
async function paid(amount = 10_000): Promise<Checkout> {
  const opened = checkout(amount);
  const result = await toss().confirm(confirmOf(opened, 'radiata-payment-paid'));
  if (result.outcome !== 'approved') throw new Error(`not approved: ${JSON.stringify(result)}`);
  return opened;
}

const chargesOf = (paymentKey: string) =>
  fake.ledger().entries.filter((entry) => entry.kind === 'CONFIRM' && entry.paymentKey === paymentKey);

describe('confirm', () => {
  it('approves a checkout: the payment as the provider reports it, charged once under our key', async () => {
    const opened = checkout();

    const result = await toss().confirm(confirmOf(opened, 'radiata-payment-1'));

    expect(result).toEqual({
      outcome: 'approved',
      payment: {
        paymentKey: opened.paymentKey,
        orderId: 'order-0001',
        status: 'DONE',
        charged: true,
        totalAmount: 10_000,
        balanceAmount: 10_000,
        approvedAt: expect.any(Date),
        cancels: [],
      },
    });
    expect(fake.ledger().entries).toMatchObject([
      { kind: 'CONFIRM', paymentKey: opened.paymentKey, amount: 10_000, idempotencyKey: 'radiata-payment-1' },
    ]);
  });

  it('fails a declined card with REJECT_CARD_PAYMENT and charges nothing', async () => {
    const opened = checkout();
    fake.setSwitches({ declineNextConfirms: 1 });

    const result = await toss().confirm(confirmOf(opened));

    expect(result).toEqual({ outcome: 'failed', code: 'REJECT_CARD_PAYMENT', message: expect.any(String) });
    expect(fake.ledger().entries).toEqual([]);
  });

  it('fails an unknown paymentKey and an expired checkout with NOT_FOUND_PAYMENT_SESSION', async () => {
    const opened = checkout();
    const unknown = await toss().confirm({ ...confirmOf(opened), paymentKey: 'tfake_nobody' });
    clock.set(new Date(Date.now() + 11 * 60_000));

    const expired = await toss().confirm(confirmOf(opened));

    expect(unknown).toEqual({ outcome: 'failed', code: 'NOT_FOUND_PAYMENT_SESSION', message: expect.any(String) });
    expect(expired).toEqual({ outcome: 'failed', code: 'NOT_FOUND_PAYMENT_SESSION', message: expect.any(String) });
    expect(fake.ledger().entries).toEqual([]);
  });

  it("fails another amount than the checkout's with the provider's code, and charges nothing", async () => {
    const opened = checkout(10_000);

    const result = await toss().confirm({ ...confirmOf(opened), amount: 9_000 });

    expect(result).toEqual({ outcome: 'failed', code: 'INVALID_AMOUNT', message: expect.any(String) });
    expect(fake.ledger().entries).toEqual([]);
  });

  it('fails with UNAUTHORIZED_KEY on a wrong secret key, logs it as an error, and never logs a key', async () => {
    const opened = checkout();
    const wrongKey = 'test_sk_wrong_0123456789';

    const result = await toss({ secretKey: wrongKey }).confirm(confirmOf(opened));

    expect(result).toEqual({ outcome: 'failed', code: 'UNAUTHORIZED_KEY', message: expect.any(String) });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 50 }));
    const logged = JSON.stringify(logs.lines);
    for (const secret of [wrongKey, SECRET_KEY, Buffer.from(`${wrongKey}:`).toString('base64')]) {
      expect(logged).not.toContain(secret);
    }
    expect(fake.ledger().entries).toEqual([]);
  });

  it('retries 5xx under the same Idempotency-Key: approved, charged once', async () => {
    const opened = checkout();
    fake.setSwitches({ failNextConfirms: 2 });

    const result = await toss({ attempts: 3 }).confirm(confirmOf(opened, 'radiata-payment-1'));

    expect(result.outcome).toBe('approved');
    expect(fake.switches().failNextConfirms).toBe(0);
    expect(chargesOf(opened.paymentKey)).toMatchObject([{ idempotencyKey: 'radiata-payment-1' }]);
  });

  it('answers unknown when every attempt fails; a later confirm with the same key approves, charged once', async () => {
    const opened = checkout();
    fake.setSwitches({ failNextConfirms: 3 });

    const first = await toss({ attempts: 3 }).confirm(confirmOf(opened, 'radiata-payment-1'));
    const nothingYet = fake.ledger().entries;
    const later = await toss({ attempts: 3 }).confirm(confirmOf(opened, 'radiata-payment-1'));

    expect(first).toEqual({ outcome: 'unknown', reason: expect.stringContaining('FAILED_INTERNAL_SYSTEM_PROCESSING') });
    expect(nothingYet).toEqual([]);
    expect(later.outcome).toBe('approved');
    expect(chargesOf(opened.paymentKey)).toHaveLength(1);
  });

  it('retries a lost answer: the provider replays the charge it made, charged once', async () => {
    const opened = checkout();
    fake.setSwitches({ loseNextConfirmAnswers: 1 });

    const result = await toss().confirm(confirmOf(opened));

    expect(result).toMatchObject({ outcome: 'approved', payment: { paymentKey: opened.paymentKey, status: 'DONE' } });
    expect(fake.switches().loseNextConfirmAnswers).toBe(0);
    expect(chargesOf(opened.paymentKey)).toHaveLength(1);
  });

  it('retries after its timeout when the provider holds the request: approved, charged once', async () => {
    const opened = checkout();
    fake.setSwitches({ holdNextConfirms: 1 });

    // A client setting: the held attempt is abandoned after 300 ms (and one slowed by a busy machine is retried too).
    const result = await toss({ timeoutMs: 300, attempts: 5 }).confirm(confirmOf(opened));

    expect(result.outcome).toBe('approved');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ operation: 'confirm', attempt: 1, reason: 'no answer within 300 ms' }),
    );
    expect(fake.switches().holdNextConfirms).toBe(0);
    expect(chargesOf(opened.paymentKey)).toHaveLength(1);
  });

  it('retries after its timeout when the provider charged but holds the answer: replayed, charged once', async () => {
    const opened = checkout();
    fake.setSwitches({ holdNextConfirmAnswers: 1 });

    const result = await toss({ timeoutMs: 300, attempts: 5 }).confirm(confirmOf(opened));

    expect(result).toMatchObject({ outcome: 'approved', payment: { paymentKey: opened.paymentKey, charged: true } });
    expect(fake.switches().holdNextConfirmAnswers).toBe(0);
    expect(chargesOf(opened.paymentKey)).toHaveLength(1);
  });

  it('approves ALREADY_PROCESSED_PAYMENT through a look-up when the payment is charged for this order', async () => {
    const opened = checkout();
    await toss().confirm(confirmOf(opened, 'radiata-payment-1'));

    const again = await toss().confirm(confirmOf(opened, 'radiata-payment-2'));

    expect(again).toMatchObject({ outcome: 'approved', payment: { paymentKey: opened.paymentKey, status: 'DONE' } });
    expect(chargesOf(opened.paymentKey)).toMatchObject([{ idempotencyKey: 'radiata-payment-1' }]);
  });

  it('fails ALREADY_PROCESSED_PAYMENT when the order was paid by another checkout', async () => {
    const first = checkout(10_000, 'order-0001');
    const second = checkout(10_000, 'order-0001');
    await toss().confirm(confirmOf(first, 'radiata-payment-1'));

    const result = await toss().confirm(confirmOf(second, 'radiata-payment-2'));

    expect(result).toEqual({ outcome: 'failed', code: 'ALREADY_PROCESSED_PAYMENT', message: expect.any(String) });
    expect(chargesOf(second.paymentKey)).toEqual([]);
  });
});

describe('cancel', () => {
  it('cancels part, then the rest, then refuses with ALREADY_CANCELED_PAYMENT', async () => {
    const { paymentKey } = await paid(10_000);
    const provider = toss();

    const partial = await provider.cancel({
      paymentKey,
      amount: 4_000,
      reason: 'one item',
      idempotencyKey: 'refund-1',
    });
    const rest = await provider.cancel({ paymentKey, amount: 6_000, reason: 'the rest', idempotencyKey: 'refund-2' });
    const more = await provider.cancel({ paymentKey, amount: 1, reason: 'more', idempotencyKey: 'refund-3' });

    expect(partial).toMatchObject({
      outcome: 'canceled',
      payment: {
        status: 'PARTIAL_CANCELED',
        charged: true,
        totalAmount: 10_000,
        balanceAmount: 6_000,
        cancels: [{ cancelAmount: 4_000, cancelReason: 'one item', canceledAt: expect.any(Date) }],
      },
    });
    expect(rest).toMatchObject({ outcome: 'canceled', payment: { status: 'CANCELED', balanceAmount: 0 } });
    expect(rest.outcome === 'canceled' && rest.payment.cancels.map((c) => c.cancelAmount)).toEqual([4_000, 6_000]);
    expect(more).toEqual({ outcome: 'refused', code: 'ALREADY_CANCELED_PAYMENT', message: expect.any(String) });
    expect(fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 2, canceledAmount: 10_000, balanceAmount: 0 });
  });

  it('refuses to cancel a payment never approved', async () => {
    const opened = checkout();

    const result = await toss().cancel({
      paymentKey: opened.paymentKey,
      amount: 1_000,
      reason: 'r',
      idempotencyKey: 'refund-1',
    });

    expect(result).toEqual({ outcome: 'refused', code: 'NOT_CANCELABLE_PAYMENT', message: expect.any(String) });
  });

  it('retries 5xx under the same Idempotency-Key: given back once', async () => {
    const { paymentKey } = await paid(10_000);
    fake.setSwitches({ failNextCancels: 2 });

    const result = await toss({ attempts: 3 }).cancel({
      paymentKey,
      amount: 3_000,
      reason: 'r',
      idempotencyKey: 'refund-1',
    });

    expect(result).toMatchObject({ outcome: 'canceled', payment: { balanceAmount: 7_000 } });
    expect(fake.ledger().payments[paymentKey]).toMatchObject({
      cancels: 1,
      canceledAmount: 3_000,
      balanceAmount: 7_000,
    });
  });

  it('retries a lost answer: the provider replays the cancel it made, given back once', async () => {
    const { paymentKey } = await paid(10_000);
    fake.setSwitches({ loseNextCancelAnswers: 1 });

    const result = await toss().cancel({ paymentKey, amount: 3_000, reason: 'r', idempotencyKey: 'refund-1' });

    expect(result).toMatchObject({ outcome: 'canceled', payment: { balanceAmount: 7_000 } });
    expect(fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, canceledAmount: 3_000 });
  });

  it('answers unknown when every attempt fails; the same key later gives back once', async () => {
    const { paymentKey } = await paid(10_000);
    fake.setSwitches({ failNextCancels: 2 });
    const request = { paymentKey, amount: 3_000, reason: 'r', idempotencyKey: 'refund-1' };

    const first = await toss({ attempts: 2 }).cancel(request);
    const cancelsThen = fake.ledger().payments[paymentKey]?.cancels;
    const later = await toss({ attempts: 2 }).cancel(request);

    expect(first).toEqual({ outcome: 'unknown', reason: expect.any(String) });
    expect(cancelsThen).toBe(0);
    expect(later.outcome).toBe('canceled');
    expect(fake.ledger().payments[paymentKey]).toMatchObject({ cancels: 1, canceledAmount: 3_000 });
  });
});

describe('look-up', () => {
  it('answers null for a paymentKey the provider does not know', async () => {
    expect(await toss().lookUp('tfake_nobody')).toBeNull();
  });

  it('reports an open checkout as not charged, with no amounts', async () => {
    const opened = checkout(10_000);

    expect(await toss().lookUp(opened.paymentKey)).toEqual({
      paymentKey: opened.paymentKey,
      orderId: 'order-0001',
      status: 'IN_PROGRESS',
      charged: false,
      totalAmount: 0,
      balanceAmount: 0,
      approvedAt: null,
      cancels: [],
    });
  });

  it("finds an order's approved payment over its declined checkout; null for an order it does not know", async () => {
    const declined = checkout(10_000, 'order-0001');
    fake.setSwitches({ declineNextConfirms: 1 });
    await toss().confirm(confirmOf(declined, 'radiata-payment-1'));
    const approved = checkout(10_000, 'order-0001');
    await toss().confirm(confirmOf(approved, 'radiata-payment-2'));
    checkout(10_000, 'order-0002');

    const found = await toss().lookUpByOrder('order-0001');

    expect(found).toMatchObject({
      paymentKey: approved.paymentKey,
      status: 'DONE',
      charged: true,
      totalAmount: 10_000,
    });
    expect(await toss().lookUp(declined.paymentKey)).toMatchObject({ status: 'ABORTED', charged: false });
    expect(await toss().lookUpByOrder('order-0009')).toBeNull();
  });

  it('throws ProviderUnavailableError naming the code when the provider refuses it', async () => {
    const failure = await toss({ secretKey: 'test_sk_wrong_0123456789' })
      .lookUp('tfake_nobody')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect((failure as Error).message).toContain('UNAUTHORIZED_KEY');
  });
});

describe('metrics', () => {
  it('times every attempt by operation and outcome', async () => {
    const registry = new Registry();
    const opened = checkout();
    fake.setSwitches({ failNextConfirms: 1 });

    await toss({ registry }).confirm(confirmOf(opened));
    // A second adapter on the same registry shares the histogram.
    await toss({ registry }).lookUp('tfake_nobody');

    const exposition = await registry.metrics();
    const count = 'radiata_payment_provider_request_seconds_count';
    expect(metricLabelValues(exposition, count, 'operation')).toEqual(['confirm', 'lookUp']);
    expect(metricLabelValues(exposition, count, 'outcome')).toEqual(['2xx', '4xx', '5xx']);
    expect(exposition).toContain(`${count}{operation="confirm",outcome="5xx"} 1`);
    expect(exposition).toContain(`${count}{operation="confirm",outcome="2xx"} 1`);
  });
});

/** A provider answering what a test scripts, in order (the last answer repeats), recording each request. */
async function scriptedProvider(answers: { status: number; body: string }[]) {
  const requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const answer = answers[Math.min(requests.length, answers.length) - 1] ?? { status: 500, body: '' };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a provider answering badly', () => {
  const request: ConfirmRequest = {
    paymentKey: 'tpay/key 1',
    orderId: 'order-0001',
    amount: 10_000,
    idempotencyKey: 'radiata-payment-1',
  };

  it('sends Basic auth, JSON and the same Idempotency-Key on every attempt; 409 and an unreadable 200 are retried', async () => {
    const provider = await scriptedProvider([
      { status: 409, body: '{"code":"IDEMPOTENT_REQUEST_PROCESSING","message":"in progress"}' },
      { status: 200, body: '<html>gateway</html>' },
      { status: 200, body: '{"paymentKey":"tpay/key 1","status":"DONE"}' },
    ]);
    try {
      const result = await toss({ baseUrl: provider.url, attempts: 3 }).confirm(request);

      expect(result).toEqual({ outcome: 'unknown', reason: expect.stringContaining('unreadable 200 answer') });
      expect(provider.requests).toHaveLength(3);
      for (const sent of provider.requests) {
        expect(sent).toMatchObject({ method: 'POST', url: '/v1/payments/confirm' });
        expect(sent.headers).toMatchObject({
          authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}`,
          'content-type': 'application/json',
          'idempotency-key': 'radiata-payment-1',
        });
        expect(JSON.parse(sent.body)).toEqual({ paymentKey: 'tpay/key 1', orderId: 'order-0001', amount: 10_000 });
      }
    } finally {
      await provider.stop();
    }
  });

  it('fails a 4xx without { code, message } with PROVIDER_BAD_ANSWER, at once', async () => {
    const provider = await scriptedProvider([{ status: 400, body: 'Bad Request' }]);
    try {
      const result = await toss({ baseUrl: provider.url }).confirm(request);

      expect(result).toEqual({ outcome: 'failed', code: 'PROVIDER_BAD_ANSWER', message: expect.any(String) });
      expect(provider.requests).toHaveLength(1);
    } finally {
      await provider.stop();
    }
  });

  it('cancels at the encoded paymentKey with the reason and amount', async () => {
    const provider = await scriptedProvider([{ status: 500, body: '' }]);
    try {
      const result = await toss({ baseUrl: provider.url, attempts: 2 }).cancel({
        paymentKey: 'tpay/key 1',
        amount: 3_000,
        reason: 'one item',
        idempotencyKey: 'refund-1',
      });

      expect(result).toEqual({ outcome: 'unknown', reason: expect.stringContaining('500') });
      expect(provider.requests).toHaveLength(2);
      expect(provider.requests[0]).toMatchObject({ method: 'POST', url: '/v1/payments/tpay%2Fkey%201/cancel' });
      expect(provider.requests[0]?.headers['idempotency-key']).toBe('refund-1');
      expect(JSON.parse(provider.requests[0]?.body ?? '')).toEqual({ cancelReason: 'one item', cancelAmount: 3_000 });
    } finally {
      await provider.stop();
    }
  });

  it('throws ProviderUnavailableError from a look-up when nothing listens, and answers a confirm unknown', async () => {
    const provider = await scriptedProvider([]);
    await provider.stop();
    const closed = toss({ baseUrl: provider.url, attempts: 2 });

    const lookUp = await closed.lookUpByOrder('order-0001').catch((error: unknown) => error);
    const confirm = await closed.confirm(request);

    expect(lookUp).toBeInstanceOf(ProviderUnavailableError);
    expect((lookUp as Error).message).toContain('ECONNREFUSED');
    expect(confirm).toEqual({ outcome: 'unknown', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
