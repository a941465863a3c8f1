import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import {
  ADD_TIME_SALE_PRODUCT,
  at,
  CREATE_TIME_SALE,
  createSale,
  customer,
  DELETE_TIME_SALE,
  HOUR,
  type KnownProduct,
  knownProduct,
  type SaleView,
  saleProductInput,
  seller,
  startTimesalesStack,
  TIME_SALE,
  type TimesalesStack,
  UPDATE_TIME_SALE,
  UPDATE_TIME_SALE_PRODUCT,
} from './support.js';

let stack: TimesalesStack;
beforeAll(async () => {
  // Transitions are tested elsewhere; here they would only add rows while the clock jumps.
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
});
afterAll(() => stack.stop());
// Instants the tests compute must not drift while a test runs.
beforeEach(() => stack.clock.set(new Date()));
afterEach(() => stack.clock.set(undefined));

/**
 * What a refused sale mutation could have written, to prove it wrote nothing: the rows of sales,
 * their products, reservations, transitions and outbox events (their content, not the relay's
 * delivery bookkeeping), and the sale-stock keys in Redis. Nothing else: the lowest-price cache
 * (`{lp:…}`) changes on its own (reads extend entries, Redis expires idle ones), whatever the
 * request did.
 */
async function snapshot(): Promise<string> {
  const queries = [
    'SELECT to_jsonb(t) AS row FROM time_sales t',
    'SELECT to_jsonb(t) AS row FROM time_sale_products t',
    'SELECT to_jsonb(t) AS row FROM sale_reservations t',
    'SELECT to_jsonb(t) AS row FROM time_sale_transitions t',
    'SELECT jsonb_build_array(id, exchange, routing_key, payload, headers, created_at) AS row FROM outbox_messages',
  ];
  const rows = await Promise.all(
    queries.map(async (query) =>
      (await stack.sql<{ row: unknown }>(query)).map((row) => JSON.stringify(row.row)).sort(),
    ),
  );
  const keys = (await stack.redis.keys(`${stack.prefix}{tsp:*`)).sort();
  const values = await Promise.all(
    keys.map(async (key) =>
      (await stack.redis.type(key)) === 'hash' ? stack.redis.hgetall(key) : stack.redis.get(key),
    ),
  );
  return JSON.stringify({ rows, keys, values });
}

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: { errors?: { extensions?: { problems?: { field: string }[] } }[] }) =>
  result.errors?.[0]?.extensions?.problems?.map((problem) => problem.field) ?? [];

const saleInput = (products: Record<string, unknown>[], overrides: Record<string, unknown> = {}) => ({
  title: 'Midnight flash sale',
  startAt: at(stack, HOUR),
  endAt: at(stack, 2 * HOUR),
  products,
  ...overrides,
});

/** Sets the clock `ms` after the sale's start. */
const intoSale = (sale: SaleView, ms = 60_000) => stack.clock.set(new Date(new Date(sale.startAt).getTime() + ms));

describe('creating a time sale', () => {
  it('creates a sale with its products, SCHEDULED, quantities full and rules in Redis', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, {
      products: [saleProductInput(product, { discountRate: 30, totalQuantity: 50, perUserLimit: 2 })],
    });
    expect(sale).toMatchObject({ title: 'Midnight flash sale', status: 'SCHEDULED' });
    expect(sale.products).toEqual([
      {
        id: expect.any(String),
        discountRate: 30,
        totalQuantity: 50,
        soldQuantity: 0,
        remainingQuantity: 50,
        perUserLimit: 2,
        startAt: sale.startAt,
        endAt: sale.endAt,
        product: { id: product.productId },
      },
    ]);
    const meta = await stack.redis.hgetall(`${stack.prefix}{tsp:${sale.products[0]?.id}}:meta`);
    expect(meta).toEqual({
      start: String(new Date(sale.startAt).getTime()),
      end: String(new Date(sale.endAt).getTime()),
      total: '50',
      limit: '2',
      deleted: '0',
    });
  });

  it.each([
    ['a start in the past', { startAt: () => at(stack, -1) }, {}, 'input.startAt'],
    ['an end before the start', { endAt: () => at(stack, HOUR - 1) }, {}, 'input.endAt'],
    ['an empty title', { title: () => '  ' }, {}, 'input.title'],
    ['a zero discount rate', {}, { discountRate: () => 0 }, 'input.products.0.discountRate'],
    ['a 100% discount rate', {}, { discountRate: () => 100 }, 'input.products.0.discountRate'],
    ['a zero quantity', {}, { totalQuantity: () => 0 }, 'input.products.0.totalQuantity'],
    ['a zero per-user limit', {}, { perUserLimit: () => 0 }, 'input.products.0.perUserLimit'],
    ['a product window before the sale', {}, { startAt: () => at(stack, HOUR - 1) }, 'input.products.0.startAt'],
    ['a product window after the sale', {}, { endAt: () => at(stack, 2 * HOUR + 1) }, 'input.products.0.endAt'],
    ['a product id that is no id', {}, { productId: () => 'shoe-1' }, 'input.products.0.productId'],
    ['an unknown product', {}, { productId: () => newId() }, 'input.products.0.productId'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, saleOverrides, productOverrides, field) => {
    const evaluate = (lazy: Record<string, () => unknown>) =>
      Object.fromEntries(Object.entries(lazy).map(([key, value]) => [key, value()]));
    const product = await knownProduct(stack);
    const before = await snapshot();
    const result = await stack.call(stack.admin, CREATE_TIME_SALE, {
      input: saleInput([saleProductInput(product, evaluate(productOverrides))], evaluate(saleOverrides)),
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(result)).toContain(field);
    expect(await snapshot()).toBe(before);
  });

  it('treats a product the catalog deleted as unknown', async () => {
    const product = await knownProduct(stack);
    await stack.services.catalogProjection.apply({
      messageId: newId(),
      routingKey: 'catalog.product.deleted',
      payload: { productId: product.productId, brandId: product.brandId, version: 2 },
    });
    const result = await stack.call(stack.admin, CREATE_TIME_SALE, { input: saleInput([saleProductInput(product)]) });
    expect(fieldsOf(result)).toEqual(['input.products.0.productId']);
  });
});

describe('authorization', () => {
  let owner: Viewer;
  let product: KnownProduct;
  beforeEach(async () => {
    owner = seller();
    product = await knownProduct(stack, { ownerId: owner.id });
  });

  const matrix = (): [string, () => Viewer | null, string | undefined][] => [
    ['an admin', () => stack.admin, undefined],
    ['the seller owning the brand', () => owner, undefined],
    ['another seller', () => seller(), 'FORBIDDEN'],
    ['a customer', () => customer(), 'FORBIDDEN'],
    ['an anonymous caller', () => null, 'UNAUTHENTICATED'],
  ];

  async function expectOutcome(code: string | undefined, run: () => Promise<{ errors?: unknown[] }>) {
    const before = await snapshot();
    const result = await run();
    if (code === undefined) {
      expect(result.errors).toBeUndefined();
    } else {
      expect(codeOf(result as never)).toBe(code);
      expect(await snapshot()).toBe(before);
    }
  }

  it.each(matrix())('createTimeSale by %s', async (_who, viewer, code) => {
    await expectOutcome(code, () =>
      stack.call(viewer(), CREATE_TIME_SALE, { input: saleInput([saleProductInput(product)]) }),
    );
  });

  it.each(matrix())('updateTimeSale by %s', async (_who, viewer, code) => {
    const sale = await createSale(stack, { products: [saleProductInput(product)] });
    await expectOutcome(code, () =>
      stack.call(viewer(), UPDATE_TIME_SALE, { id: sale.id, input: { title: 'Renamed' } }),
    );
  });

  it.each(matrix())('deleteTimeSale by %s', async (_who, viewer, code) => {
    const sale = await createSale(stack, { products: [saleProductInput(product)] });
    await expectOutcome(code, () => stack.call(viewer(), DELETE_TIME_SALE, { id: sale.id }));
  });

  it.each(matrix())('addTimeSaleProduct by %s', async (_who, viewer, code) => {
    const sale = await createSale(stack, { products: [saleProductInput(product)] });
    const another = await knownProduct(stack, { ownerId: owner.id });
    await expectOutcome(code, () =>
      stack.call(viewer(), ADD_TIME_SALE_PRODUCT, { timeSaleId: sale.id, input: saleProductInput(another) }),
    );
  });

  it.each(matrix())('updateTimeSaleProduct by %s', async (_who, viewer, code) => {
    const sale = await createSale(stack, { products: [saleProductInput(product)] });
    await expectOutcome(code, () =>
      stack.call(viewer(), UPDATE_TIME_SALE_PRODUCT, { id: sale.products[0]?.id, input: { discountRate: 25 } }),
    );
  });

  it('refuses a seller who owns only some of the products, and one adding a product of someone else', async () => {
    const others = await knownProduct(stack, { ownerId: newId() });
    await expectOutcome('FORBIDDEN', () =>
      stack.call(owner, CREATE_TIME_SALE, { input: saleInput([saleProductInput(product), saleProductInput(others)]) }),
    );
    const sale = await createSale(stack, { products: [saleProductInput(product)] }, owner);
    await expectOutcome('FORBIDDEN', () =>
      stack.call(owner, ADD_TIME_SALE_PRODUCT, { timeSaleId: sale.id, input: saleProductInput(others) }),
    );
  });

  it('lets only admins sell a product whose owner the catalog has not told', async () => {
    const ownerless = await knownProduct(stack, { ownerId: null });
    await expectOutcome('FORBIDDEN', () =>
      stack.call(owner, CREATE_TIME_SALE, { input: saleInput([saleProductInput(ownerless)]) }),
    );
    await expectOutcome(undefined, () =>
      stack.call(stack.admin, CREATE_TIME_SALE, { input: saleInput([saleProductInput(ownerless)]) }),
    );
  });

  it('gives an empty sale to its creator', async () => {
    const sale = await createSale(stack, {}, owner);
    await expectOutcome('FORBIDDEN', () =>
      stack.call(seller(), UPDATE_TIME_SALE, { id: sale.id, input: { title: 'Mine now' } }),
    );
    await expectOutcome(undefined, () =>
      stack.call(owner, ADD_TIME_SALE_PRODUCT, { timeSaleId: sale.id, input: saleProductInput(product) }),
    );
  });
});

describe('one sale per product at a time', () => {
  it('refuses an overlapping sale with CONFLICT and writes nothing; back to back is fine', async () => {
    const product = await knownProduct(stack);
    const first = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 2 * HOUR,
      products: [saleProductInput(product)],
    });
    const before = await snapshot();
    const overlapping = await stack.call(stack.admin, CREATE_TIME_SALE, {
      input: saleInput([saleProductInput(product)], { startAt: at(stack, 1.5 * HOUR), endAt: at(stack, 3 * HOUR) }),
    });
    expect(codeOf(overlapping)).toBe('CONFLICT');
    expect(await snapshot()).toBe(before);

    const next = await createSale(stack, {
      startInMs: 2 * HOUR,
      endInMs: 3 * HOUR,
      products: [saleProductInput(product)],
    });
    const stretch = await stack.call(stack.admin, UPDATE_TIME_SALE, {
      id: first.id,
      input: { endAt: at(stack, 2 * HOUR + 1) },
    });
    expect(codeOf(stretch)).toBe('CONFLICT');
    const empty = await createSale(stack, { startInMs: 2.5 * HOUR, endInMs: 4 * HOUR });
    const add = await stack.call(stack.admin, ADD_TIME_SALE_PRODUCT, {
      timeSaleId: empty.id,
      input: saleProductInput(product),
    });
    expect(codeOf(add)).toBe('CONFLICT');
    // deleting a sale frees its products
    expect((await stack.call(stack.admin, DELETE_TIME_SALE, { id: next.id })).data).toEqual({ deleteTimeSale: true });
    const again = await stack.call(stack.admin, ADD_TIME_SALE_PRODUCT, {
      timeSaleId: empty.id,
      input: saleProductInput(product),
    });
    expect(again.errors).toBeUndefined();
  });

  it('allows the same product twice in one sale in windows of its own that do not overlap', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, {
      products: [
        saleProductInput(product, { endAt: at(stack, 1.5 * HOUR) }),
        saleProductInput(product, { startAt: at(stack, 1.5 * HOUR) }),
      ],
    });
    expect(sale.products.map((offer) => [offer.startAt, offer.endAt])).toEqual([
      [sale.startAt, at(stack, 1.5 * HOUR)],
      [at(stack, 1.5 * HOUR), sale.endAt],
    ]);
  });
});

describe('changing a sale', () => {
  it('allows any valid change before the start, and deleting', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, { products: [saleProductInput(product)] });
    const moved = await stack.call<{ updateTimeSale: SaleView }>(stack.admin, UPDATE_TIME_SALE, {
      id: sale.id,
      input: { title: 'Moved', startAt: at(stack, 3 * HOUR), endAt: at(stack, 4 * HOUR) },
    });
    expect(moved.data?.updateTimeSale).toMatchObject({ title: 'Moved', startAt: at(stack, 3 * HOUR) });
    // the products' windows (and their rules in Redis) moved along
    expect(moved.data?.updateTimeSale.products[0]?.startAt).toBe(at(stack, 3 * HOUR));
    const meta = await stack.redis.hget(`${stack.prefix}{tsp:${sale.products[0]?.id}}:meta`, 'start');
    expect(meta).toBe(String(new Date(at(stack, 3 * HOUR)).getTime()));
    const lower = await stack.call<{ updateTimeSaleProduct: { discountRate: number } }>(
      stack.admin,
      UPDATE_TIME_SALE_PRODUCT,
      { id: sale.products[0]?.id, input: { discountRate: 5, totalQuantity: 3, perUserLimit: 1 } },
    );
    expect(lower.data?.updateTimeSaleProduct).toMatchObject({ discountRate: 5, totalQuantity: 3, perUserLimit: 1 });

    expect((await stack.call(stack.admin, DELETE_TIME_SALE, { id: sale.id })).data).toEqual({ deleteTimeSale: true });
    expect((await stack.call<{ timeSale: unknown }>(null, TIME_SALE, { id: sale.id })).data?.timeSale).toBeNull();
    expect(await stack.redis.hget(`${stack.prefix}{tsp:${sale.products[0]?.id}}:meta`, 'deleted')).toBe('1');
    expect(codeOf(await stack.call(stack.admin, DELETE_TIME_SALE, { id: sale.id }))).toBe('NOT_FOUND');
  });

  it('while live, allows only what cannot hurt shoppers', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, {
      products: [saleProductInput(product, { discountRate: 30, totalQuantity: 10, perUserLimit: 3 })],
    });
    const offerId = sale.products[0]?.id as string;
    intoSale(sale);
    const reserved = await stack.services.saleStock.reserve({
      orderId: newId(),
      userId: newId(),
      timeSaleProductId: offerId,
      quantity: 3,
    });
    expect(reserved.outcome).toBe('RESERVED');

    const refusals: [Record<string, unknown>, string, string][] = [
      [{ discountRate: 29 }, 'CONFLICT', 'a lower discount raises the price'],
      [{ perUserLimit: 2 }, 'CONFLICT', 'a tighter limit'],
      [{ endAt: at(stack, 30 * 60_000) }, 'CONFLICT', 'an earlier end'],
      [{ startAt: new Date(new Date(sale.startAt).getTime() + 60_000).toISOString() }, 'CONFLICT', 'a new start'],
      [{ totalQuantity: 2 }, 'BAD_USER_INPUT', 'a quantity below the 3 sold'],
    ];
    for (const [input, code, why] of refusals) {
      const before = await snapshot();
      const result = await stack.call(stack.admin, UPDATE_TIME_SALE_PRODUCT, { id: offerId, input });
      expect([why, codeOf(result)]).toEqual([why, code]);
      expect(await snapshot()).toBe(before);
    }
    const better = await stack.call<{ updateTimeSaleProduct: Record<string, unknown> }>(
      stack.admin,
      UPDATE_TIME_SALE_PRODUCT,
      { id: offerId, input: { discountRate: 35, totalQuantity: 3, perUserLimit: null } },
    );
    expect(better.data?.updateTimeSaleProduct).toMatchObject({
      discountRate: 35,
      totalQuantity: 3,
      perUserLimit: null,
    });
    expect(await stack.redis.hgetall(`${stack.prefix}{tsp:${offerId}}:meta`)).toMatchObject({
      total: '3',
      limit: '-1',
    });

    expect(codeOf(await stack.call(stack.admin, DELETE_TIME_SALE, { id: sale.id }))).toBe('CONFLICT');
    const saleRefusals = [{ startAt: at(stack, 60_000) }, { endAt: at(stack, 30 * 60_000) }];
    for (const input of saleRefusals) {
      expect(codeOf(await stack.call(stack.admin, UPDATE_TIME_SALE, { id: sale.id, input }))).toBe('CONFLICT');
    }
    const longer = await stack.call<{ updateTimeSale: SaleView }>(stack.admin, UPDATE_TIME_SALE, {
      id: sale.id,
      input: { title: 'Extended', endAt: new Date(new Date(sale.endAt).getTime() + HOUR).toISOString() },
    });
    expect(longer.data?.updateTimeSale).toMatchObject({ title: 'Extended', status: 'SOLD_OUT' });

    stack.clock.set(new Date(new Date(sale.endAt).getTime() + 2 * HOUR));
    expect(codeOf(await stack.call(stack.admin, UPDATE_TIME_SALE, { id: sale.id, input: { title: 'Late' } }))).toBe(
      'CONFLICT',
    );
    expect(
      codeOf(await stack.call(stack.admin, UPDATE_TIME_SALE_PRODUCT, { id: offerId, input: { discountRate: 50 } })),
    ).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for sales and sale products that do not exist', async () => {
    expect(codeOf(await stack.call(stack.admin, UPDATE_TIME_SALE, { id: newId(), input: { title: 'x' } }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await stack.call(stack.admin, DELETE_TIME_SALE, { id: 'not-an-id' }))).toBe('NOT_FOUND');
    expect(
      codeOf(await stack.call(stack.admin, UPDATE_TIME_SALE_PRODUCT, { id: newId(), input: { discountRate: 5 } })),
    ).toBe('NOT_FOUND');
  });
});

describe('reading sales', () => {
  it('lists sales by status, soonest first, page by page', async () => {
    stack.clock.set(new Date(Date.now() + 100 * HOUR)); // a stretch of time no other test uses
    const product = await knownProduct(stack);
    const soldOutProduct = await knownProduct(stack);
    const early = await createSale(stack, { startInMs: HOUR, endInMs: 2 * HOUR });
    const live = await createSale(stack, { startInMs: HOUR, endInMs: 5 * HOUR, products: [saleProductInput(product)] });
    const soldOut = await createSale(stack, {
      startInMs: HOUR,
      endInMs: 5 * HOUR,
      products: [saleProductInput(soldOutProduct, { totalQuantity: 1 })],
    });
    const later = await createSale(stack, { startInMs: 4 * HOUR, endInMs: 6 * HOUR });
    stack.clock.set(new Date(stack.clock.now().getTime() + 3 * HOUR));
    await stack.services.saleStock.reserve({
      orderId: newId(),
      userId: newId(),
      timeSaleProductId: soldOut.products[0]?.id as string,
      quantity: 1,
    });
    const mine = new Set([early.id, live.id, soldOut.id, later.id]);
    const list = async (status: string | null) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: {
          data?: {
            timeSales: {
              edges: { node: { id: string; status: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          } | null;
        } = await stack.call(
          null,
          'query($status: TimeSaleStatus, $after: String) { timeSales(status: $status, first: 2, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } } }',
          { status, after },
        );
        const connection = page.data?.timeSales;
        if (!connection) throw new Error(JSON.stringify(page));
        for (const edge of connection.edges) {
          if (status) expect(edge.node.status).toBe(status);
          if (mine.has(edge.node.id)) ids.push(edge.node.id);
        }
        if (!connection.pageInfo.hasNextPage) return ids;
        after = connection.pageInfo.endCursor;
      }
    };
    expect(await list('ENDED')).toEqual([early.id]);
    expect(await list('LIVE')).toEqual([live.id]);
    expect(await list('SOLD_OUT')).toEqual([soldOut.id]);
    expect(await list('SCHEDULED')).toEqual([later.id]);
    // ties on the start are broken by id, so paging never skips or repeats
    expect(await list(null)).toEqual(
      [early.id, live.id, soldOut.id, later.id].sort(byStartThenId([early, live, soldOut, later])),
    );
  });

  it('resolves sales, sale products and the sales of a product as entities', async () => {
    const product = await knownProduct(stack);
    const sale = await createSale(stack, { products: [saleProductInput(product, { totalQuantity: 5 })] });
    const offerId = sale.products[0]?.id as string;
    const entities = async () =>
      (
        await stack.call<{ _entities: Record<string, unknown>[] }>(
          null,
          `query($reps: [_Any!]!) { _entities(representations: $reps) {
            ... on Product { id timeSales { id } activeTimeSale { id remainingQuantity } }
            ... on TimeSale { id status }
            ... on TimeSaleProduct { id soldQuantity timeSale { id } }
          } }`,
          {
            reps: [
              { __typename: 'Product', id: product.productId },
              { __typename: 'TimeSale', id: sale.id },
              { __typename: 'TimeSaleProduct', id: offerId },
              { __typename: 'Product', id: newId() },
            ],
          },
        )
      ).data?._entities;
    expect(await entities()).toEqual([
      { id: product.productId, timeSales: [{ id: sale.id }], activeTimeSale: null },
      { id: sale.id, status: 'SCHEDULED' },
      { id: offerId, soldQuantity: 0, timeSale: { id: sale.id } },
      { id: expect.any(String), timeSales: [], activeTimeSale: null },
    ]);
    intoSale(sale);
    await stack.services.saleStock.reserve({
      orderId: newId(),
      userId: newId(),
      timeSaleProductId: offerId,
      quantity: 2,
    });
    expect((await entities())?.slice(0, 3)).toEqual([
      { id: product.productId, timeSales: [{ id: sale.id }], activeTimeSale: { id: offerId, remainingQuantity: 3 } },
      { id: sale.id, status: 'LIVE' },
      { id: offerId, soldQuantity: 2, timeSale: { id: sale.id } },
    ]);
  });
});

function byStartThenId(sales: readonly SaleView[]) {
  const startOf = new Map(sales.map((sale) => [sale.id, sale.startAt]));
  return (a: string, b: string) => (startOf.get(a) ?? '').localeCompare(startOf.get(b) ?? '') || a.localeCompare(b);
}

describe('serverTime', () => {
  it('answers the service clock, to anyone', async () => {
    const instant = new Date('2026-12-24T15:00:00.123Z');
    stack.clock.set(instant);
    const result = await stack.call<{ serverTime: string }>(null, '{ serverTime }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.serverTime).toBe(instant.toISOString());
  });
});
