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
  testDb = await createTestDatabase('payments', migrationsDir);
  db = createDatabase({ url: testDb.url, poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
  await testDb.drop();
});

const now = new Date('2026-12-01T03:00:00.123Z');

async function paidOrder(userId = newId()) {
  const order = await db.payableOrder.create({
    data: {
      orderId: newId(),
      userId,
      amount: 5_000,
      amountsByBrand: { [newId()]: 5_000 },
      status: 'AWAITING_PAYMENT',
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
    },
  });
  await db.wallet.upsert({
    where: { userId },
    create: {
      userId,
      pinHash: 'hash',
      balance: 0,
      failedPinAttempts: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    },
    update: {},
  });
  const payment = await db.payment.create({
    data: {
      id: newId(),
      purpose: 'ORDER',
      orderId: order.orderId,
      userId,
      method: 'WALLET',
      amount: 5_000,
      refundedAmount: 0,
      status: 'APPROVED',
      providerOrderId: null,
      paymentKey: null,
      failureCode: null,
      failureMessage: null,
      approvedAt: now,
      nextCheckAt: null,
      createdAt: now,
      updatedAt: now,
      settlementRunId: null,
    },
  });
  return { order, payment, userId };
}

it('round-trips every model and field between the Prisma client and the migrated schema', async () => {
  const { order, payment, userId } = await paidOrder();
  const wallet = await db.wallet.update({
    where: { userId },
    data: { balance: 1_000, lockedUntil: now, version: 2, closedAt: now },
  });
  const check = await db.pinCheck.create({
    data: { id: newId(), userId, startedAt: now, finishedAt: now, succeeded: false },
  });
  const refund = await db.refund.create({
    data: {
      id: newId(),
      requestKey: `refund-${newId()}`,
      paymentId: payment.id,
      amount: 1_000,
      reason: 'drift',
      status: 'DONE',
      requestedBy: newId(),
      failureCode: null,
      failureMessage: null,
      nextCheckAt: null,
      completedAt: now,
      createdAt: now,
      updatedAt: now,
      amountsByBrand: { [newId()]: 1_000 },
      settlementRunId: null,
    },
  });
  const entry = await db.walletEntry.create({
    data: {
      id: newId(),
      userId,
      type: 'REFUND',
      amount: 1_000,
      balanceAfter: 1_000,
      paymentId: payment.id,
      refundId: refund.id,
      createdAt: now,
    },
  });
  expect(await db.payableOrder.findUniqueOrThrow({ where: { orderId: order.orderId } })).toEqual(order);
  expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toEqual(payment);
  expect(await db.wallet.findUniqueOrThrow({ where: { userId } })).toEqual(wallet);
  expect(await db.pinCheck.findUniqueOrThrow({ where: { id: check.id } })).toEqual(check);
  expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toEqual(refund);
  expect(await db.walletEntry.findUniqueOrThrow({ where: { id: entry.id } })).toEqual(entry);

  const brand = await db.catalogBrand.create({
    data: {
      brandId: newId(),
      ownerId: userId,
      name: 'Brand',
      grade: 'GOLD',
      deleted: false,
      version: 3,
      updatedAt: now,
    },
  });
  const grade = await db.catalogGrade.create({
    data: { grade: 'PLATINUM', name: 'Platinum', feeRateBp: 199, version: 2, updatedAt: now },
  });
  const run = await db.settlementRun.create({
    data: {
      id: newId(),
      job: 'weekly-brand-settlement',
      periodStart: new Date('2026-11-22T15:00:00.000Z'),
      periodEnd: new Date('2026-11-29T15:00:00.000Z'),
      status: 'SUCCEEDED',
      phase: 'DONE',
      total: 2,
      processed: 2,
      paymentCursor: payment.id,
      refundCursor: refund.id,
      defaultGrade: 'BASIC',
      defaultFeeRateBp: 350,
      requestedBy: newId(),
      runner: 'host:1:abc',
      failures: 1,
      error: null,
      startedAt: now,
      finishedAt: now,
    },
  });
  const rate = await db.settlementFeeRate.create({
    data: { runId: run.id, brandId: brand.brandId, grade: 'GOLD', feeRateBp: 250 },
  });
  const settlement = await db.settlement.create({
    data: {
      runId: run.id,
      brandId: brand.brandId,
      gross: 3_000_000_000n,
      refunds: 1_000n,
      paymentCount: 1,
      refundCount: 1,
      grade: 'GOLD',
      feeRateBp: 250,
      fee: 75_000_000n,
      net: 2_924_999_000n,
    },
  });
  expect(settlement.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  await db.payment.update({ where: { id: payment.id }, data: { settlementRunId: run.id } });
  expect(await db.catalogBrand.findUniqueOrThrow({ where: { brandId: brand.brandId } })).toEqual(brand);
  expect(await db.catalogGrade.findUniqueOrThrow({ where: { grade: grade.grade } })).toEqual(grade);
  expect(await db.settlementRun.findUniqueOrThrow({ where: { id: run.id } })).toEqual(run);
  expect(
    await db.settlementFeeRate.findUniqueOrThrow({
      where: { runId_brandId: { runId: run.id, brandId: brand.brandId } },
    }),
  ).toEqual(rate);
  expect(await db.settlement.findUniqueOrThrow({ where: { id: settlement.id } })).toEqual(settlement);
  expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).settlementRunId).toBe(run.id);
});

it("keeps settlements' rules in the database: one run per job and period, one settlement per brand and run", async () => {
  const period = { job: 'weekly-brand-settlement', periodStart: new Date('2026-11-15T15:00:00.000Z') };
  const runData = {
    ...period,
    periodEnd: new Date('2026-11-22T15:00:00.000Z'),
    defaultGrade: 'BASIC',
    defaultFeeRateBp: 350,
  };
  const run = await db.settlementRun.create({ data: { id: newId(), ...runData } });
  await expect(db.settlementRun.create({ data: { id: newId(), ...runData } })).rejects.toThrow();
  // a finished run has its end time; only a SUCCEEDED one is DONE
  await expect(db.settlementRun.update({ where: { id: run.id }, data: { status: 'FAILED' } })).rejects.toThrow();
  await expect(
    db.settlementRun.update({ where: { id: run.id }, data: { status: 'SUCCEEDED', finishedAt: now } }),
  ).rejects.toThrow();
  const brandId = newId();
  await db.settlement.create({ data: { runId: run.id, brandId } });
  await expect(db.settlement.create({ data: { runId: run.id, brandId } })).rejects.toThrow();
  // fee, net and rate are closed together
  await expect(db.settlement.create({ data: { runId: run.id, brandId: newId(), fee: 1n } })).rejects.toThrow();
  // the catalog's seeded grades are known from the start
  expect(await db.catalogGrade.findMany({ where: { version: 1 }, orderBy: { grade: 'asc' } })).toEqual([
    expect.objectContaining({ grade: 'BASIC', feeRateBp: 350 }),
    expect.objectContaining({ grade: 'GOLD', feeRateBp: 250 }),
    expect.objectContaining({ grade: 'SILVER', feeRateBp: 300 }),
  ]);
});

it('enforces the money rules in the database, not only in code', async () => {
  const { order, payment, userId } = await paidOrder();
  // a balance never negative; a ledger entry never rewritten or deleted
  await expect(db.wallet.update({ where: { userId }, data: { balance: -1 } })).rejects.toThrow();
  await expect(db.wallet.update({ where: { userId }, data: { version: -1 } })).rejects.toThrow();
  const entry = await db.walletEntry.create({
    data: {
      id: newId(),
      userId,
      type: 'TOP_UP',
      amount: 100,
      balanceAfter: 100,
      paymentId: payment.id,
      createdAt: now,
    },
  });
  await expect(db.walletEntry.update({ where: { id: entry.id }, data: { amount: 1_000_000 } })).rejects.toThrow();
  await expect(db.walletEntry.delete({ where: { id: entry.id } })).rejects.toThrow();
  // credits are positive, debits negative; one CHARGE per payment
  const posting = (data: Record<string, unknown>) =>
    db.walletEntry.create({
      data: {
        id: newId(),
        userId,
        type: 'CHARGE',
        amount: -5_000,
        balanceAfter: 0,
        paymentId: payment.id,
        createdAt: now,
        ...data,
      },
    });
  await expect(posting({ amount: 5_000 })).rejects.toThrow();
  await posting({});
  await expect(posting({})).rejects.toThrow();
  // exactly one payment per order that is not FAILED; refunds never beyond the amount
  const second = { ...payment, id: newId() };
  await expect(db.payment.create({ data: second })).rejects.toThrow();
  await db.payment.create({ data: { ...second, status: 'FAILED', approvedAt: null } });
  await expect(db.payment.update({ where: { id: payment.id }, data: { refundedAmount: 5_001 } })).rejects.toThrow();
  // a card payment has its checkout; a top-up has no order and is never paid from the wallet
  await expect(
    db.payment.create({
      data: { ...second, id: newId(), orderId: order.orderId, method: 'CARD', status: 'FAILED', approvedAt: null },
    }),
  ).rejects.toThrow();
  await expect(
    db.payment.create({
      data: { ...second, id: newId(), purpose: 'TOP_UP', orderId: null, status: 'FAILED', approvedAt: null },
    }),
  ).rejects.toThrow();
});

it('carries unchanged copies of the shared outbox and inbox migrations', () => {
  const copy = (file: string) => readFileSync(new URL(`../db/migrations/${file}`, import.meta.url), 'utf8');
  expect(copy('20261201060000_outbox.sql')).toBe(readFileSync(outboxMigrationPath, 'utf8'));
  expect(copy('20261201060001_inbox.sql')).toBe(readInboxMigration());
});
