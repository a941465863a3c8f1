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
    const brand = await catalog.services.db.brand.findUniqueOrThrow({ where: { id: product.brandId } });
    const reserved = {
      productId: product.id,
      brandId: product.brandId,
      sellerId: brand.ownerId,
      price: 129_000,
      discountAmount: 0,
      quantity: 3,
    };
    expect([first, second].map((result) => result.ok && result.alreadyReserved).sort()).toEqual([false, true]);
    expect(await catalog.services.stock.reserve(orderId, items)).toEqual({
      ok: true,
      alreadyReserved: true,
      items: [reserved],
    });
    expect((await stockOf(product.id)).stock).toBe(7);
  });

  it('answers a repeat with the price, discount and seller stored at reservation, whatever changed since', async () => {
    const product = await newProduct(catalog.services, 10, { price: 50_000, discountAmount: 5_000 });
    const other = await newProduct(catalog.services, 10, { price: 20_000 });
    const brand = await catalog.services.db.brand.findUniqueOrThrow({ where: { id: product.brandId } });
    const orderId = newId();
    // A product named twice is one item of the summed quantity.
    const items = [
      { productId: product.id, quantity: 1 },
      { productId: other.id, quantity: 2 },
      { productId: product.id, quantity: 2 },
    ];
    const first = await catalog.services.stock.reserve(orderId, items);
    expect(first).toEqual({
      ok: true,
      alreadyReserved: false,
      items: expect.arrayContaining([
        {
          productId: product.id,
          brandId: brand.id,
          sellerId: brand.ownerId,
          price: 50_000,
          discountAmount: 5_000,
          quantity: 3,
        },
        expect.objectContaining({ productId: other.id, price: 20_000, discountAmount: 0, quantity: 2 }),
      ]),
    });
    await catalog.services.db.product.update({ where: { id: product.id }, data: { price: 60_000, discountAmount: 0 } });
    await catalog.services.db.brand.update({ where: { id: brand.id }, data: { ownerId: newId() } });

    const again = await catalog.services.stock.reserve(orderId, items);
    expect(again).toEqual({ ...first, alreadyReserved: true });
    expect((await stockOf(product.id)).stock).toBe(7);
    expect((await stockOf(other.id)).stock).toBe(8);
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

  it('refuses hidden, deleted and unknown products as not found, and sold-out ones as out of stock', async () => {
    const hidden = await newProduct(catalog.services, 5);
    await catalog.services.db.product.update({ where: { id: hidden.id }, data: { status: 'HIDDEN' } });
    const deleted = await newProduct(catalog.services, 5);
    await catalog.services.products.delete(admin, deleted.id);
    const soldOut = await newProduct(catalog.services, 1);
    await catalog.services.stock.reserve(newId(), [{ productId: soldOut.id, quantity: 1 }]);
    const unknown = newId();

    const refusal = (productId: string) => catalog.services.stock.reserve(newId(), [{ productId, quantity: 1 }]);
    for (const productId of [hidden.id, deleted.id, unknown]) {
      expect(await refusal(productId)).toEqual({ ok: false, reason: 'PRODUCT_NOT_FOUND', productId });
    }
    expect(await refusal(soldOut.id)).toEqual({ ok: false, reason: 'OUT_OF_STOCK', productId: soldOut.id });
    // More than any stock can hold is out of stock too, not an error.
    expect(await catalog.services.stock.reserve(newId(), [{ productId: hidden.id, quantity: 2 ** 40 }])).toEqual({
      ok: false,
      reason: 'PRODUCT_NOT_FOUND',
      productId: hidden.id,
    });
    const plenty = await newProduct(catalog.services, 5);
    expect(await catalog.services.stock.reserve(newId(), [{ productId: plenty.id, quantity: 2 ** 40 }])).toEqual({
      ok: false,
      reason: 'OUT_OF_STOCK',
      productId: plenty.id,
    });
    expect((await stockOf(hidden.id)).stock).toBe(5);
    expect((await stockOf(plenty.id)).stock).toBe(5);
  });

  it('answers a repeat of a refused order with the same refusal, even after stock came back', async () => {
    const product = await newProduct(catalog.services, 1);
    const orderId = newId();
    const items = [{ productId: product.id, quantity: 2 }];
    const refused = { ok: false, reason: 'OUT_OF_STOCK', productId: product.id };
    expect(await catalog.services.stock.reserve(orderId, items)).toEqual(refused);
    await catalog.services.products.adjustStock(admin, product.id, 5);
    expect(await catalog.services.stock.reserve(orderId, items)).toEqual(refused);
    expect((await stockOf(product.id)).stock).toBe(6);
    expect(await catalog.services.db.stockReservation.count({ where: { orderId } })).toBe(0);
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

  it('answers every repeat of a release with what the order gave back in all', async () => {
    const product = await newProduct(catalog.services, 5);
    const orderId = newId();
    await catalog.services.stock.reserve(orderId, [{ productId: product.id, quantity: 2 }]);
    expect(await catalog.services.stock.release(orderId)).toEqual({ released: 1, releasedInAll: 1 });
    expect(await catalog.services.stock.release(orderId)).toEqual({ released: 0, releasedInAll: 1 });
    expect((await stockOf(product.id)).stock).toBe(5);
  });

  it('releases nothing for an order that reserved nothing, and refuses its reservation afterwards', async () => {
    const product = await newProduct(catalog.services, 5);
    const orderId = newId();
    expect(await catalog.services.stock.release(orderId)).toEqual({ released: 0, releasedInAll: 0 });
    // The compensation overtook the reservation: a late reserve must not hold stock.
    expect(await catalog.services.stock.reserve(orderId, [{ productId: product.id, quantity: 1 }])).toEqual({
      ok: false,
      reason: 'ALREADY_RELEASED',
    });
    expect((await stockOf(product.id)).stock).toBe(5);
    expect(await catalog.services.db.stockReservation.count({ where: { orderId } })).toBe(0);
  });

  it('never reserves for an order whose release races its reservation', async () => {
    const product = await newProduct(catalog.services, 100);
    const orders = Array.from({ length: 40 }, () => newId());
    await Promise.all(
      orders.flatMap((orderId) => [
        catalog.services.stock.reserve(orderId, [{ productId: product.id, quantity: 1 }]),
        catalog.services.stock.release(orderId),
      ]),
    );
    // Whichever came first, every order ends released: nothing is held.
    expect((await stockOf(product.id)).stock).toBe(100);
    expect(
      await catalog.services.db.stockReservation.count({ where: { productId: product.id, status: 'RESERVED' } }),
    ).toBe(0);
    expect(await catalog.services.db.releasedOrder.count({ where: { orderId: { in: orders } } })).toBe(40);
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
