import { z } from 'zod';
import { type EventSchema, MalformedEvent, readEvent } from '../src/index.js';

const SCHEMAS = {
  'shop.order.placed': z
    .object({ orderId: z.string().min(1), total: z.number().int().positive() })
    .transform((order) => ({ kind: 'placed' as const, ...order })),
  'shop.order.cancelled': z
    .object({ orderId: z.string().min(1), reason: z.string().default('unknown') })
    .transform((order) => ({ kind: 'cancelled' as const, ...order })),
};

type Placed = { kind: 'placed'; orderId: string; total: number };
type Cancelled = { kind: 'cancelled'; orderId: string; reason: string };
/** True only when A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The error `read` throws, or undefined when it returns. */
const errorOf = (read: () => unknown): unknown => {
  try {
    read();
    return undefined;
  } catch (error) {
    return error;
  }
};

it("returns the output of its routing key's schema, typed as the union of the schemas' outputs", () => {
  const placed = readEvent(SCHEMAS, 'shop.order.placed', { orderId: 'o-1', total: 3 });
  const cancelled = readEvent(SCHEMAS, 'shop.order.cancelled', { orderId: 'o-2' });
  // Checked by `npm run typecheck` (tsconfig.tests.json): exactly the union, so `kind` narrows.
  const typed: Same<typeof placed, Placed | Cancelled> = true;
  expect(typed).toBe(true);
  expect(placed).toEqual({ kind: 'placed', orderId: 'o-1', total: 3 });
  // The schema's own defaults and transforms apply.
  expect(cancelled).toEqual({ kind: 'cancelled', orderId: 'o-2', reason: 'unknown' });
  expect(cancelled.kind === 'cancelled' ? cancelled.reason : cancelled.total).toBe('unknown');
});

it('takes any schema with a zod-like safeParse', () => {
  const positive: EventSchema<number> = {
    safeParse: (payload) =>
      typeof payload === 'number' && payload > 0
        ? { success: true, data: payload }
        : { success: false, error: { message: 'not a positive number' } },
  };
  const value: number = readEvent({ 'counter.bumped': positive }, 'counter.bumped', 2);
  expect(value).toBe(2);
  expect(errorOf(() => readEvent({ 'counter.bumped': positive }, 'counter.bumped', -1))).toEqual(
    new MalformedEvent('counter.bumped: not a positive number'),
  );
});

it('throws MalformedEvent for a routing key it has no schema for', () => {
  for (const routingKey of ['shop.order.shipped', 'shop.order', 'toString', '']) {
    const error = errorOf(() => readEvent(SCHEMAS, routingKey, { orderId: 'o-1', total: 3 }));
    expect(error).toBeInstanceOf(MalformedEvent);
    expect((error as MalformedEvent).name).toBe('MalformedEvent');
    expect((error as MalformedEvent).message).toBe(`unexpected routing key ${routingKey}`);
  }
});

it("throws MalformedEvent with the routing key and the schema's message for a payload its schema refuses", () => {
  for (const payload of [{ orderId: 'o-1', total: 0 }, { orderId: '', total: 3 }, { total: 3 }, 'o-1', null]) {
    const refused = SCHEMAS['shop.order.placed'].safeParse(payload);
    expect(refused.success).toBe(false);
    const error = errorOf(() => readEvent(SCHEMAS, 'shop.order.placed', payload));
    expect(error).toBeInstanceOf(MalformedEvent);
    expect((error as MalformedEvent).message).toBe(`shop.order.placed: ${refused.error?.message}`);
  }
});
