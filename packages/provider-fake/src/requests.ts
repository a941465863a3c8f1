import { tossErrors } from './toss.js';

// Request bodies as Toss validates them (the limits are Toss's): anything else is 400 INVALID_REQUEST.

export interface ConfirmRequest {
  readonly paymentKey: string;
  readonly orderId: string;
  readonly amount: number;
}

export interface CancelRequest {
  readonly cancelReason: string;
  /** Absent: whatever is left. */
  readonly cancelAmount: number | undefined;
}

export interface CheckoutRequest {
  readonly orderId: string;
  readonly amount: number;
  readonly orderName?: string;
}

/** Toss's orderId rule: 6 to 64 letters, digits, `-` or `_`. */
const ORDER_ID = /^[A-Za-z0-9_-]{6,64}$/;

function fields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw tossErrors.invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function text(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw tossErrors.invalidRequest(`${name} must be a string of 1 to ${maxLength} characters.`);
  }
  return value;
}

function positiveAmount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw tossErrors.invalidRequest(`${name} must be a whole number of won above 0.`);
  }
  return value;
}

export function parseConfirm(body: unknown): ConfirmRequest {
  const input = fields(body);
  return {
    paymentKey: text(input.paymentKey, 'paymentKey', 200),
    orderId: text(input.orderId, 'orderId', 64),
    amount: positiveAmount(input.amount, 'amount'),
  };
}

export function parseCancel(body: unknown): CancelRequest {
  const input = fields(body);
  return {
    cancelReason: text(input.cancelReason, 'cancelReason', 200),
    cancelAmount:
      input.cancelAmount === undefined || input.cancelAmount === null
        ? undefined
        : positiveAmount(input.cancelAmount, 'cancelAmount'),
  };
}

export function parseCheckout(body: unknown): CheckoutRequest {
  const input = fields(body);
  if (typeof input.orderId !== 'string' || !ORDER_ID.test(input.orderId)) {
    throw tossErrors.invalidRequest('orderId must be 6 to 64 letters, digits, "-" or "_".');
  }
  const amount = positiveAmount(input.amount, 'amount');
  if (input.orderName === undefined) return { orderId: input.orderId, amount };
  return { orderId: input.orderId, amount, orderName: text(input.orderName, 'orderName', 100) };
}
