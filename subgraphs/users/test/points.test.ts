import { newId } from '@radiata/service-runtime';
import { InsufficientPointsError, PointLedger } from '../src/domain/points.js';
import { newCustomer, startUsersDatabase, type UsersDatabase } from './support.js';

let database: UsersDatabase;
let ledger: PointLedger;
beforeAll(async () => {
  database = await startUsersDatabase(20);
  ledger = new PointLedger(database.db);
});
afterAll(() => database.stop());

const balanceOf = async (userId: string) =>
  (await database.db.pointAccount.findUniqueOrThrow({ where: { userId } })).balance;
const entriesOf = (userId: string) => database.db.pointEntry.findMany({ where: { userId }, orderBy: { id: 'asc' } });

describe('point ledger', () => {
  it('credits and debits with a running balance in every entry', async () => {
    const user = await newCustomer(database.db);
    await ledger.apply({ userId: user.id, type: 'EARN', amount: 1500, reason: 'order completed', orderId: newId() });
    const use = await ledger.apply({
      userId: user.id,
      type: 'USE',
      amount: -400,
      reason: 'paid with points',
      orderId: newId(),
    });
    expect(use.balanceAfter).toBe(1100);
    expect(await balanceOf(user.id)).toBe(1100);
    expect((await entriesOf(user.id)).map((e) => [e.type, e.amount, e.balanceAfter])).toEqual([
      ['EARN', 1500, 1500],
      ['USE', -400, 1100],
    ]);
  });

  it('is idempotent per order and entry type: a redelivered USE or REFUND changes nothing', async () => {
    const user = await newCustomer(database.db);
    await ledger.apply({ userId: user.id, type: 'ADJUST', amount: 1000, reason: 'welcome' });
    const orderId = newId();
    const first = await ledger.apply({ userId: user.id, type: 'USE', amount: -300, reason: 'order', orderId });
    const again = await ledger.apply({ userId: user.id, type: 'USE', amount: -300, reason: 'order', orderId });
    expect(again.id).toBe(first.id);
    await ledger.apply({ userId: user.id, type: 'REFUND', amount: 300, reason: 'order cancelled', orderId });
    await ledger.apply({ userId: user.id, type: 'REFUND', amount: 300, reason: 'order cancelled', orderId });
    expect(await balanceOf(user.id)).toBe(1000);
    expect(await entriesOf(user.id)).toHaveLength(3);
  });

  it('records one entry when the same order entry races with itself', async () => {
    const user = await newCustomer(database.db);
    await ledger.apply({ userId: user.id, type: 'ADJUST', amount: 10_000, reason: 'welcome' });
    const orderId = newId();
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        ledger.apply({ userId: user.id, type: 'USE', amount: -700, reason: 'order', orderId }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await balanceOf(user.id)).toBe(9_300);
    expect(await entriesOf(user.id)).toHaveLength(2);
  });

  it('never lets concurrent spending take the balance below zero', async () => {
    const user = await newCustomer(database.db);
    await ledger.apply({ userId: user.id, type: 'ADJUST', amount: 1_000, reason: 'welcome' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        ledger.apply({ userId: user.id, type: 'USE', amount: -100, reason: 'order', orderId: newId() }),
      ),
    );
    const spent = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(spent).toHaveLength(10);
    expect(refused).toHaveLength(190);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientPointsError);
    expect(await balanceOf(user.id)).toBe(0);
    const entries = await entriesOf(user.id);
    expect(entries).toHaveLength(11);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect(Math.min(...entries.map((e) => e.balanceAfter))).toBe(0);
  });

  it.each([
    ['a debit entered as EARN', { type: 'EARN' as const, amount: -5 }],
    ['a credit entered as USE', { type: 'USE' as const, amount: 5 }],
    ['a zero amount', { type: 'ADJUST' as const, amount: 0 }],
    ['a fractional amount', { type: 'ADJUST' as const, amount: 1.5 }],
    ['an amount beyond the integer range', { type: 'ADJUST' as const, amount: 3_000_000_000 }],
  ])('refuses %s and writes nothing', async (_case, entry) => {
    const user = await newCustomer(database.db);
    await expect(ledger.apply({ userId: user.id, reason: 'test', ...entry })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await entriesOf(user.id)).toHaveLength(0);
    expect(await balanceOf(user.id)).toBe(0);
  });

  it('keeps the ledger append-only in the database itself', async () => {
    const user = await newCustomer(database.db);
    const entry = await ledger.apply({ userId: user.id, type: 'ADJUST', amount: 50, reason: 'welcome' });
    await expect(
      database.db.$executeRaw`UPDATE point_entries SET amount = 5000 WHERE id = ${entry.id}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(database.db.$executeRaw`DELETE FROM point_entries WHERE id = ${entry.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
  });
});
