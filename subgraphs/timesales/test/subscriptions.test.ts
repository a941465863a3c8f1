import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { delayToNextSecond } from '../src/domain/live/countdown-rules.js';
import {
  createSale,
  createSaleSoon,
  eventually,
  HOUR,
  type KnownProduct,
  knownProduct,
  PATIENCE,
  type RunningTimesales,
  saleProductInput,
  startTimesalesStack,
  type TimesalesStack,
} from './support.js';

jest.setTimeout(30_000);

let stack: TimesalesStack;
beforeAll(async () => {
  // The stack's own process runs no scheduler: tests fire transitions, or start a replica that does.
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

interface Received<T> {
  readonly data?: T;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
  /** Date.now() when it arrived. */
  readonly arrivedAt: number;
}

/** One subscription's events as they arrive, and how it ended. */
class Follower<T> {
  readonly received: Received<T>[] = [];
  completed = false;
  failure: unknown;
  private waiters: (() => void)[] = [];

  push(event: Received<T>): void {
    this.received.push(event);
    this.wake();
  }

  end(failure?: unknown): void {
    this.completed = failure === undefined;
    this.failure = failure;
    this.wake();
  }

  /** The events' data, in order. */
  get events(): T[] {
    return this.received.flatMap((event) => (event.data ? [event.data] : []));
  }

  /** Waits until `count` events have arrived (or the stream ended); fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = PATIENCE): Promise<Received<T>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && !this.completed && this.failure === undefined) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.received.length} of ${count} events after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  /** Waits until the stream completes or fails. */
  async waitForEnd(timeoutMs = PATIENCE): Promise<void> {
    await eventually(() => this.completed || this.failure !== undefined, timeoutMs);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

async function follow<T>(
  query: string,
  variables: Record<string, unknown>,
  options: { viewer?: Viewer | null; signed?: boolean; on?: RunningTimesales } = {},
): Promise<Follower<T>> {
  const subgraph = options.on ?? stack.subgraph;
  const client = createClient({
    url: subgraph.subscriptionsUrl as string,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(options.signed === false ? {} : { connectionParams: await stack.signedContext(options.viewer ?? null) }),
  });
  clients.push(client);
  const follower = new Follower<T>();
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) =>
        follower.push({
          ...(result.data ? { data: result.data as T } : {}),
          ...(result.errors ? { errors: result.errors as Received<T>['errors'] } : {}),
          arrivedAt: Date.now(),
        }),
      error: (error) => follower.end(error ?? 'error'),
      complete: () => follower.end(),
    },
  );
  return follower;
}

const LOWEST_PRICE_CHANGED = /* GraphQL */ `
  subscription($productIds: [ID!]!) {
    lowestPriceChanged(productIds: $productIds) {
      productId product { id } lowestPrice { amount regularPrice source discountRate validUntil timeSale { id } }
    }
  }
`;

interface PriceEvent {
  lowestPriceChanged: {
    productId: string;
    product: { id: string };
    lowestPrice: { amount: number; regularPrice: number; source: string; timeSale: { id: string } | null } | null;
  };
}

const COUNTDOWN = /* GraphQL */ `
  subscription($timeSaleId: ID!) {
    timeSaleCountdown(timeSaleId: $timeSaleId) {
      timeSaleId status secondsUntilStart secondsUntilEnd remainingQuantity at
    }
  }
`;

interface CountdownEvent {
  timeSaleCountdown: {
    timeSaleId: string;
    status: string;
    secondsUntilStart: number;
    secondsUntilEnd: number;
    remainingQuantity: number;
    at: string;
  };
}

const changePrice = (
  product: KnownProduct,
  version: number,
  price: number,
  discountAmount: number,
  on: RunningTimesales = stack.subgraph,
) =>
  on.services.catalogProjection.apply({
    messageId: newId(),
    routingKey: 'catalog.product.price-changed',
    payload: {
      productId: product.productId,
      brandId: product.brandId,
      version,
      occurredAt: new Date().toISOString(),
      price,
      discountAmount,
      salePrice: price - discountAmount,
    },
  });

const amounts = (events: readonly PriceEvent[]) =>
  Object.fromEntries(
    events.map((event) => [event.lowestPriceChanged.productId, event.lowestPriceChanged.lowestPrice?.amount]),
  );

describe('lowestPriceChanged', () => {
  it('sends the current lowest price of each product, then each change as it is made', async () => {
    // The clock holds still: no cached answer expires and nothing else recomputes a price, so
    // an event after the first answers can only be the push of a change.
    stack.clock.set(new Date());
    const [regular, discounted] = await Promise.all([
      knownProduct(stack, { price: 30_000 }),
      knownProduct(stack, { price: 50_000, discountAmount: 5_000 }),
    ]);
    const follower = await follow<PriceEvent>(LOWEST_PRICE_CHANGED, {
      productIds: [regular.productId, discounted.productId, regular.productId],
    });
    await follower.waitFor(2);
    expect(amounts(follower.events)).toEqual({ [regular.productId]: 30_000, [discounted.productId]: 45_000 });
    expect(follower.events[0]?.lowestPriceChanged.product).toEqual({
      id: follower.events[0]?.lowestPriceChanged.productId,
    });

    await changePrice(regular, 2, 30_000, 3_000);
    const [, , change] = await follower.waitFor(3);
    expect(change?.data?.lowestPriceChanged).toEqual({
      productId: regular.productId,
      product: { id: regular.productId },
      lowestPrice: {
        amount: 27_000,
        regularPrice: 30_000,
        source: 'PRODUCT_DISCOUNT',
        discountRate: 10,
        validUntil: null,
        timeSale: null,
      },
    });
    // An event that changes nothing is not sent: the next event is the change after it (both
    // are published in order on one Redis connection, so the first would have come first).
    await changePrice(regular, 3, 30_000, 3_000);
    await changePrice(regular, 4, 30_000, 6_000);
    const [, , , next] = await follower.waitFor(4);
    expect(next?.data?.lowestPriceChanged).toMatchObject({
      productId: regular.productId,
      lowestPrice: { amount: 24_000 },
    });
    expect(follower.received).toHaveLength(4);
  });

  it('reaches a subscriber of another replica, and follows sales starting and selling out', async () => {
    const replica = await stack.startReplica();
    stack.clock.set(new Date());
    const product = await knownProduct(stack, { price: 100_000 });
    const sale = await createSale(stack, {
      products: [saleProductInput(product, { discountRate: 30, totalQuantity: 1 })],
    });
    const follower = await follow<PriceEvent>(
      LOWEST_PRICE_CHANGED,
      { productIds: [product.productId] },
      { on: replica },
    );
    await follower.waitFor(1);

    stack.clock.set(new Date(sale.startAt));
    await stack.services.transitions.fireDue(); // on the stack's process, not the replica's
    await follower.waitFor(2);
    await stack.services.saleStock.reserve({
      orderId: newId(),
      userId: newId(),
      timeSaleProductId: sale.products[0]?.id as string,
      quantity: 1,
    });
    await follower.waitFor(3);
    expect(follower.events.map((event) => event.lowestPriceChanged.lowestPrice)).toEqual([
      expect.objectContaining({ amount: 100_000, source: 'REGULAR' }),
      expect.objectContaining({ amount: 70_000, source: 'TIME_SALE', timeSale: { id: sale.id } }),
      expect.objectContaining({ amount: 100_000, source: 'REGULAR' }),
    ]);
  });

  it("pushes at the start of a sale product's own window (the selling-boundaries scheduler)", async () => {
    await stack.startReplica({ SALE_SCHEDULER: 'true' });
    const product = await knownProduct(stack, { price: 10_000 });
    // Following before the sale exists: the first answer is the regular price, whenever it comes.
    const follower = await follow<PriceEvent>(LOWEST_PRICE_CHANGED, { productIds: [product.productId] });
    await follower.waitFor(1);
    // The sale starts in half a second, the product's own window a second later: the sale's start
    // changes nothing (the product does not sell yet); its window's start halves the price. A
    // boundary that passed before the scheduler heard of the sale is caught up on its next pass.
    const now = new Date();
    await createSaleSoon(stack, now, {
      startInMs: 500,
      endInMs: HOUR,
      products: [
        saleProductInput(product, { discountRate: 50, startAt: new Date(now.getTime() + 1_500).toISOString() }),
      ],
    });
    await follower.waitFor(2);
    expect(follower.events.map((event) => event.lowestPriceChanged.lowestPrice?.amount)).toEqual([10_000, 5_000]);
  });

  it.each([
    ['no products', () => []],
    ['101 products', () => Array.from({ length: 101 }, () => newId())],
    ['an id that is no id', () => [newId(), 'shoe-1']],
  ])('refuses %s with BAD_USER_INPUT', async (_case, productIds) => {
    const follower = await follow<PriceEvent>(LOWEST_PRICE_CHANGED, { productIds: productIds() });
    const [first] = await follower.waitFor(1);
    expect(first?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await follower.waitForEnd();
    expect(follower.completed).toBe(true);
  });
});

describe('timeSaleCountdown', () => {
  it('sends the countdown at once, then a tick on every whole second', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 2 * HOUR,
      products: [
        saleProductInput(product, { totalQuantity: 70 }),
        saleProductInput(await knownProduct(stack), { totalQuantity: 30 }),
      ],
    });
    // At once: the first event is there as soon as the subscription is, before any tick.
    const stream = await stack.services.countdowns.follow(sale.id);
    const immediately = await Promise.race([
      stream.next(),
      new Promise((resolve) => setImmediate(() => resolve('nothing yet'))),
    ]);
    await stream.return?.();
    expect(immediately).toMatchObject({ done: false, value: { timeSaleId: sale.id, status: 'SCHEDULED' } });

    const subscribedAt = Date.now();
    const follower = await follow<CountdownEvent>(COUNTDOWN, { timeSaleId: sale.id });
    const [first, second, third] = await follower.waitFor(3);
    const atOf = (event: Received<CountdownEvent> | undefined) =>
      new Date(event?.data?.timeSaleCountdown.at as string).getTime();
    expect(first?.data?.timeSaleCountdown).toMatchObject({
      timeSaleId: sale.id,
      status: 'SCHEDULED',
      remainingQuantity: 100,
      secondsUntilStart: Math.ceil((new Date(sale.startAt).getTime() - atOf(first)) / 1000),
    });
    expect(atOf(first)).toBeGreaterThanOrEqual(subscribedAt);
    // Then one tick per whole second: each aimed at the next whole second of the clock (see
    // delayToNextSecond below), so the ticks fall in consecutive seconds, however late a busy
    // machine runs its timers.
    const seconds = [first, second, third].map((event) => Math.floor(atOf(event) / 1000));
    expect([1, 2]).toContain((seconds[1] as number) - (seconds[0] as number)); // 2: subscribed just before a second
    expect((seconds[2] as number) - (seconds[1] as number)).toBe(1);
    expect(
      (first?.data?.timeSaleCountdown.secondsUntilStart as number) -
        (third?.data?.timeSaleCountdown.secondsUntilStart as number),
    ).toBeGreaterThanOrEqual(1);
  });

  it('aims every tick at the next whole second of the clock, never a few milliseconds after the last', () => {
    expect(delayToNextSecond(Date.UTC(2026, 10, 30, 12, 0, 0, 300))).toBe(700);
    expect(delayToNextSecond(Date.UTC(2026, 10, 30, 12, 0, 0, 0))).toBe(1_000);
    // a timer that fired a moment early waits for the second after, not 10 ms
    expect(delayToNextSecond(Date.UTC(2026, 10, 30, 12, 0, 0, 990))).toBe(1_010);
  });

  it('sends a status change at once when any replica fires it', async () => {
    await stack.startReplica({ SALE_SCHEDULER: 'true' });
    const product = await knownProduct(stack);
    // A start just after a whole second, 3 s ahead: the next tick is 900 ms after it.
    const now = new Date();
    const startAt = Math.ceil((now.getTime() + 3_000) / 1000) * 1000 + 100;
    const sale = await createSaleSoon(stack, now, {
      startInMs: startAt - now.getTime(),
      endInMs: HOUR,
      products: [saleProductInput(product)],
    });
    const follower = await follow<CountdownEvent>(COUNTDOWN, { timeSaleId: sale.id });
    await eventually(() => follower.events.some((event) => event.timeSaleCountdown.status === 'LIVE'));
    const live = follower.received.find((event) => event.data?.timeSaleCountdown.status === 'LIVE');
    const at = new Date(live?.data?.timeSaleCountdown.at as string).getTime();
    expect(at).toBeGreaterThanOrEqual(new Date(sale.startAt).getTime());
    // the transition's announcement, before the next tick (the whole second after the start) could show it
    expect(at).toBeLessThan(Math.ceil(new Date(sale.startAt).getTime() / 1000) * 1000);
    expect(live?.data?.timeSaleCountdown).toMatchObject({ secondsUntilStart: 0, remainingQuantity: 100 });
  });

  it('sends SOLD_OUT as the last unit sells, and completes after ENDED', async () => {
    stack.clock.set(new Date());
    const sale = await createSale(stack, {
      products: [saleProductInput(await knownProduct(stack), { totalQuantity: 2 })],
    });
    stack.clock.set(new Date(new Date(sale.startAt).getTime() + 60_000));
    const follower = await follow<CountdownEvent>(COUNTDOWN, { timeSaleId: sale.id });
    await follower.waitFor(1);
    await stack.services.saleStock.reserve({
      orderId: newId(),
      userId: newId(),
      timeSaleProductId: sale.products[0]?.id as string,
      quantity: 2,
    });
    await eventually(() => follower.events.some((event) => event.timeSaleCountdown.status === 'SOLD_OUT'));
    stack.clock.set(new Date(sale.endAt));
    await stack.services.transitions.fireDue();
    await follower.waitForEnd();
    expect(follower.completed).toBe(true);
    const statuses = follower.events.map((event) => event.timeSaleCountdown.status);
    expect(statuses.filter((status, index) => status !== statuses[index - 1])).toEqual(['LIVE', 'SOLD_OUT', 'ENDED']);
    expect(follower.events.at(-1)?.timeSaleCountdown).toMatchObject({
      status: 'ENDED',
      secondsUntilEnd: 0,
      remainingQuantity: 0,
    });
  });

  it('answers NOT_FOUND for a sale that does not exist', async () => {
    const follower = await follow<CountdownEvent>(COUNTDOWN, { timeSaleId: newId() });
    const [first] = await follower.waitFor(1);
    expect(first?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

it.each([
  ['lowestPriceChanged', LOWEST_PRICE_CHANGED, () => ({ productIds: [newId()] })],
  ['timeSaleCountdown', COUNTDOWN, () => ({ timeSaleId: newId() })],
])('refuses %s without the signed context of the gateway (4401)', async (_field, query, variables) => {
  const follower = await follow(query, variables(), { signed: false });
  await follower.waitForEnd();
  expect((follower.failure as { code?: number }).code).toBe(4401);
});
