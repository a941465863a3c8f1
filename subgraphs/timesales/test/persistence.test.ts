import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inboxMigrationsDir } from '@radiata/inbox';
import { outboxMigrationPath } from '@radiata/outbox';
import { newId } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase, testSqlPool } from '@radiata/testing';
import { CATALOG_PRODUCTS_QUEUE } from '../src/messaging/catalog-events.js';
import { createDatabase, type Database } from '../src/persistence/database.js';
import { migrationsDir } from './support.js';

// prisma/schema.prisma is a hand-kept model of db/migrations: writing and reading every model
// and field through the client fails here when the two drift apart.
let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase('timesales', migrationsDir);
  db = createDatabase({ url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
  await testDb.drop();
});

const start = new Date('2030-01-01T10:00:00.123Z');
const end = new Date('2030-01-01T12:00:00.123Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

async function product(data: Record<string, unknown> = {}) {
  return db.product.create({
    data: {
      id: newId(),
      brandId: newId(),
      ownerId: newId(),
      price: 50_000,
      discountAmount: 5_000,
      priceVersion: 3,
      status: 'ON_SALE',
      stock: 7,
      availabilityVersion: 4,
      deleted: false,
      version: 4,
      ...data,
    },
  });
}

async function sale(data: Record<string, unknown> = {}) {
  return db.timeSale.create({
    data: { id: newId(), title: 'Drift', startAt: start, endAt: end, createdBy: newId(), ...data },
  });
}

async function saleProduct(
  saleRow: { id: string; startAt: Date; endAt: Date },
  productId: string,
  data: Record<string, unknown> = {},
) {
  return db.timeSaleProduct.create({
    data: {
      id: newId(),
      timeSaleId: saleRow.id,
      saleStartAt: saleRow.startAt,
      saleEndAt: saleRow.endAt,
      productId,
      brandId: newId(),
      discountRate: 30,
      totalQuantity: 10,
      ...data,
    },
  });
}

it('round-trips every model and field between the Prisma client and the migrated schema', async () => {
  const catalogProduct = await product();
  const timeSale = await sale({ deletedAt: null });
  const offer = await saleProduct(timeSale, catalogProduct.id, {
    soldQuantity: 2,
    perUserLimit: 2,
    startAt: minutes(10),
    endAt: minutes(20),
  });
  const reservation = await db.saleReservation.create({
    data: {
      orderId: newId(),
      timeSaleProductId: offer.id,
      userId: newId(),
      quantity: 2,
      discountRate: 25,
      status: 'RELEASED',
      reservedAt: minutes(11),
      releasedAt: minutes(12),
    },
  });
  const released = await db.releasedOrder.create({
    data: {
      orderId: reservation.orderId,
      releasedAt: minutes(12),
      refusal: 'PER_USER_LIMIT',
      refusedTimeSaleId: timeSale.id,
      refusedProductId: catalogProduct.id,
    },
  });
  const transition = await db.timeSaleTransition.create({
    data: { timeSaleId: timeSale.id, kind: 'SOLD_OUT', firedAt: minutes(15) },
  });
  const inbox = await db.inboxMessage.create({
    data: { consumer: CATALOG_PRODUCTS_QUEUE, messageId: 'message-1', receivedAt: minutes(1) },
  });

  expect(await db.product.findUniqueOrThrow({ where: { id: catalogProduct.id } })).toEqual(catalogProduct);
  expect(await db.timeSale.findUniqueOrThrow({ where: { id: timeSale.id } })).toEqual(timeSale);
  expect(await db.timeSaleProduct.findUniqueOrThrow({ where: { id: offer.id } })).toEqual(offer);
  expect(
    await db.saleReservation.findUniqueOrThrow({
      where: { orderId_timeSaleProductId: { orderId: reservation.orderId, timeSaleProductId: offer.id } },
    }),
  ).toEqual(reservation);
  expect(await db.releasedOrder.findUniqueOrThrow({ where: { orderId: released.orderId } })).toEqual(released);
  const releasedBySaga = await db.releasedOrder.create({ data: { orderId: newId() } });
  expect(releasedBySaga).toMatchObject({ refusal: null, refusedTimeSaleId: null, refusedProductId: null });
  expect(
    await db.timeSaleTransition.findUniqueOrThrow({
      where: { timeSaleId_kind: { timeSaleId: timeSale.id, kind: 'SOLD_OUT' } },
    }),
  ).toEqual(transition);
  expect(
    await db.inboxMessage.findUniqueOrThrow({
      where: { consumer_messageId: { consumer: CATALOG_PRODUCTS_QUEUE, messageId: 'message-1' } },
    }),
  ).toEqual(inbox);
});

it('enforces the sale rules in the database, not only in code', async () => {
  const catalogProduct = await product();
  await expect(sale({ endAt: start })).rejects.toThrow(); // start < end
  await expect(sale({ title: '' })).rejects.toThrow();
  const timeSale = await sale();
  const bad = (data: Record<string, unknown>) => saleProduct(timeSale, catalogProduct.id, data);
  await expect(bad({ discountRate: 0 })).rejects.toThrow();
  await expect(bad({ discountRate: 100 })).rejects.toThrow();
  await expect(bad({ totalQuantity: 0 })).rejects.toThrow();
  await expect(bad({ soldQuantity: 11 })).rejects.toThrow(); // sold ≤ total
  await expect(bad({ soldQuantity: -1 })).rejects.toThrow();
  await expect(bad({ perUserLimit: 0 })).rejects.toThrow();
  await expect(bad({ startAt: minutes(-1) })).rejects.toThrow(); // own window inside the sale's
  await expect(bad({ endAt: new Date(end.getTime() + 1) })).rejects.toThrow();
  await expect(bad({ startAt: minutes(30), endAt: minutes(30) })).rejects.toThrow();
  await expect(bad({ saleEndAt: new Date(end.getTime() + 1) })).rejects.toThrow(); // the copy must match its sale
  await expect(saleProduct(timeSale, newId())).rejects.toThrow(); // a product the projection does not know

  const offer = await bad({});
  const reserve = (data: Record<string, unknown> = {}) =>
    db.saleReservation.create({
      data: {
        orderId: newId(),
        timeSaleProductId: offer.id,
        userId: newId(),
        quantity: 1,
        discountRate: 30,
        reservedAt: start,
        ...data,
      },
    });
  await expect(reserve({ quantity: 0 })).rejects.toThrow();
  await expect(reserve({ discountRate: 0 })).rejects.toThrow();
  await expect(reserve({ discountRate: 100 })).rejects.toThrow();
  await expect(reserve({ status: 'RELEASED' })).rejects.toThrow(); // released needs its instant
  const once = await reserve();
  await expect(reserve({ orderId: once.orderId })).rejects.toThrow(); // one row per order and sale product
  // a refusal names its item, whole
  await expect(
    db.releasedOrder.create({ data: { orderId: newId(), refusal: 'SALE_SOLD_OUT', refusedTimeSaleId: timeSale.id } }),
  ).rejects.toThrow(/released_orders_refusal_whole/);
  await expect(
    db.releasedOrder.create({
      data: { orderId: newId(), refusedTimeSaleId: timeSale.id, refusedProductId: catalogProduct.id },
    }),
  ).rejects.toThrow(/released_orders_refusal_whole/);
  await expect(
    db.timeSaleTransition.create({ data: { timeSaleId: newId(), kind: 'STARTED', firedAt: start } }),
  ).rejects.toThrow();
  await db.timeSaleTransition.create({ data: { timeSaleId: timeSale.id, kind: 'STARTED', firedAt: start } });
  await expect(
    db.timeSaleTransition.create({ data: { timeSaleId: timeSale.id, kind: 'STARTED', firedAt: end } }),
  ).rejects.toThrow(); // each transition once
});

it('keeps a product out of two sales at overlapping times, whatever changes the sale', async () => {
  const catalogProduct = await product();
  const morning = await sale({ startAt: minutes(0), endAt: minutes(60) });
  const noon = await sale({ startAt: minutes(60), endAt: minutes(120) });
  await saleProduct(morning, catalogProduct.id);
  await saleProduct(noon, catalogProduct.id); // back to back is fine: windows are half-open
  const overlapping = await sale({ startAt: minutes(30), endAt: minutes(90) });
  await expect(saleProduct(overlapping, catalogProduct.id)).rejects.toThrow(/time_sale_products_no_overlap/);
  // moving a sale drags its products' windows along (ON UPDATE CASCADE), through the same rule
  await expect(db.timeSale.update({ where: { id: morning.id }, data: { endAt: minutes(61) } })).rejects.toThrow(
    /time_sale_products_no_overlap/,
  );
  // a deleted sale no longer holds its products
  await db.timeSale.update({ where: { id: noon.id }, data: { deletedAt: new Date() } });
  await db.timeSale.update({ where: { id: morning.id }, data: { endAt: minutes(61) } });
  const moved = await db.timeSaleProduct.findFirstOrThrow({ where: { timeSaleId: morning.id } });
  expect(moved.saleEndAt).toEqual(minutes(61));
});

it('keeps the catalog projection consistent', async () => {
  await expect(product({ discountAmount: 50_000 })).rejects.toThrow(); // discount < price
  await expect(product({ price: null })).rejects.toThrow(); // a price group is whole
  await expect(product({ status: 'GONE' })).rejects.toThrow();
  await expect(product({ priceVersion: 9 })).rejects.toThrow(); // no group newer than the product
  await product({ price: null, discountAmount: null, priceVersion: null }); // heard of, price not yet known
});

it('carries a byte-identical copy of the outbox migration', () => {
  const copy = readFileSync(join(migrationsDir, '20261125000100_outbox.sql'));
  expect(copy.equals(readFileSync(outboxMigrationPath))).toBe(true);
});

const dbmateCli = join(dirname(createRequire(import.meta.url).resolve('dbmate')), 'cli.js');

/** Runs dbmate (as `npm run db:migrate` does) on `url` with this subgraph's migrations. */
const dbmate = (url: string, command: 'up' | 'rollback') =>
  promisify(execFile)(process.execPath, [
    dbmateCli,
    '--url',
    url,
    '--migrations-dir',
    migrationsDir,
    '--no-dump-schema',
    command,
  ]);

/** Rolls a database migrated to the newest back to before `version` (every migration from it on, newest first). */
async function rollbackTo(url: string, version: string): Promise<void> {
  const later = readdirSync(migrationsDir).filter((file) => file >= version);
  for (let rolledBack = 0; rolledBack < later.length; rolledBack += 1) await dbmate(url, 'rollback');
}

/** A directory with this subgraph's migrations older than `version` (a database as it was before it). */
function migrationsBefore(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'timesales-migrations-'));
  for (const file of readdirSync(migrationsDir)) if (file < version) cpSync(join(migrationsDir, file), join(dir, file));
  return dir;
}

/** Columns, primary key and indexes of inbox_messages, as the database describes them. */
async function inboxShape(url: string) {
  const pool = testSqlPool(url);
  try {
    const query = async (text: string) => (await pool.query(text)).rows;
    return {
      columns: await query(`
        SELECT column_name, data_type, datetime_precision, is_nullable, column_default
        FROM information_schema.columns WHERE table_name = 'inbox_messages' ORDER BY ordinal_position`),
      primaryKey: await query(`
        SELECT conname, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE conrelid = 'inbox_messages'::regclass AND contype = 'p'`),
      indexes: await query(`
        SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'inbox_messages' ORDER BY indexname`),
    };
  } finally {
    await pool.end();
  }
}

it("migrates the inbox to exactly @radiata/inbox's table: columns, primary key and index", async () => {
  const inboxOnly = await createTestDatabase('timesales_inbox', inboxMigrationsDir);
  try {
    const expected = await inboxShape(inboxOnly.url);
    expect(expected.primaryKey).toEqual([
      { conname: 'inbox_messages_pkey', definition: 'PRIMARY KEY (consumer, message_id)' },
    ]);
    expect(await inboxShape(testDb.url)).toEqual(expected);
  } finally {
    await inboxOnly.drop();
  }
});

it('keeps, through the inbox migration and back, the messages received before it', async () => {
  // A database as it was before the migration, holding a message the catalog consumer received.
  const before = migrationsBefore('20261130010000');
  const previous = await createTestDatabase('timesales_inbox_upgrade', before);
  rmSync(before, { recursive: true });
  const pool = testSqlPool(previous.url);
  const inbox = async () => (await pool.query('SELECT * FROM inbox_messages')).rows;
  try {
    await pool.query(
      `INSERT INTO inbox_messages (message_id, received_at) VALUES ('before-1', '2030-01-01T10:00:00.123456Z')`,
    );
    const old = await inboxShape(previous.url);
    await dbmate(previous.url, 'up');
    expect(await inbox()).toEqual([
      { consumer: CATALOG_PRODUCTS_QUEUE, message_id: 'before-1', received_at: new Date('2030-01-01T10:00:00.123Z') },
    ]);
    expect(await inboxShape(previous.url)).toEqual(await inboxShape(testDb.url));
    await rollbackTo(previous.url, '20261130010000');
    expect(await inbox()).toEqual([{ message_id: 'before-1', received_at: new Date('2030-01-01T10:00:00.123Z') }]);
    expect(await inboxShape(previous.url)).toEqual(old);
  } finally {
    await pool.end();
    await previous.drop();
  }
});

it('gives reservations made before the saga migration the rate of their sale product, and rolls back', async () => {
  const before = migrationsBefore('20261202010000');
  const previous = await createTestDatabase('timesales_saga_upgrade', before);
  rmSync(before, { recursive: true });
  const pool = testSqlPool(previous.url);
  const columns = async (table: string) =>
    (
      await pool.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      )
    ).rows.map((row) => row.column_name);
  try {
    const [productId, saleId, offerId, orderId, releasedId] = [newId(), newId(), newId(), newId(), newId()];
    await pool.query(`INSERT INTO products (id, brand_id, version) VALUES ($1, $2, 1)`, [productId, newId()]);
    await pool.query(
      `INSERT INTO time_sales (id, title, start_at, end_at, created_by) VALUES ($1, 'Old', $2, $3, $4)`,
      [saleId, start, end, newId()],
    );
    await pool.query(
      `INSERT INTO time_sale_products (id, time_sale_id, sale_start_at, sale_end_at, product_id, brand_id,
                                       discount_rate, total_quantity, sold_quantity)
       VALUES ($1, $2, $3, $4, $5, $6, 35, 10, 2)`,
      [offerId, saleId, start, end, productId, newId()],
    );
    await pool.query(
      `INSERT INTO sale_reservations (order_id, time_sale_product_id, user_id, quantity, reserved_at)
       VALUES ($1, $2, $3, 2, $4)`,
      [orderId, offerId, newId(), minutes(5)],
    );
    await pool.query(`INSERT INTO released_orders (order_id) VALUES ($1)`, [releasedId]);
    const old = { reservations: await columns('sale_reservations'), released: await columns('released_orders') };

    await dbmate(previous.url, 'up');
    expect((await pool.query('SELECT order_id, discount_rate FROM sale_reservations')).rows).toEqual([
      { order_id: orderId, discount_rate: 35 },
    ]);
    expect((await pool.query('SELECT order_id, refusal FROM released_orders')).rows).toEqual([
      { order_id: releasedId, refusal: null },
    ]);
    await rollbackTo(previous.url, '20261202010000');
    expect({ reservations: await columns('sale_reservations'), released: await columns('released_orders') }).toEqual(
      old,
    );
  } finally {
    await pool.end();
    await previous.drop();
  }
});
