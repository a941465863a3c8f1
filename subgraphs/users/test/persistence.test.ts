import { readFileSync } from 'node:fs';
import { readInboxMigration } from '@radiata/inbox';
import { newId } from '@radiata/service-runtime';
import { startUsersDatabase, type UsersDatabase } from './support.js';

// prisma/schema.prisma is a hand-kept model of db/migrations: writing and reading every model
// and field through the client fails here when the two drift apart.
let database: UsersDatabase;
beforeAll(async () => {
  database = await startUsersDatabase();
});
afterAll(() => database.stop());

it('round-trips every model and field between the Prisma client and the migrated schema', async () => {
  const { db } = database;
  const now = new Date('2026-11-25T03:00:00.123Z');
  const user = await db.user.create({
    data: {
      id: newId(),
      email: 'drift@example.com',
      passwordHash: 'h',
      name: 'Drift',
      role: 'SELLER',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    },
  });
  // Every refresh-token family is a session (sessions-mail-persistence.test.ts covers that model).
  const session = await db.session.create({ data: { id: newId(), userId: user.id, expiresAt: now } });
  const token = await db.refreshToken.create({
    data: {
      id: newId(),
      familyId: session.id,
      userId: user.id,
      tokenHash: 'abc',
      expiresAt: now,
      createdAt: now,
      rotatedAt: now,
      revokedAt: now,
    },
  });
  const account = await db.pointAccount.create({ data: { userId: user.id, balance: 7, updatedAt: now } });
  const entry = await db.pointEntry.create({
    data: {
      id: newId(),
      userId: user.id,
      type: 'EXPIRE',
      amount: -3,
      balanceAfter: 4,
      reason: 'expired',
      orderId: newId(),
      createdAt: now,
    },
  });
  const refund = await db.refundedPointOrder.create({
    data: { orderId: newId(), userId: user.id, refunded: 5, revoked: 2, refundedAt: now },
  });

  expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
  expect(await db.refreshToken.findUniqueOrThrow({ where: { id: token.id } })).toEqual(token);
  expect(await db.pointAccount.findUniqueOrThrow({ where: { userId: user.id } })).toEqual({
    ...account,
    updatedAt: expect.any(Date),
  });
  expect(await db.pointEntry.findUniqueOrThrow({ where: { id: entry.id } })).toEqual(entry);
  expect(await db.refundedPointOrder.findUniqueOrThrow({ where: { orderId: refund.orderId } })).toEqual(refund);
  expect(user.createdAt).toEqual(now);
});

it('enforces the invariants in the database, not only in code', async () => {
  const { db } = database;
  const id = newId();
  await expect(
    db.user.create({ data: { id, email: 'UPPER@example.com', passwordHash: 'h', name: 'x' } }),
  ).rejects.toThrow();
  await db.user.create({ data: { id, email: 'lower@example.com', passwordHash: 'h', name: 'x' } });
  await expect(
    db.user.create({ data: { id: newId(), email: 'lower@example.com', passwordHash: 'h', name: 'y' } }),
  ).rejects.toMatchObject({ code: 'P2002' });
  await expect(db.pointAccount.create({ data: { userId: id, balance: -1 } })).rejects.toThrow();
  await expect(
    db.refundedPointOrder.create({ data: { orderId: newId(), userId: id, refunded: -1, revoked: 0 } }),
  ).rejects.toThrow();
});

it('carries an unchanged copy of the shared inbox migration', () => {
  const copy = readFileSync(new URL('../db/migrations/20261202040000_inbox.sql', import.meta.url), 'utf8');
  expect(copy).toBe(readInboxMigration());
});

it('round-trips an address book entry and keeps its rules in the database', async () => {
  const { db } = database;
  const now = new Date('2026-12-04T03:00:00.123Z');
  const user = await db.user.create({ data: { id: newId(), email: 'book@example.com', passwordHash: 'h', name: 'B' } });
  const address = await db.userAddress.create({
    data: {
      id: newId(),
      userId: user.id,
      label: 'Home',
      recipient: 'Kim',
      phone: '010-1234-5678',
      zipCode: '06236',
      roadAddress: '152 Teheran-ro',
      detailAddress: '12F',
      isDefault: true,
      version: 3,
      createdAt: now,
      updatedAt: now,
    },
  });
  expect(await db.userAddress.findUniqueOrThrow({ where: { id: address.id } })).toEqual(address);
  const valid = { userId: user.id, recipient: 'Kim', phone: '010-1234-5678', zipCode: '06236', roadAddress: 'r' };
  await expect(db.userAddress.create({ data: { ...valid, id: newId(), isDefault: true } })).rejects.toThrow();
  await expect(db.userAddress.create({ data: { ...valid, id: newId(), phone: '01012345678' } })).rejects.toThrow();
  await expect(db.userAddress.create({ data: { ...valid, id: newId(), zipCode: '1234' } })).rejects.toThrow();
  await expect(db.userAddress.create({ data: { ...valid, id: newId(), label: '' } })).rejects.toThrow();
  await expect(db.userAddress.create({ data: { ...valid, id: newId(), userId: newId() } })).rejects.toThrow();
});

it('round-trips what holds accounts open (orders in flight, wallet balances) and keeps their rules', async () => {
  const { db } = database;
  const now = new Date('2026-12-04T04:00:00.123Z');
  const order = await db.shopperOrder.create({
    data: { orderId: newId(), userId: newId(), status: 'AWAITING_PAYMENT', version: 4, updatedAt: now },
  });
  const wallet = await db.shopperWallet.create({
    data: { userId: newId(), balance: 5_000, version: 7, updatedAt: now },
  });
  expect(await db.shopperOrder.findUniqueOrThrow({ where: { orderId: order.orderId } })).toEqual(order);
  expect(await db.shopperWallet.findUniqueOrThrow({ where: { userId: wallet.userId } })).toEqual(wallet);
  await expect(db.shopperWallet.create({ data: { userId: newId(), balance: -1, version: 1 } })).rejects.toThrow();
  await expect(
    db.shopperOrder.create({ data: { orderId: newId(), userId: newId(), status: 'PAID', version: -1 } }),
  ).rejects.toThrow();
});
