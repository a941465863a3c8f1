import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@radiata/observability';
import { Histogram, type Registry } from 'prom-client';
import { z } from 'zod';
import {
  type CancelRequest,
  type CancelResult,
  type ConfirmRequest,
  type ConfirmResult,
  type PaymentProvider,
  type ProviderPayment,
  ProviderUnavailableError,
} from './payment-provider.js';

export interface TossPaymentsOptions {
  /** https://api.tosspayments.com, or the provider fake's URL; `/v1/...` is appended. */
  readonly baseUrl: string;
  /** Sent as HTTP Basic `base64(secretKey + ":")`; never logged. */
  readonly secretKey: string;
  /** How long one attempt may take, answer body included, before it counts as lost. */
  readonly timeoutMs: number;
  /** Attempts per call (lost answers, timeouts, 5xx, 409), all under the same Idempotency-Key. */
  readonly attempts: number;
  /** The wait before the second attempt, doubling after each; default 200 ms. */
  readonly retryDelayMs?: number;
  readonly logger: Logger;
  /** Where `radiata_payment_provider_request_seconds{operation,outcome}` is recorded; none when absent. */
  readonly registry?: Registry;
}

type Operation = 'confirm' | 'cancel' | 'lookUp' | 'lookUpByOrder';

/** One HTTP exchange: an answer (its JSON body, undefined when it is not JSON) or none at all. */
type Exchange =
  | { readonly answered: true; readonly status: number; readonly body: unknown }
  | { readonly answered: false; readonly reason: string; readonly outcome: 'timeout' | 'network' };

/** What an answer means to one call: its result, or a reason to ask again. */
type Reading<T> = { readonly result: T } | { readonly retry: string };

/** A call's end: its result, or why no attempt gave one. */
type Settled<T> = { readonly result: T } | { readonly lost: string };

const REQUEST_SECONDS = 'radiata_payment_provider_request_seconds';
const DEFAULT_RETRY_DELAY_MS = 200;
/** Every status in which Toss has taken the money (some of it may have been given back since). */
const CHARGED = new Set(['DONE', 'PARTIAL_CANCELED', 'CANCELED']);
/** Our code for a 4xx whose body is not Toss's `{ code, message }`. */
export const PROVIDER_BAD_ANSWER = 'PROVIDER_BAD_ANSWER';

// Toss's Payment object, read defensively: only the fields payments uses, everything else ignored.
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const won = z.number().int().nonnegative();
const tossCancel = z.object({
  transactionKey: z.string().min(1),
  cancelAmount: won,
  cancelReason: z.string(),
  canceledAt: instant,
});
const tossPayment = z.object({
  paymentKey: z.string().min(1),
  orderId: z.string().min(1),
  status: z.string().min(1),
  totalAmount: won,
  balanceAmount: won,
  approvedAt: instant.nullish(),
  // null until the first cancel.
  cancels: z.array(tossCancel).nullish(),
});
const tossError = z.object({ code: z.string().min(1), message: z.string() });

function paymentOf(body: unknown): ProviderPayment | undefined {
  const parsed = tossPayment.safeParse(body);
  if (!parsed.success) return undefined;
  const payment = parsed.data;
  const charged = CHARGED.has(payment.status);
  return {
    paymentKey: payment.paymentKey,
    orderId: payment.orderId,
    status: payment.status,
    charged,
    totalAmount: charged ? payment.totalAmount : 0,
    balanceAmount: charged ? payment.balanceAmount : 0,
    approvedAt: payment.approvedAt ?? null,
    cancels: payment.cancels ?? [],
  };
}

const errorOf = (body: unknown): { code: string; message: string } | undefined => tossError.safeParse(body).data;

const badAnswer = (status: number) => ({
  code: PROVIDER_BAD_ANSWER,
  message: `The provider answered ${status} without a { code, message } body.`,
});

/**
 * 2xx, and 4xx but 409, settle a call; anything else (5xx; 409: Toss is still processing a request
 * with this Idempotency-Key) is asked again.
 */
const definite = (status: number): boolean =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 409);

/**
 * The Toss Payments v1 API (https://docs.tosspayments.com/reference) as a PaymentProvider; the
 * provider fake (@radiata/provider-fake) speaks the same API. A call that gets no definite answer
 * (no answer, a timeout, 5xx, 409, an unreadable 200) is sent again up to `attempts` times, with
 * the same Idempotency-Key, so the provider applies it at most once; after that a confirm or
 * cancel is `unknown` and a look-up throws ProviderUnavailableError.
 */
export class TossPayments implements PaymentProvider {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly retryDelayMs: number;
  private readonly logger: Logger;
  private readonly requestSeconds: Histogram<'operation' | 'outcome'> | undefined;

  constructor(private readonly options: TossPaymentsOptions) {
    if (!Number.isSafeInteger(options.attempts) || options.attempts < 1) {
      throw new RangeError('TossPayments: attempts must be a whole number ≥ 1');
    }
    if (!(options.timeoutMs > 0)) throw new RangeError('TossPayments: timeoutMs must be above 0');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.logger = options.logger.child({ component: 'toss-payments' });
    this.requestSeconds = options.registry && requestSecondsIn(options.registry);
  }

  async confirm(request: ConfirmRequest): Promise<ConfirmResult> {
    const { paymentKey, orderId, amount, idempotencyKey } = request;
    const settled = await this.call<ConfirmResult | 'alreadyProcessed'>(
      'confirm',
      { method: 'POST', path: '/v1/payments/confirm', body: { paymentKey, orderId, amount }, idempotencyKey },
      { paymentKey, orderId },
      (status, body) => {
        if (status < 300) {
          const payment = paymentOf(body);
          // The provider may have charged: only a readable answer settles it.
          if (!payment) return { retry: `unreadable ${status} answer` };
          if (payment.charged) return { result: { outcome: 'approved', payment } };
          return {
            result: {
              outcome: 'failed',
              code: payment.status,
              message: `The provider answered the confirm with a payment ${payment.status}.`,
            },
          };
        }
        const error = this.refusal('confirm', status, body);
        if (error.code === 'ALREADY_PROCESSED_PAYMENT') return { result: 'alreadyProcessed' };
        return { result: { outcome: 'failed', ...error } };
      },
    );
    if ('lost' in settled) return this.unknown('confirm', settled.lost, { paymentKey, orderId, idempotencyKey });
    if (settled.result !== 'alreadyProcessed') return settled.result;
    return this.confirmedBefore(request);
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    const { paymentKey, amount, reason, idempotencyKey } = request;
    const settled = await this.call<CancelResult>(
      'cancel',
      {
        method: 'POST',
        path: `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
        body: { cancelReason: reason, cancelAmount: amount },
        idempotencyKey,
      },
      { paymentKey },
      (status, body) => {
        if (status < 300) {
          const payment = paymentOf(body);
          // The provider may have given the money back: only a readable answer settles it.
          if (!payment) return { retry: `unreadable ${status} answer` };
          return { result: { outcome: 'canceled', payment } };
        }
        return { result: { outcome: 'refused', ...this.refusal('cancel', status, body) } };
      },
    );
    if ('lost' in settled) return this.unknown('cancel', settled.lost, { paymentKey, idempotencyKey });
    return settled.result;
  }

  lookUp(paymentKey: string): Promise<ProviderPayment | null> {
    return this.find('lookUp', `/v1/payments/${encodeURIComponent(paymentKey)}`, { paymentKey });
  }

  lookUpByOrder(orderId: string): Promise<ProviderPayment | null> {
    return this.find('lookUpByOrder', `/v1/payments/orders/${encodeURIComponent(orderId)}`, { orderId });
  }

  /**
   * ALREADY_PROCESSED_PAYMENT: this paymentKey was confirmed before, by us under another key (a
   * record confirmed twice) or for another order. Approved only if it is charged for this order.
   */
  private async confirmedBefore(request: ConfirmRequest): Promise<ConfirmResult> {
    let found: ProviderPayment | null;
    try {
      found = await this.lookUp(request.paymentKey);
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      return this.unknown('confirm', `ALREADY_PROCESSED_PAYMENT, then the look-up failed: ${error.message}`, {
        paymentKey: request.paymentKey,
        orderId: request.orderId,
        idempotencyKey: request.idempotencyKey,
      });
    }
    if (found?.charged && found.orderId === request.orderId) return { outcome: 'approved', payment: found };
    return {
      outcome: 'failed',
      code: 'ALREADY_PROCESSED_PAYMENT',
      message: found
        ? `The payment was processed before and is ${found.status}${found.orderId === request.orderId ? '' : ' for another order'}.`
        : 'The payment was processed before and the provider no longer knows it.',
    };
  }

  private async find(
    operation: Operation,
    path: string,
    about: Record<string, string>,
  ): Promise<ProviderPayment | null> {
    const settled = await this.call<ProviderPayment | null | { refused: string }>(
      operation,
      { method: 'GET', path },
      about,
      (status, body) => {
        if (status < 300) {
          const payment = paymentOf(body);
          return payment ? { result: payment } : { retry: `unreadable ${status} answer` };
        }
        const code = errorOf(body)?.code;
        if (status === 404 && code === 'NOT_FOUND_PAYMENT') return { result: null };
        return { result: { refused: `${status} ${code ?? PROVIDER_BAD_ANSWER}` } };
      },
    );
    if ('lost' in settled) {
      this.logger.warn({ operation, ...about, reason: settled.lost }, 'the payment provider did not answer');
      throw new ProviderUnavailableError(`payment provider ${operation}: ${settled.lost}`);
    }
    const { result } = settled;
    if (result !== null && 'refused' in result) {
      this.logger.error({ operation, ...about, answer: result.refused }, 'the payment provider refused a look-up');
      throw new ProviderUnavailableError(`payment provider ${operation} refused: ${result.refused}`);
    }
    return result;
  }

  /** A 4xx's `{ code, message }`, PROVIDER_BAD_ANSWER without one; a refused secret key is a misconfiguration. */
  private refusal(operation: Operation, status: number, body: unknown): { code: string; message: string } {
    const error = errorOf(body) ?? badAnswer(status);
    if (error.code === 'UNAUTHORIZED_KEY') {
      this.logger.error(
        { operation, status },
        'the payment provider refused our secret key: check PROVIDER_SECRET_KEY',
      );
    }
    return error;
  }

  private unknown(
    operation: Operation,
    reason: string,
    about: Record<string, string>,
  ): { outcome: 'unknown'; reason: string } {
    this.logger.warn(
      { operation, ...about, reason },
      'no definite answer from the payment provider: left to reconciliation',
    );
    return { outcome: 'unknown', reason };
  }

  /**
   * Sends one request up to `attempts` times: again after no answer, a timeout, 5xx or 409, or
   * when `read` asks for it, waiting retryDelayMs, then twice that, and so on.
   */
  private async call<T>(
    operation: Operation,
    request: { method: string; path: string; body?: unknown; idempotencyKey?: string },
    about: Record<string, string>,
    read: (status: number, body: unknown) => Reading<T>,
  ): Promise<Settled<T>> {
    const { attempts } = this.options;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      const exchange = await this.exchange(operation, request);
      if (!exchange.answered) {
        reason = exchange.reason;
      } else if (!definite(exchange.status)) {
        reason = `${exchange.status} ${errorOf(exchange.body)?.code ?? ''}`.trim();
      } else {
        const reading = read(exchange.status, exchange.body);
        if ('result' in reading) return reading;
        reason = reading.retry;
      }
      if (attempt < attempts) {
        this.logger.warn(
          { operation, ...about, attempt, attempts, reason },
          'payment provider request failed: retrying',
        );
      }
    }
    return { lost: `${reason} (after ${attempts} attempt${attempts === 1 ? '' : 's'})` };
  }

  private async exchange(
    operation: Operation,
    request: { method: string; path: string; body?: unknown; idempotencyKey?: string },
  ): Promise<Exchange> {
    const headers: Record<string, string> = { authorization: this.authorization };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    const started = performance.now();
    let exchange: Exchange;
    try {
      const response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        // A payment API never redirects: one would be a misconfigured base URL.
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.text();
      exchange = { answered: true, status: response.status, body: jsonOf(text) };
    } catch (error) {
      exchange = lostExchange(error, this.options.timeoutMs);
    }
    this.requestSeconds?.observe(
      { operation, outcome: exchange.answered ? `${Math.floor(exchange.status / 100)}xx` : exchange.outcome },
      (performance.now() - started) / 1000,
    );
    return exchange;
  }
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lostExchange(error: unknown, timeoutMs: number): Exchange {
  // Read by shape, not instanceof: fetch's errors may come from another realm (Jest's sandbox).
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError') {
    return { answered: false, outcome: 'timeout', reason: `no answer within ${timeoutMs} ms` };
  }
  const detail = typeof cause?.code === 'string' ? cause.code : typeof message === 'string' ? message : String(error);
  return { answered: false, outcome: 'network', reason: `connection failed (${detail})` };
}

/** One histogram per registry, shared by every adapter built on it. */
function requestSecondsIn(registry: Registry): Histogram<'operation' | 'outcome'> {
  const existing = registry.getSingleMetric(REQUEST_SECONDS);
  if (existing) return existing as Histogram<'operation' | 'outcome'>;
  return new Histogram({
    name: REQUEST_SECONDS,
    help: 'Payment provider HTTP requests (each attempt), by operation and outcome (2xx, 4xx, 5xx, timeout, network)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
}
