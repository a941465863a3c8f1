import { type Checkout, type Clock, type ProviderFake, startProviderFake, type TossPayment } from '../../src/index.js';

export const SECRET_KEY = 'test_sk_radiata_provider_fake';

export const basicAuth = (secretKey: string): string => `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;

export interface Reply<T> {
  readonly status: number;
  /** The body exactly as received. */
  readonly text: string;
  readonly body: T;
  readonly headers: Headers;
}

export interface TossError {
  readonly code: string;
  readonly message: string;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent as is when a string (malformed JSON included), else JSON-encoded. */
  readonly rawBody?: string;
  readonly idempotencyKey?: string;
  /** The Authorization header; default Basic with SECRET_KEY; null sends none. */
  readonly authorization?: string | null;
  readonly signal?: AbortSignal;
}

/** A plain HTTP client of the fake, as a Toss adapter would call it (fetch, Basic auth, JSON). */
export class TossClient {
  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const authorization = options.authorization === undefined ? basicAuth(SECRET_KEY) : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    };
  }

  openCheckout(orderId: string, amount: number): Promise<Reply<Checkout>> {
    return this.call('POST', '/v1/checkouts', { body: { orderId, amount }, authorization: null });
  }

  /** Opens a checkout and expects it open. */
  async checkout(orderId: string, amount: number): Promise<Checkout> {
    const reply = await this.openCheckout(orderId, amount);
    if (reply.status !== 200) throw new Error(`checkout refused: ${reply.status} ${reply.text}`);
    return reply.body;
  }

  confirm(
    body: { paymentKey: string; orderId: string; amount: number },
    options: Omit<CallOptions, 'body'> = {},
  ): Promise<Reply<TossPayment & TossError>> {
    return this.call('POST', '/v1/payments/confirm', { ...options, body });
  }

  cancel(
    paymentKey: string,
    body: { cancelReason: string; cancelAmount?: number },
    options: Omit<CallOptions, 'body'> = {},
  ): Promise<Reply<TossPayment & TossError>> {
    return this.call('POST', `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`, { ...options, body });
  }

  payment(paymentKey: string): Promise<Reply<TossPayment & TossError>> {
    return this.call('GET', `/v1/payments/${encodeURIComponent(paymentKey)}`);
  }

  paymentOfOrder(orderId: string): Promise<Reply<TossPayment & TossError>> {
    return this.call('GET', `/v1/payments/orders/${encodeURIComponent(orderId)}`);
  }

  /** Opens a checkout and confirms it: a payment the provider has charged. */
  async paid(orderId: string, amount: number): Promise<Checkout> {
    const checkout = await this.checkout(orderId, amount);
    const reply = await this.confirm(confirmOf(checkout));
    if (reply.status !== 200) throw new Error(`confirm refused: ${reply.text}`);
    return checkout;
  }
}

/** A confirm body for `checkout`, as the merchant's server sends it. */
export const confirmOf = (checkout: Checkout) => ({
  paymentKey: checkout.paymentKey,
  orderId: checkout.orderId,
  amount: checkout.amount,
});

/** Resolves once `check` holds, polling every 10 ms (Jest's timeout bounds a test that would hang). */
export async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The error fetch rejects with, and the code of its cause (undici's, e.g. UND_ERR_SOCKET). */
export async function failureOf(request: Promise<unknown>): Promise<{ name: string; causeCode: unknown }> {
  try {
    await request;
  } catch (error) {
    const { name, cause } = error as Error & { cause?: { code?: unknown } };
    return { name, causeCode: cause?.code };
  }
  throw new Error('the request was answered');
}

/**
 * A fake for one test file, and a client of it: started before the file's tests (with `clock`, if
 * given), reset before each test, stopped after them all.
 */
export function providerFakeForTests(clock?: Clock): { readonly fake: ProviderFake; readonly toss: TossClient } {
  const started = {} as { fake: ProviderFake; toss: TossClient };
  beforeAll(async () => {
    started.fake = await startProviderFake({ secretKey: SECRET_KEY, ...(clock ? { clock } : {}) });
    started.toss = new TossClient(started.fake.url);
  });
  afterAll(() => started.fake.stop());
  beforeEach(() => started.fake.reset());
  return started;
}
