import { newId } from '@radiata/service-runtime';
import { testLogger } from '@radiata/testing';
import { reconcileSaleStock } from '../src/domain/stock/reconcile.js';
import type { ReserveRequest, ReserveResult } from '../src/domain/stock/sale-stock.js';
import {
  createSale,
  eventually,
  HOUR,
  knownProduct,
  type SaleView,
  saleProductInput,
  startTimesalesStack,
  TIME_SALE,
  type TimesalesStack,
} from './support.js';

jest.setTimeout(60_000);

let stack: TimesalesStack;
beforeAll(async () => {
  stack = await startTimesalesStack();
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

const stock = () => stack.services.saleStock;

/** A sale of one product, live on the stack clock (set to a minute after its start). */
async function liveOffer(overrides: Record<string, unknown> = {}): Promise<{ sale: SaleView; offerId: string }> {
  stack.clock.set(undefined);
  const product = await knownProduct(stack);
  const sale = await createSale(stack, { products: [saleProductInput(product, overrides)] });
  stack.clock.set(new Date(new Date(sale.startAt).getTime() + 60_000));
  return { sale, offerId: sale.products[0]?.id as string };
}

const request = (offerId: string, overrides: Partial<ReserveRequest> = {}): ReserveRequest => ({
  orderId: newId(),
  userId: newId(),
  timeSaleProductId: offerId,
  quantity: 1,
  ...overrides,
});

const countOutcomes = (results: readonly ReserveResult[]) =>
  results.reduce<Record<string, number>>((counts, result) => {
    counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
    return counts;
  }, {});

async function state(offerId: string) {
  const keys = (name: string) => `${stack.prefix}{tsp:${offerId}}:${name}`;
  const [row] = await stack.sql<{ sold: number; reserved: number; held: number }>(
    `SELECT p.sold_quantity AS sold,
            (SELECT count(*)::int FROM sale_reservations r WHERE r.time_sale_product_id = p.id AND r.status = 'RESERVED') AS reserved,
            (SELECT coalesce(sum(quantity), 0)::int FROM sale_reservations r
              WHERE r.time_sale_product_id = p.id AND r.status = 'RESERVED') AS held
     FROM time_sale_products p WHERE p.id = $1::uuid`,
    offerId,
  );
  return {
    postgresSold: row?.sold,
    postgresReservedRows: row?.reserved,
    postgresHeld: row?.held,
    redisSold: Number(await stack.redis.get(keys('sold'))),
  };
}

describe('the rush', () => {
  it('reserves exactly 100 of 100 to 2,000 concurrent orders, never below zero, and sells the sale out once', async () => {
    const { sale, offerId } = await liveOffer({ totalQuantity: 100 });
    let overSold = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sold = Number(await stack.redis.get(`${stack.prefix}{tsp:${offerId}}:sold`));
        if (sold > 100 || sold < 0) overSold = true;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const results = await Promise.all(Array.from({ length: 2_000 }, () => stock().reserve(request(offerId))));
    sampling = false;
    await sampler;

    expect(countOutcomes(results)).toEqual({ RESERVED: 100, SOLD_OUT: 1_900 });
    expect(overSold).toBe(false);
    expect(results.every((result) => result.remainingQuantity >= 0)).toBe(true);
    expect(await state(offerId)).toEqual({
      postgresSold: 100,
      postgresReservedRows: 100,
      postgresHeld: 100,
      redisSold: 100,
    });
    const view = await stack.call<{ timeSale: SaleView }>(null, TIME_SALE, { id: sale.id });
    expect(view.data?.timeSale).toMatchObject({
      status: 'SOLD_OUT',
      products: [{ remainingQuantity: 0, soldQuantity: 100 }],
    });
    const transitions = await stack.sql<{ kind: string }>(
      'SELECT kind::text FROM time_sale_transitions WHERE time_sale_id = $1::uuid ORDER BY kind',
      sale.id,
    );
    expect(transitions.map((row) => row.kind)).toContain('SOLD_OUT');
    const [events] = await stack.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_messages
       WHERE routing_key = 'timesales.sale.sold-out' AND payload->>'timeSaleId' = $1`,
      sale.id,
    );
    expect(events?.n).toBe(1);
  });

  it('holds the per-user limit in the rush: limit 2, 667 shoppers trying 3 each for 100 units', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 100, perUserLimit: 2 });
    const users = Array.from({ length: 667 }, () => newId());
    const attempts = [...users, ...users.toReversed(), ...users].map((userId) => request(offerId, { userId }));
    const results = await Promise.all(attempts.map((attempt) => stock().reserve(attempt)));
    expect(countOutcomes(results).RESERVED).toBe(100);
    const perUser = await stack.sql<{ user_id: string; held: number }>(
      `SELECT user_id::text, sum(quantity)::int AS held FROM sale_reservations
       WHERE time_sale_product_id = $1::uuid AND status = 'RESERVED' GROUP BY user_id`,
      offerId,
    );
    expect(Math.max(...perUser.map((row) => row.held))).toBeLessThanOrEqual(2);
    expect(perUser.reduce((sum, row) => sum + row.held, 0)).toBe(100);
    const redisHeld = await stack.redis.hgetall(`${stack.prefix}{tsp:${offerId}}:users`);
    expect(Object.fromEntries(perUser.map((row) => [row.user_id, String(row.held)]))).toEqual(redisHeld);
  });

  it('gives each of 40 shoppers trying 3 each exactly their limit of 2 when there is enough', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 200, perUserLimit: 2 });
    const users = Array.from({ length: 40 }, () => newId());
    const results = await Promise.all(
      [...users, ...users, ...users].map((userId) => stock().reserve(request(offerId, { userId }))),
    );
    expect(countOutcomes(results)).toEqual({ RESERVED: 80, LIMIT_EXCEEDED: 40 });
    expect(await state(offerId)).toMatchObject({ postgresSold: 80, redisSold: 80 });
  });
});

describe('deciding one reservation', () => {
  it('answers by the clock, the quantity left and the product', async () => {
    const { sale, offerId } = await liveOffer({ totalQuantity: 3 });
    expect((await stock().reserve(request(offerId, { quantity: 4 }))).outcome).toBe('INSUFFICIENT_QUANTITY');
    expect((await stock().reserve(request(newId()))).outcome).toBe('NOT_FOUND');
    stack.clock.set(new Date(new Date(sale.startAt).getTime() - 1));
    expect((await stock().reserve(request(offerId))).outcome).toBe('NOT_STARTED');
    stack.clock.set(new Date(sale.startAt));
    expect(await stock().reserve(request(offerId, { quantity: 3 }))).toEqual({
      outcome: 'RESERVED',
      remainingQuantity: 0,
    });
    expect((await stock().reserve(request(offerId))).outcome).toBe('SOLD_OUT');
    stack.clock.set(new Date(sale.endAt));
    expect((await stock().reserve(request(offerId))).outcome).toBe('ENDED');
  });

  it('answers a replayed order the same, and counts it once', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 2 });
    const first = request(offerId, { quantity: 2 });
    const answers = await Promise.all([stock().reserve(first), stock().reserve(first), stock().reserve(first)]);
    expect(answers.map((answer) => answer.outcome)).toEqual(['RESERVED', 'RESERVED', 'RESERVED']);
    // a replay asking for another quantity gets the first answer, and holds what the first took
    expect((await stock().reserve({ ...first, quantity: 1 })).outcome).toBe('RESERVED');
    expect(await state(offerId)).toMatchObject({ postgresSold: 2, postgresHeld: 2, redisSold: 2 });
    const refused = request(offerId);
    expect((await stock().reserve(refused)).outcome).toBe('SOLD_OUT');
    await stock().release(first.orderId);
    // quantity is back, but a refused order stays refused: the saga may already have acted on it
    expect((await stock().reserve(refused)).outcome).toBe('SOLD_OUT');
    expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 0 });
  });
});

describe('releasing', () => {
  it('gives quantity back once, however often the release is delivered', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 10, perUserLimit: 3 });
    const order = request(offerId, { quantity: 3 });
    await stock().reserve(order);
    expect(await state(offerId)).toMatchObject({ postgresSold: 3, redisSold: 3 });

    const releases = await Promise.all([stock().release(order.orderId), stock().release(order.orderId)]);
    expect(releases.map((release) => release.released).sort()).toEqual([0, 1]);
    expect((await stock().release(order.orderId)).released).toBe(0);
    expect(await state(offerId)).toEqual({ postgresSold: 0, postgresReservedRows: 0, postgresHeld: 0, redisSold: 0 });
    expect(await stack.redis.hget(`${stack.prefix}{tsp:${offerId}}:users`, order.userId)).toBeNull();
    // the order cannot take it again; the shopper's limit is free for a new order
    expect((await stock().reserve(order)).outcome).toBe('ALREADY_RELEASED');
    expect((await stock().reserve(request(offerId, { userId: order.userId, quantity: 3 }))).outcome).toBe('RESERVED');
  });

  it('refuses a reserve that arrives after the release of its order', async () => {
    const { offerId } = await liveOffer();
    const order = request(offerId);
    expect(await stock().release(order.orderId)).toEqual({ released: 0 });
    expect((await stock().reserve(order)).outcome).toBe('ALREADY_RELEASED');
    expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 0 });
  });

  it('finishes the Redis side of a release a crash interrupted when the release is redelivered', async () => {
    const { offerId } = await liveOffer();
    const order = request(offerId);
    await stock().reserve(order);
    // PostgreSQL committed the release; the process died before Redis heard of it.
    await stack.sql(`INSERT INTO released_orders (order_id) VALUES ($1::uuid)`, order.orderId);
    await stack.sql(
      `UPDATE sale_reservations SET status = 'RELEASED', released_at = now() WHERE order_id = $1::uuid`,
      order.orderId,
    );
    await stack.sql(`UPDATE time_sale_products SET sold_quantity = sold_quantity - 1 WHERE id = $1::uuid`, offerId);
    expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 1 });
    expect(await stock().release(order.orderId)).toEqual({ released: 0 });
    expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 0 });
  });
});

describe('Redis and PostgreSQL together', () => {
  it('forgets in Redis a reservation PostgreSQL could not record, so the order can try again', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 5 });
    const order = request(offerId);
    await stack.sql(`
      CREATE FUNCTION refuse_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the database refuses this order'; END; $$`);
    await stack.sql(`
      CREATE TRIGGER refuse_reservation BEFORE INSERT ON sale_reservations
      FOR EACH ROW WHEN (NEW.order_id = '${order.orderId}'::uuid) EXECUTE FUNCTION refuse_reservation()`);
    try {
      await expect(stock().reserve(order)).rejects.toThrow();
      expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 0 });
      expect(await stack.redis.hget(`${stack.prefix}{tsp:${offerId}}:orders`, order.orderId)).toBeNull();
    } finally {
      await stack.sql('DROP TRIGGER refuse_reservation ON sale_reservations');
      await stack.sql('DROP FUNCTION refuse_reservation()');
    }
    expect((await stock().reserve(order)).outcome).toBe('RESERVED');
    expect(await state(offerId)).toMatchObject({ postgresSold: 1, redisSold: 1 });
  });

  it('records, at start-up, reservations only Redis has, and gives back those whose order was released', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 10 });
    const keys = (name: string) => `${stack.prefix}{tsp:${offerId}}:${name}`;
    // Redis accepted these; the process died before PostgreSQL recorded them.
    const orphan = request(offerId, { quantity: 2 });
    const releasedMeanwhile = request(offerId, { quantity: 3 });
    for (const accepted of [orphan, releasedMeanwhile]) {
      await stack.services.redis.saleReserve(
        keys('meta'),
        keys('sold'),
        keys('orders'),
        keys('users'),
        accepted.orderId,
        accepted.userId,
        accepted.quantity,
        stack.clock.now().getTime(),
      );
    }
    await stock().release(releasedMeanwhile.orderId); // the saga gave up on it: nothing in PostgreSQL to release
    expect(await state(offerId)).toMatchObject({ postgresSold: 0, redisSold: 5 });

    const replica = await stack.startReplica();
    expect(await state(offerId)).toEqual({ postgresSold: 2, postgresReservedRows: 1, postgresHeld: 2, redisSold: 2 });
    expect(await stack.redis.hget(keys('orders'), releasedMeanwhile.orderId)).toBe(
      `RELEASED:3:${releasedMeanwhile.userId}`,
    );
    await replica.stop();
    // a second reconciliation finds nothing to do
    expect(
      await reconcileSaleStock({
        ...stack.services,
        stock: stack.services.saleStock,
        logger: testLogger('reconcile'),
      }),
    ).toEqual({ restored: [], recorded: 0, givenBack: 0, adopted: 0 });
  });

  it('records what Redis holds when the order of a reservation it never recorded comes again', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 10 });
    const keys = (name: string) => `${stack.prefix}{tsp:${offerId}}:${name}`;
    const order = request(offerId, { quantity: 2 });
    // Redis accepted it; the process died before PostgreSQL recorded it and the saga retries
    await stack.services.redis.saleReserve(
      keys('meta'),
      keys('sold'),
      keys('orders'),
      keys('users'),
      order.orderId,
      order.userId,
      order.quantity,
      stack.clock.now().getTime(),
    );
    expect((await stock().reserve({ ...order, quantity: 5 })).outcome).toBe('RESERVED');
    expect(await state(offerId)).toEqual({ postgresSold: 2, postgresReservedRows: 1, postgresHeld: 2, redisSold: 2 });
  });

  it('rebuilds lost Redis state from PostgreSQL at start-up, limits and answers included', async () => {
    const { sale, offerId } = await liveOffer({ totalQuantity: 10, perUserLimit: 2 });
    const shopper = newId();
    const kept = request(offerId, { userId: shopper, quantity: 2 });
    const released = request(offerId, { quantity: 1 });
    await stock().reserve(kept);
    await stock().reserve(released);
    await stock().release(released.orderId);
    const keys = (name: string) => `${stack.prefix}{tsp:${offerId}}:${name}`;
    const before = await Promise.all([
      stack.redis.hgetall(keys('meta')),
      stack.redis.get(keys('sold')),
      stack.redis.hgetall(keys('orders')),
      stack.redis.hgetall(keys('users')),
    ]);
    await stack.redis.del(keys('meta'), keys('sold'), keys('orders'), keys('users'));
    expect((await stock().reserve(request(offerId))).outcome).toBe('NOT_FOUND');
    // while Redis has nothing, reads fall back to PostgreSQL
    const meanwhile = await stack.call<{ timeSale: SaleView }>(null, TIME_SALE, { id: sale.id });
    expect(meanwhile.data?.timeSale.products[0]?.remainingQuantity).toBe(8);

    const replica = await stack.startReplica();
    await replica.stop();
    const after = await Promise.all([
      stack.redis.hgetall(keys('meta')),
      stack.redis.get(keys('sold')),
      stack.redis.hgetall(keys('orders')),
      stack.redis.hgetall(keys('users')),
    ]);
    expect(after).toEqual(before);
    expect((await stock().reserve(kept)).outcome).toBe('RESERVED'); // same answer, counted once
    expect((await stock().reserve(released)).outcome).toBe('ALREADY_RELEASED');
    expect((await stock().reserve(request(offerId, { userId: shopper }))).outcome).toBe('LIMIT_EXCEEDED');
    expect(await state(offerId)).toMatchObject({ postgresSold: 2, redisSold: 2 });
  });

  it('counts again in Redis a reservation PostgreSQL committed while the caller saw a failure', async () => {
    const { offerId } = await liveOffer({ totalQuantity: 10 });
    const order = request(offerId, { quantity: 2 });
    await stock().reserve(order);
    // The commit reached PostgreSQL but its answer was lost: Redis forgot the reservation.
    await stock().giveBack(offerId, order.orderId, 'forget');
    expect(await state(offerId)).toMatchObject({ postgresSold: 2, redisSold: 0 });
    const report = await reconcileSaleStock({
      ...stack.services,
      stock: stack.services.saleStock,
      logger: testLogger('r'),
    });
    expect(report).toMatchObject({ adopted: 1 });
    expect(await state(offerId)).toMatchObject({ postgresSold: 2, redisSold: 2 });
    expect((await stock().reserve(order)).outcome).toBe('RESERVED');
    await eventually(async () => (await state(offerId)).redisSold === 2);
  });
});

it('keeps sale quantity apart from sales that are not live yet', async () => {
  stack.clock.set(undefined);
  const product = await knownProduct(stack);
  const sale = await createSale(stack, {
    startInMs: 5 * HOUR,
    endInMs: 6 * HOUR,
    products: [saleProductInput(product)],
  });
  const result = await stock().reserve(request(sale.products[0]?.id as string));
  expect(result).toEqual({ outcome: 'NOT_STARTED', remainingQuantity: 100 });
});
