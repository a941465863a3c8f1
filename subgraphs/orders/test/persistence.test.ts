import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readInboxMigration } from '@radiata/inbox';
import { outboxMigrationPath } from '@radiata/outbox';
import { newId } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import { createDatabase, type Database } from '../src/persistence/database.js';

// prisma/schema.prisma is a hand-kept model of db/migrations: writing and reading every model
// and field through the client fails here when the two drift apart.
const migrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url));
let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase('orders', migrationsDir);
  db = createDatabase({ url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
  await testDb.drop();
});

const now = new Date('2026-12-01T03:00:00.123Z');

const orderData = (overrides: Record<string, unknown> = {}) => ({
  id: newId(),
  userId: newId(),
  idempotencyKey: `key-${newId()}`,
  requestHash: 'hash',
  status: 'AWAITING_PAYMENT' as const,
  cancelReason: null,
  couponIssueId: newId(),
  pointsRequested: 300,
  itemsTotal: 20_000,
  productDiscount: 1_000,
  saleDiscount: 2_000,
  couponDiscount: 500,
  pointsUsed: 300,
  amountToPay: 16_200,
  earnedPoints: null,
  paymentId: null,
  paymentFailures: 1,
  lastPaymentFailure: 'REJECT_CARD_PAYMENT',
  recipient: 'Kim',
  phone: '010-1234-5678',
  zipCode: '06236',
  roadAddress: 'Teheran-ro 152',
  detailAddress: '12F',
  paymentDueAt: now,
  sagaStep: 'payment',
  sagaAction: 'await',
  sagaAttempt: 0,
  sagaDueAt: now,
  sagaStarted: ['sale', 'stock', 'coupon', 'points'],
  version: 4,
  createdAt: now,
  updatedAt: now,
  paidAt: null,
  closedAt: null,
  ...overrides,
});

it('writes and reads every model and field', async () => {
  const data = orderData();
  const item = {
    line: 1,
    productId: newId(),
    quantity: 2,
    timeSaleId: newId(),
    timeSaleProductId: newId(),
    saleDiscountRate: 10,
    brandId: newId(),
    sellerId: newId(),
    price: 10_000,
    productDiscount: 500,
    unitPrice: 9_000,
  };
  const transition = {
    id: newId(),
    fromStatus: 'PENDING' as const,
    toStatus: 'AWAITING_PAYMENT' as const,
    reason: null,
    at: now,
  };
  await db.order.create({ data: { ...data, items: { create: [item] }, transitions: { create: [transition] } } });
  const read = await db.order.findUniqueOrThrow({
    where: { id: data.id },
    include: { items: true, transitions: true },
  });
  expect(read).toEqual({
    ...data,
    items: [{ ...item, orderId: data.id }],
    transitions: [{ ...transition, orderId: data.id }],
  });
});

it('enforces in the database what the saga relies on', async () => {
  const insert = (overrides: Record<string, unknown>) => db.order.create({ data: orderData(overrides) });
  // A cancel reason exactly when cancelled or refunded (and while getting there).
  await expect(insert({ status: 'CANCELLED', cancelReason: null })).rejects.toThrow();
  await expect(insert({ status: 'PAID', cancelReason: 'EXPIRED' })).rejects.toThrow();
  await expect(insert({ status: 'CANCELLING', cancelReason: 'EXPIRED' })).resolves.toBeDefined();
  await expect(insert({ amountToPay: -1 })).rejects.toThrow();
  // One order per (shopper, idempotency key).
  const first = await insert({});
  await expect(insert({ userId: first.userId, idempotencyKey: first.idempotencyKey })).rejects.toThrow();
  await expect(
    db.orderItem.create({ data: { orderId: first.id, line: 1, productId: newId(), quantity: 0 } }),
  ).rejects.toThrow();
});

it('holds the outbox and inbox migrations as their packages ship them', () => {
  const copy = (name: string) => readFileSync(`${migrationsDir}${name}`, 'utf8');
  expect(copy('20261201102115_outbox.sql')).toBe(readFileSync(outboxMigrationPath, 'utf8'));
  expect(copy('20261201102116_inbox.sql')).toBe(readInboxMigration());
});

it('round-trips the projection of users’ addresses and its erasures', async () => {
  const address = await db.userAddress.create({
    data: {
      addressId: newId(),
      userId: newId(),
      label: 'Home',
      recipient: 'Kim',
      phone: '010-1234-5678',
      zipCode: '06236',
      roadAddress: 'Teheran-ro 152',
      detailAddress: '12F',
      removed: false,
      version: 2,
      updatedAt: now,
    },
  });
  expect(await db.userAddress.findUniqueOrThrow({ where: { addressId: address.addressId } })).toEqual(address);
  const tombstone = await db.userAddress.create({
    data: { addressId: newId(), userId: newId(), removed: true, version: 3, updatedAt: now },
  });
  expect(await db.userAddress.findUniqueOrThrow({ where: { addressId: tombstone.addressId } })).toEqual(tombstone);
  // A live address has every field; a tombstone none.
  await expect(db.userAddress.create({ data: { addressId: newId(), userId: newId(), version: 1 } })).rejects.toThrow();
  await expect(
    db.userAddress.create({
      data: { addressId: newId(), userId: newId(), recipient: 'Kim', removed: true, version: 1 },
    }),
  ).rejects.toThrow();
  const erased = await db.erasedUser.create({ data: { userId: newId(), erasedAt: now } });
  expect(await db.erasedUser.findUniqueOrThrow({ where: { userId: erased.userId } })).toEqual(erased);
});
