import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { testLogger } from '@radiata/testing';
import type { Redis } from 'ioredis';
import { computeLowestPrice, type SaleOffer } from '../src/domain/pricing/lowest-price-rules.js';
import { CATALOG_EXCHANGE } from '../src/messaging/catalog-events.js';
import {
  createSale,
  DELETE_TIME_SALE,
  eventually,
  HOUR,
  knownProduct,
  RABBITMQ_URL,
  type SaleView,
  SECOND,
  saleProductInput,
  startTimesalesStack,
  type TimesalesStack,
  UPDATE_TIME_SALE_PRODUCT,
} from './support.js';

jest.setTimeout(60_000);

const TTL = 30 * SECOND;
const MAX_AGE = 300 * SECOND;

let stack: TimesalesStack;
let publisher: Rabbit;
beforeAll(async () => {
  // No scheduler in this process: the tests fire transitions themselves, at the instants they set.
  stack = await startTimesalesStack({
    SALE_SCHEDULER: 'false',
    LOWEST_PRICE_TTL_MS: String(TTL),
    LOWEST_PRICE_MAX_AGE_MS: String(MAX_AGE),
  });
  // The catalog's exchange in this run's namespace, as the catalog's outbox relay publishes to it.
  publisher = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'timesales-lowest-price-test-publisher',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await publisher.close();
  await stack.stop();
});
beforeEach(() => stack.clock.set(new Date()));
afterEach(() => stack.clock.set(undefined));

interface PriceView {
  readonly amount: number;
  readonly regularPrice: number;
  readonly discountRate: number | null;
  readonly source: string;
  readonly validUntil: string | null;
  readonly timeSale: { readonly id: string } | null;
}

const PRICES = /* GraphQL */ `
  query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product { id lowestPrice { amount regularPrice discountRate source validUntil timeSale { id } } }
    }
  }
`;

async function pricesOf(productIds: readonly string[]): Promise<(PriceView | null)[]> {
  const result = await stack.call<{ _entities: { id: string; lowestPrice: PriceView | null }[] }>(null, PRICES, {
    representations: productIds.map((id) => ({ __typename: 'Product', id })),
  });
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data._entities.map((entity) => entity.lowestPrice);
}

const priceOf = async (productId: string) => (await pricesOf([productId]))[0] ?? null;

/** Moves the stack clock to `ms` after `iso`. */
const setClock = (iso: string, ms = 0) => stack.clock.set(new Date(new Date(iso).getTime() + ms));
const advance = (ms: number) => stack.clock.set(new Date(stack.clock.now().getTime() + ms));

const offerIdOf = (sale: SaleView, index = 0) => sale.products[index]?.id as string;

const reserve = (offerId: string, quantity = 1) =>
  stack.services.saleStock.reserve({ orderId: newId(), userId: newId(), timeSaleProductId: offerId, quantity });

/** Counts what the service's Redis client writes to its socket: one write per command or pipeline (a round trip). */
function countRedisRoundTrips(redis: Redis) {
  const socket = (redis as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
  const spy = jest.spyOn(socket, 'write');
  return {
    get count() {
      return spy.mock.calls.length;
    },
    restore: () => spy.mockRestore(),
  };
}

describe('the lowest price', () => {
  it('is the regular price when nothing is off', async () => {
    const product = await knownProduct(stack, { price: 59_000 });
    expect(await priceOf(product.productId)).toEqual({
      amount: 59_000,
      regularPrice: 59_000,
      discountRate: null,
      source: 'REGULAR',
      validUntil: null,
      timeSale: null,
    });
  });

  it("is the product's own discount, its rate rounded down", async () => {
    const product = await knownProduct(stack, { price: 59_000, discountAmount: 9_000 });
    expect(await priceOf(product.productId)).toEqual({
      amount: 50_000,
      regularPrice: 59_000,
      discountRate: 15, // 15.25 %
      source: 'PRODUCT_DISCOUNT',
      validUntil: null,
      timeSale: null,
    });
  });

  it('is a time sale while it sells and is cheaper: price − floor(price × rate / 100), until its end', async () => {
    const product = await knownProduct(stack, { price: 99_999, discountAmount: 10_000 });
    const sale = await createSale(stack, { products: [saleProductInput(product, { discountRate: 33 })] });
    expect((await priceOf(product.productId))?.source).toBe('PRODUCT_DISCOUNT'); // not started

    setClock(sale.startAt);
    expect(await priceOf(product.productId)).toEqual({
      amount: 67_000, // 99,999 − floor(32,999.67)
      regularPrice: 99_999,
      discountRate: 32, // 32,999 / 99,999 = 32.9993 %
      source: 'TIME_SALE',
      validUntil: sale.endAt,
      timeSale: { id: sale.id },
    });
    setClock(sale.endAt, -1);
    expect((await priceOf(product.productId))?.source).toBe('TIME_SALE');
    setClock(sale.endAt);
    expect((await priceOf(product.productId))?.amount).toBe(89_999);
  });

  it("goes to the product's own price on a tie", async () => {
    const product = await knownProduct(stack, { price: 100_000, discountAmount: 20_000 });
    const sale = await createSale(stack, { products: [saleProductInput(product, { discountRate: 20 })] });
    setClock(sale.startAt, 1);
    expect(await priceOf(product.productId)).toMatchObject({
      amount: 80_000,
      source: 'PRODUCT_DISCOUNT',
      timeSale: null,
    });
  });

  it('follows the sale selling now when the product is in sales with different windows', async () => {
    const product = await knownProduct(stack, { price: 200_000, discountAmount: 30_000 }); // 15 %
    // Two overlapping sales; the product sells in the first hour of one and the second of the other.
    const first = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 3 * HOUR,
      products: [saleProductInput(product, { discountRate: 20, endAt: new Date(Date.now() + 2 * HOUR).toISOString() })],
    });
    const second = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 3 * HOUR,
      products: [
        saleProductInput(product, { discountRate: 40, startAt: new Date(Date.now() + 2 * HOUR).toISOString() }),
      ],
    });
    // A cheaper one later that does not sell yet.
    await createSale(stack, {
      startInMs: 4 * HOUR,
      endInMs: 5 * HOUR,
      products: [saleProductInput(product, { discountRate: 60 })],
    });

    setClock(first.startAt, 30 * 60_000);
    expect(await priceOf(product.productId)).toMatchObject({
      amount: 160_000,
      source: 'TIME_SALE',
      timeSale: { id: first.id },
      validUntil: first.products[0]?.endAt,
    });
    setClock(second.products[0]?.startAt as string, 30 * 60_000);
    expect(await priceOf(product.productId)).toMatchObject({
      amount: 120_000,
      source: 'TIME_SALE',
      timeSale: { id: second.id },
      validUntil: second.endAt,
    });
    setClock(second.endAt, 1);
    expect(await priceOf(product.productId)).toMatchObject({ amount: 170_000, source: 'PRODUCT_DISCOUNT' });
  });

  it('stops counting a sold-out sale, and counts it again when a release gives quantity back', async () => {
    const product = await knownProduct(stack, { price: 50_000, discountAmount: 5_000 });
    const other = await knownProduct(stack, { price: 10_000 }); // keeps the sale from selling out as a whole
    const sale = await createSale(stack, {
      products: [saleProductInput(product, { discountRate: 30, totalQuantity: 2 }), saleProductInput(other)],
    });
    setClock(sale.startAt, 1);
    expect((await priceOf(product.productId))?.amount).toBe(35_000);
    const orderId = newId();
    await stack.services.saleStock.reserve({
      orderId,
      userId: newId(),
      timeSaleProductId: offerIdOf(sale),
      quantity: 1,
    });
    await reserve(offerIdOf(sale));
    stack.queries.reset();
    expect(await priceOf(product.productId)).toMatchObject({ amount: 45_000, source: 'PRODUCT_DISCOUNT' });
    expect(stack.queries.count).toBe(0); // the reservation that sold it out recomputed it already
    await stack.services.saleStock.release(orderId);
    stack.queries.reset();
    expect(await priceOf(product.productId)).toMatchObject({ amount: 35_000, source: 'TIME_SALE' });
    expect(stack.queries.count).toBe(1); // recomputed by the release; the read only resolves timeSale
  });

  it('is null for a product the projection does not know, or that the catalog deleted', async () => {
    const product = await knownProduct(stack);
    await stack.services.catalogProjection.apply({
      messageId: newId(),
      routingKey: 'catalog.product.deleted',
      payload: {
        productId: product.productId,
        brandId: product.brandId,
        version: 2,
        occurredAt: new Date().toISOString(),
      },
    });
    expect(await pricesOf([newId(), product.productId, 'not-an-id'])).toEqual([null, null, null]);
  });
});

describe('computeLowestPrice', () => {
  const now = new Date('2026-11-27T15:30:00Z');
  const offer = (id: string, discountRate: number, overrides: Partial<SaleOffer> = {}): SaleOffer => ({
    timeSaleProductId: id,
    timeSaleId: `sale-${id}`,
    discountRate,
    startAt: new Date('2026-11-27T15:00:00Z'),
    endAt: new Date('2026-11-27T16:00:00Z'),
    remainingQuantity: 5,
    ...overrides,
  });
  const product = { productId: 'p', price: 10_000, discountAmount: 1_000 };

  it('takes the lowest of the offers selling now with quantity left, and says when that can change', () => {
    const result = computeLowestPrice(
      product,
      [
        offer('a', 20),
        offer('b', 35, { endAt: new Date('2026-11-27T15:45:00Z') }),
        offer('c', 50, { remainingQuantity: 0 }),
        offer('d', 70, { startAt: new Date('2026-11-27T15:40:00Z') }),
        offer('e', 90, { endAt: new Date('2026-11-27T15:30:00Z') }),
      ],
      now,
    );
    expect(result.price).toMatchObject({
      amount: 6_500,
      source: 'TIME_SALE',
      timeSaleProductId: 'b',
      discountRate: 35,
    });
    expect(result.soldOut).toEqual(['c']);
    expect(result.nextChangeAt).toEqual(new Date('2026-11-27T15:40:00Z'));
  });

  it('between equal sale prices takes the one that holds longest', () => {
    const result = computeLowestPrice(
      product,
      [offer('a', 30, { endAt: new Date('2026-11-27T15:50:00Z') }), offer('b', 30)],
      now,
    );
    expect(result.price.timeSaleProductId).toBe('b');
  });
});

describe('the cache', () => {
  it('serves a second read from Redis without SQL', async () => {
    const product = await knownProduct(stack, { price: 30_000 });
    await priceOf(product.productId);
    stack.queries.reset();
    expect((await priceOf(product.productId))?.amount).toBe(30_000);
    expect(stack.queries.count).toBe(0);
  });

  it('extends an entry on every read (time-to-idle) up to the cap since it was computed', async () => {
    const product = await knownProduct(stack, { price: 30_000 });
    const readCosts = async () => {
      stack.queries.reset();
      await priceOf(product.productId);
      return stack.queries.count;
    };
    // computed when the projection heard of the product
    advance(TTL - SECOND);
    expect(await readCosts()).toBe(0);
    advance(TTL - SECOND); // 2 × TTL after it was computed, but read within the TTL
    expect(await readCosts()).toBe(0);
    advance(TTL); // idle for the whole TTL
    expect(await readCosts()).toBe(1);
    // Read every 20 s: served until the cap since that computation, then computed again.
    const computedAt = stack.clock.now().getTime();
    while (stack.clock.now().getTime() + 20 * SECOND < computedAt + MAX_AGE) {
      advance(20 * SECOND);
      expect(await readCosts()).toBe(0);
    }
    stack.clock.set(new Date(computedAt + MAX_AGE));
    expect(await readCosts()).toBe(1);
  });

  it('is recomputed when a catalog price event arrives through RabbitMQ', async () => {
    const product = await knownProduct(stack, { price: 40_000 });
    expect((await priceOf(product.productId))?.amount).toBe(40_000);
    const messageId = newId();
    await publisher.publish(
      CATALOG_EXCHANGE,
      'catalog.product.price-changed',
      {
        productId: product.productId,
        brandId: product.brandId,
        version: 2,
        occurredAt: new Date().toISOString(),
        price: 44_000,
        discountAmount: 4_000,
        salePrice: 40_000,
      },
      { messageId },
    );
    await eventually(
      async () => (await stack.sql('SELECT 1 FROM inbox_messages WHERE message_id = $1', messageId)).length === 1,
    );
    await eventually(
      async () => (await stack.redis.hget(stack.services.keyspace.lowestPrice(product.productId), 's')) === '0',
    );
    stack.queries.reset();
    expect(await priceOf(product.productId)).toMatchObject({
      amount: 40_000,
      regularPrice: 44_000,
      source: 'PRODUCT_DISCOUNT',
    });
    expect(stack.queries.count).toBe(0); // the consumer stored the new answer
  });

  it('is recomputed when a sale starts, ends, is changed or deleted', async () => {
    const product = await knownProduct(stack, { price: 80_000 });
    const sale = await createSale(stack, { products: [saleProductInput(product, { discountRate: 25 })] });
    expect((await priceOf(product.productId))?.source).toBe('REGULAR');
    const cachedWithoutSQL = async () => {
      stack.queries.reset();
      const price = await priceOf(product.productId);
      return { price, queries: stack.queries.count };
    };

    setClock(sale.startAt);
    await stack.services.transitions.fireDue();
    expect(await cachedWithoutSQL()).toMatchObject({ price: { amount: 60_000, source: 'TIME_SALE' }, queries: 1 }); // 1: timeSale

    // a higher rate while live
    const updated = await stack.call(stack.admin, UPDATE_TIME_SALE_PRODUCT, {
      id: offerIdOf(sale),
      input: { discountRate: 40 },
    });
    expect(updated.errors).toBeUndefined();
    expect(await cachedWithoutSQL()).toMatchObject({ price: { amount: 48_000 }, queries: 1 });

    setClock(sale.endAt);
    await stack.services.transitions.fireDue();
    expect(await cachedWithoutSQL()).toEqual({ price: expect.objectContaining({ source: 'REGULAR' }), queries: 0 });

    // a sale created, then deleted, before it starts: the next boundary follows
    const later = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 2 * HOUR,
      products: [saleProductInput(product, { discountRate: 10 })],
    });
    const key = stack.services.keyspace.lowestPrice(product.productId);
    expect(await stack.redis.hget(key, 'n')).toBe(String(new Date(later.startAt).getTime()));
    expect((await stack.call(stack.admin, DELETE_TIME_SALE, { id: later.id })).errors).toBeUndefined();
    expect(await stack.redis.hget(key, 'n')).toBe('');
  });

  it('answers a page of 100 products with one Redis round trip when cached, one SQL statement when not', async () => {
    const products = await Promise.all(
      Array.from({ length: 100 }, (_, index) => knownProduct(stack, { price: 10_000 + index * 100 })),
    );
    // some of them selling in a sale now (their live quantities come from Redis too)
    const sale = await createSale(stack, {
      products: products.slice(0, 10).map((product) => saleProductInput(product, { discountRate: 10 })),
    });
    setClock(sale.startAt, 1);
    const ids = products.map((product) => product.productId);
    const keys = ids.map((id) => stack.services.keyspace.lowestPrice(id));
    await stack.redis.del(...keys);

    const measure = async () => {
      stack.queries.reset();
      const redis = countRedisRoundTrips(stack.services.redis);
      try {
        const prices = await pricesOf(ids);
        return { prices, sql: stack.queries.count, redis: redis.count };
      } finally {
        redis.restore();
      }
    };
    const cold = await measure();
    // lookup, live quantities of the 10 selling, store (+ 1 SQL: timeSale of the 10)
    expect({ sql: cold.sql, redis: cold.redis }).toEqual({ sql: 2, redis: 3 });
    expect(cold.prices.filter((price) => price?.source === 'TIME_SALE')).toHaveLength(10);
    const warm = await measure();
    expect({ sql: warm.sql, redis: warm.redis }).toEqual({ sql: 1, redis: 1 }); // 1 SQL: timeSale of the 10
    expect(warm.prices).toEqual(cold.prices);
  });
});
