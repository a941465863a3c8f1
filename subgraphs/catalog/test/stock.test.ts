import { newId } from '@radiata/service-runtime';
import { admin, type CatalogStack, newProduct, seller, startCatalog } from './support.js';

let catalog: CatalogStack;
// 200 orders reserve at once: more connections than the default pool.
beforeAll(async () => {
  catalog = await startCatalog({ env: { DATABASE_POOL_SIZE: '20' } });
});
afterAll(() => catalog.stop());

const stockOf = async (productId: string) =>
  catalog.services.db.product.findUniqueOrThrow({ where: { id: productId }, select: { stock: true, status: true } });

const stockEvents = (productId: string) =>
  catalog.services.db.$queryRaw<{ payload: { stock: number; delta: number; status: string; orderId?: string } }[]>`
    SELECT payload FROM outbox_messages
    WHERE routing_key = 'catalog.product.stock-changed' AND payload->>'productId' = ${productId}
    ORDER BY (payload->>'version')::int`;

describe('reserving stock for orders', () => {
  it('lets exactly 50 of 200 concurrent orders reserve a stock of 50, and never goes below zero', async () => {
    const product = await newProduct(catalog.services, 50);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        catalog.services.stock.reserve(newId(), [{ productId: product.id, quantity: 1 }]),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(50);
    expect(results.filter((result) => !result.ok && result.reason === 'OUT_OF_STOCK')).toHaveLength(150);
    expect(await stockOf(product.id)).toEqual({ stock: 0, status: 'SOLD_OUT' });
    expect(await catalog.services.db.stockReservation.count({ where: { productId: product.id } })).toBe(50);
    // one event per successful reservation, the last one announcing SOLD_OUT
    const events = await stockEvents(product.id);
    expect(events).toHaveLength(50);
    expect(events.map((event) => event.payload.stock)).toEqual(Array.from({ length: 50 }, (_, i) => 49 - i));
    expect(events.at(-1)?.payload.status).toBe('SOLD_OUT');
  });

  it('is idempotent per order, even when the same order arrives twice at once', async () => {
    const product = await newProduct(catalog.services, 10);
    const orderId = newId();
    const items = [{ productId: product.id, quantity: 3 }];
    const [first, second] = await Promise.all([
      catalog.services.stock.reserve(orderId, items),
      catalog.services.stock.reserve(orderId, items),
    ]);
    expect([first, second].every((result) => result.ok)).toBe(true);
    expect(await catalog.services.stock.reserve(orderId, items)).toEqual({ ok: true, alreadyReserved: true });
    expect((await stockOf(product.id)).stock).toBe(7);
  });

  it('reserves all items of an order or none', async () => {
    const plenty = await newProduct(catalog.services, 10);
    const scarce = await newProduct(catalog.services, 1);
    const result = await catalog.services.stock.reserve(newId(), [
      { productId: plenty.id, quantity: 2 },
      { productId: scarce.id, quantity: 2 },
    ]);
    expect(result).toEqual({ ok: false, reason: 'OUT_OF_STOCK', productId: scarce.id });
    expect((await stockOf(plenty.id)).stock).toBe(10);
    expect((await stockOf(scarce.id)).stock).toBe(1);
    expect(
      await catalog.services.db.stockReservation.count({ where: { productId: { in: [plenty.id, scarce.id] } } }),
    ).toBe(0);
  });

  it('refuses hidden, deleted and unknown products', async () => {
    const product = await newProduct(catalog.services, 5);
    await catalog.services.db.product.update({ where: { id: product.id }, data: { status: 'HIDDEN' } });
    expect(await catalog.services.stock.reserve(newId(), [{ productId: product.id, quantity: 1 }])).toMatchObject({
      ok: false,
    });
    expect(await catalog.services.stock.reserve(newId(), [{ productId: newId(), quantity: 1 }])).toMatchObject({
      ok: false,
    });
    expect((await stockOf(product.id)).stock).toBe(5);
  });
});

describe('releasing stock', () => {
  it('gives a sold-out product its stock back once, however often the release is delivered', async () => {
    const product = await newProduct(catalog.services, 2);
    const orderId = newId();
    await catalog.services.stock.reserve(orderId, [{ productId: product.id, quantity: 2 }]);
    expect(await stockOf(product.id)).toEqual({ stock: 0, status: 'SOLD_OUT' });

    const releases = await Promise.all([1, 2, 3, 4, 5].map(() => catalog.services.stock.release(orderId)));
    expect(releases.map((release) => release.released).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(await stockOf(product.id)).toEqual({ stock: 2, status: 'ON_SALE' });
    // a released order cannot take the stock again (a late redelivery of its reservation)
    expect(await catalog.services.stock.reserve(orderId, [{ productId: product.id, quantity: 2 }])).toEqual({
      ok: false,
      reason: 'ALREADY_RELEASED',
    });
    const events = await stockEvents(product.id);
    expect(events.map((event) => [event.payload.delta, event.payload.status, event.payload.orderId])).toEqual([
      [-2, 'SOLD_OUT', orderId],
      [2, 'ON_SALE', orderId],
    ]);
  });

  it('releases nothing for an order that reserved nothing', async () => {
    expect(await catalog.services.stock.release(newId())).toEqual({ released: 0 });
  });
});

describe('adjusting stock (adjustStock)', () => {
  it('changes the stock and records its event in one statement, the event as productEvents builds it', async () => {
    const product = await newProduct(catalog.services, 1);
    const brand = await catalog.services.db.brand.findUniqueOrThrow({ where: { id: product.brandId } });
    const owner = { id: brand.ownerId, role: 'SELLER' as const };

    const soldOut = await catalog.services.products.adjustStock(owner, product.id, -1);
    expect(soldOut).toMatchObject({ id: product.id, stock: 0, status: 'SOLD_OUT', version: product.version + 1 });
    await expect(catalog.services.products.adjustStock(owner, product.id, -1)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'delta', message: expect.stringContaining('is 0') }] },
    });
    await catalog.services.products.adjustStock(admin, product.id, 3);

    const rows = await catalog.services.db.$queryRaw<{ exchange: string; payload: Record<string, unknown> }[]>`
      SELECT exchange, payload FROM outbox_messages
      WHERE routing_key = 'catalog.product.stock-changed' AND payload->>'productId' = ${product.id}
      ORDER BY (payload->>'version')::int`;
    expect(rows.map((row) => row.exchange)).toEqual(['radiata.catalog', 'radiata.catalog']);
    expect(rows.map((row) => row.payload)).toEqual([
      {
        productId: product.id,
        brandId: product.brandId,
        version: product.version + 1,
        occurredAt: expect.any(String),
        stock: 0,
        delta: -1,
        status: 'SOLD_OUT',
        previousStatus: 'ON_SALE',
      },
      {
        productId: product.id,
        brandId: product.brandId,
        version: product.version + 2,
        occurredAt: expect.any(String),
        stock: 3,
        delta: 3,
        status: 'ON_SALE',
        previousStatus: 'SOLD_OUT',
      },
    ]);
  });

  it('refuses unknown, deleted and foreign products before changing anything', async () => {
    const product = await newProduct(catalog.services, 5);
    await expect(catalog.services.products.adjustStock(seller(), product.id, 1)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(catalog.services.products.adjustStock(admin, newId(), 1)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(catalog.services.products.adjustStock(admin, 'not-an-id', 1)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await catalog.services.products.delete(admin, product.id);
    await expect(catalog.services.products.adjustStock(admin, product.id, 1)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect((await stockOf(product.id)).stock).toBe(5);
    expect(await stockEvents(product.id)).toEqual([]);
  });
});
