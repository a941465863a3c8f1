import { readFileSync } from 'node:fs';
import { readInboxMigration } from '@radiata/inbox';
import { outboxMigrationPath } from '@radiata/outbox';
import { newId } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import { createDatabase, type Database } from '../src/persistence/database.js';
import { migrationsDir } from './support.js';

// prisma/schema.prisma is a hand-kept model of db/migrations: writing and reading every model
// and field through the client fails here when the two drift apart.
let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase('coupons', migrationsDir);
  db = createDatabase({ url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
  await testDb.drop();
});

const now = new Date('2026-11-25T03:00:00.123Z');
const later = new Date('2026-12-25T03:00:00.123Z');
const couponData = (data: Record<string, unknown> = {}) => ({
  id: newId(),
  title: 'Drift',
  type: 'FIRST_COME_FIRST_SERVED' as const,
  discountType: 'RATE' as const,
  discountRate: 10,
  discountAmount: null,
  minOrderAmount: 1_000,
  maxOrderAmount: 90_000,
  issueStartAt: now,
  issueEndAt: later,
  validUntil: null,
  validDays: 3,
  totalQuantity: 5,
  issuedQuantity: 1,
  createdAt: now,
  updatedAt: now,
  deletedAt: null,
  ...data,
});

it('round-trips every model and field between the Prisma client and the migrated schema', async () => {
  const coupon = await db.coupon.create({ data: couponData() });
  const issue = await db.couponIssue.create({
    data: {
      id: newId(),
      couponId: coupon.id,
      userId: newId(),
      claimId: newId(),
      status: 'USED',
      issuedAt: now,
      expiresAt: later,
      orderId: newId(),
      usedAt: now,
      discount: 1_234,
    },
  });
  const restored = await db.restoredOrder.create({ data: { orderId: newId(), issueId: issue.id, restoredAt: now } });
  const inbox = await db.inboxMessage.create({
    data: { consumer: 'coupons.saga-commands', messageId: newId(), receivedAt: now },
  });
  expect(await db.coupon.findUniqueOrThrow({ where: { id: coupon.id } })).toEqual(coupon);
  expect(await db.couponIssue.findUniqueOrThrow({ where: { id: issue.id } })).toEqual(issue);
  expect(await db.restoredOrder.findUniqueOrThrow({ where: { orderId: restored.orderId } })).toEqual(restored);
  expect(
    await db.inboxMessage.findUniqueOrThrow({
      where: { consumer_messageId: { consumer: inbox.consumer, messageId: inbox.messageId } },
    }),
  ).toEqual(inbox);
});

it('enforces the coupon rules in the database, not only in code', async () => {
  const bad = (data: Record<string, unknown>) => db.coupon.create({ data: couponData(data) });
  await expect(bad({ discountRate: 101 })).rejects.toThrow();
  await expect(bad({ discountType: 'AMOUNT' })).rejects.toThrow();
  await expect(bad({ minOrderAmount: 10, maxOrderAmount: 5 })).rejects.toThrow();
  await expect(bad({ issueEndAt: now })).rejects.toThrow();
  await expect(bad({ validUntil: later })).rejects.toThrow();
  await expect(bad({ type: 'UNLIMITED' })).rejects.toThrow();
  await expect(bad({ issuedQuantity: 6 })).rejects.toThrow();
  const coupon = await db.coupon.create({ data: couponData() });
  const userId = newId();
  const issue = (data: Record<string, unknown> = {}) =>
    db.couponIssue.create({
      data: { id: newId(), couponId: coupon.id, userId, claimId: newId(), issuedAt: now, expiresAt: later, ...data },
    });
  await issue();
  await expect(issue()).rejects.toThrow(); // one per user
  await expect(issue({ userId: newId(), status: 'USED' })).rejects.toThrow(); // USED needs its order
  const used = { status: 'USED', orderId: newId(), usedAt: now };
  await expect(issue({ userId: newId(), ...used })).rejects.toThrow(); // and its discount
  await expect(issue({ userId: newId(), discount: 100 })).rejects.toThrow(); // only USED has one
  await expect(issue({ userId: newId(), ...used, discount: -1 })).rejects.toThrow();
  await issue({ userId: newId(), ...used, discount: 0 });
});

it('carries unchanged copies of the shared outbox and inbox migrations', () => {
  const copy = (file: string) => readFileSync(new URL(`../db/migrations/${file}`, import.meta.url), 'utf8');
  expect(copy('20261125000100_outbox.sql')).toBe(readFileSync(outboxMigrationPath, 'utf8'));
  expect(copy('20261202030000_inbox.sql')).toBe(readInboxMigration());
});
