// The weekly settlement against the real database and broker: KST week boundaries, each brand's
// gross, refunds, fee and net, refunds after settlement, grade changes, re-runs, concurrent
// requests and runners, authorization, and the catalog replica fed through RabbitMQ.
import type { Viewer } from '@radiata/auth-context';
import { deadLetterQueueOf } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, queuedMessages, TestClock, testLogger } from '@radiata/testing';
import { Registry } from 'prom-client';
import { SettlementRunner } from '../src/domain/settlement/settlement-runner.js';
import { CATALOG_EXCHANGE, CATALOG_QUEUE } from '../src/messaging/catalog-consumer.js';
import { settlementEvents } from '../src/messaging/payments-events.js';
import { settlementMetrics } from '../src/metrics.js';
import { advisoryRunLocks } from '../src/persistence/run-lock.js';
import { admin, customer, type PaymentsStack, PIN, seller, startPayments, walletWith } from './support.js';

/** An instant given in Korea's local time. */
const kst = (local: string) => new Date(`${local}+09:00`);

const clock = new TestClock();
let stack: PaymentsStack;
let broker: Rabbit;

const owners = { a: seller(), b: seller(), other: seller() };
const brands = { a: newId(), b: newId(), c: newId() };

beforeAll(async () => {
  clock.set(kst('2027-01-11T09:00:00.000'));
  stack = await startPayments({
    clock,
    env: { SETTLEMENT_SCHEDULE: 'off', SETTLEMENT_CHUNK_SIZE: '3', SETTLEMENT_POLL_INTERVAL_MS: '3600000' },
  });
  broker = await connectRabbit({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'payments-settlement-test',
    logger: testLogger('rabbit'),
    namespace: stack.namespace.rabbitmq,
  });
  await fromCatalog('catalog.grade.changed', { grade: 'BASIC', name: 'Basic', feeRateBasisPoints: 350, version: 1 });
  await fromCatalog('catalog.grade.changed', { grade: 'GOLD', name: 'Gold', feeRateBasisPoints: 250, version: 1 });
  await fromCatalog('catalog.grade.changed', { grade: 'SILVER', name: 'Silver', feeRateBasisPoints: 300, version: 1 });
  await brandChanged(brands.a, owners.a, 'GOLD', 2);
  // brand b: the catalog's default grade, told without a rate of its own
  await brandChanged(brands.b, owners.b, 'BASIC', 1);
  await eventually(async () => (await stack.sql('SELECT 1 FROM catalog_brands')).length === 2);
  await eventually(async () => (await stack.sql('SELECT 1 FROM catalog_grades')).length === 3);
}, 60_000);

afterAll(async () => {
  await broker?.close();
  await stack?.stop();
});

/** Publishes on the catalog's exchange as its outbox relay does. */
async function fromCatalog(routingKey: string, payload: object, messageId = newId()): Promise<string> {
  await broker.publish(
    CATALOG_EXCHANGE,
    routingKey,
    { ...payload, occurredAt: new Date().toISOString() },
    { messageId },
  );
  return messageId;
}

const brandChanged = (brandId: string, owner: Viewer, grade: string, version: number) =>
  fromCatalog('catalog.brand.changed', {
    brandId,
    ownerId: owner.id,
    name: `brand ${version}`,
    grade,
    deleted: false,
    version,
  });

/** An order paid in full at `approvedAt`, written as payments records one (for volume and exact instants). */
async function approvedPayment(amountsByBrand: Record<string, number>, approvedAt: Date): Promise<string> {
  const orderId = newId();
  const paymentId = newId();
  const amount = Object.values(amountsByBrand).reduce((sum, won) => sum + won, 0);
  const userId = newId();
  await stack.sql(
    `INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status) VALUES ($1, $2, $3, $4, 'AWAITING_PAYMENT')`,
    orderId,
    userId,
    amount,
    JSON.stringify(amountsByBrand),
  );
  await stack.sql(
    `INSERT INTO payments (id, purpose, order_id, user_id, method, amount, status, approved_at)
     VALUES ($1, 'ORDER', $2, $3, 'WALLET', $4, 'APPROVED', $5)`,
    paymentId,
    orderId,
    userId,
    amount,
    approvedAt,
  );
  return paymentId;
}

/** An order paid with a wallet through the real flow, then dated `approvedAt`. */
async function paidWithWallet(amountsByBrand: Record<string, number>, approvedAt: Date) {
  const amount = Object.values(amountsByBrand).reduce((sum, won) => sum + won, 0);
  const shopper = await walletWith(stack, amount);
  const orderId = newId();
  await stack.services.payableOrders.apply('test', newId(), {
    kind: 'awaiting-payment',
    orderId,
    userId: shopper.id,
    amount,
    amountsByBrand,
  });
  const payment = await stack.services.orderPayments.pay(shopper, { orderId, method: 'WALLET', pin: PIN });
  expect(payment.status).toBe('APPROVED');
  await stack.sql('UPDATE payments SET approved_at = $1 WHERE id = $2', approvedAt, payment.id);
  return payment.id;
}

/** An ADMIN's refund through the real flow (a wallet refund completes at once), then dated `completedAt`. */
async function refunded(paymentId: string, amount: number, completedAt: Date) {
  const refund = await stack.services.refunds.refundPayment(admin, {
    refundId: newId(),
    paymentId,
    amount,
    reason: 'returned',
  });
  expect(refund.status).toBe('DONE');
  await stack.sql('UPDATE refunds SET completed_at = $1 WHERE id = $2', completedAt, refund.id);
  return refund.id;
}

const gql = <T>(viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  stack.client.call<T>(viewer, query, variables);

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.code);

interface RunView {
  id: string;
  status: string;
  phase: string;
  processed: number;
  total: number | null;
  period: { startsOn: string; start: string; end: string };
}
const RUN = 'id status phase processed total period { startsOn start end }';

async function runSettlement(period: string): Promise<RunView> {
  const result = await gql<{ runSettlement: RunView }>(
    admin,
    `mutation($period: String) { runSettlement(period: $period) { ${RUN} } }`,
    { period },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.runSettlement as RunView;
}

async function settled(period: string): Promise<RunView> {
  const run = await runSettlement(period);
  await stack.services.settlementRunner.runPending();
  let final = run;
  await eventually(async () => {
    const result = await gql<{ settlementRun: RunView }>(
      admin,
      `query($id: ID!) { settlementRun(id: $id) { ${RUN} } }`,
      {
        id: run.id,
      },
    );
    final = result.data?.settlementRun as RunView;
    return final.status !== 'RUNNING';
  });
  return final;
}

const SETTLEMENT =
  'brand { id } period { startsOn } gross refunds fee net grade feeRatePercent paymentCount refundCount';
interface SettlementView {
  brand: { id: string };
  period: { startsOn: string };
  gross: number;
  refunds: number;
  fee: number;
  net: number;
  grade: string;
  feeRatePercent: number;
  paymentCount: number;
  refundCount: number;
}

async function settlementsOf(period: string): Promise<Map<string, SettlementView>> {
  const result = await gql<{ settlements: { edges: { node: SettlementView }[] } }>(
    admin,
    `query($period: String) { settlements(period: $period, first: 100) { edges { node { ${SETTLEMENT} } } } }`,
    { period },
  );
  expect(result.errors).toBeUndefined();
  return new Map(result.data?.settlements.edges.map(({ node }) => [node.brand.id, node]));
}

/** Everything the settlement wrote, as text: equal before and after means nothing changed. */
async function snapshot(): Promise<string> {
  const rows = await stack.sql<{ state: string }>(
    `SELECT concat_ws('|',
       (SELECT string_agg(concat_ws(':', run_id, brand_id, gross, refunds, fee, net, payment_count, refund_count, grade, fee_rate_bp), ',' ORDER BY run_id, brand_id) FROM settlements),
       (SELECT string_agg(concat_ws(':', id, settlement_run_id), ',' ORDER BY id) FROM payments),
       (SELECT string_agg(concat_ws(':', id, settlement_run_id), ',' ORDER BY id) FROM refunds),
       (SELECT string_agg(concat_ws(':', id, status, processed, total, finished_at), ',' ORDER BY id) FROM settlement_runs)) AS state`,
  );
  return rows[0]?.state ?? '';
}

describe('a week settled', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.atStart = await approvedPayment({ [brands.a]: 10_001, [brands.b]: 5_000 }, kst('2026-11-16T00:00:00.000'));
    ids.lastInstant = await approvedPayment({ [brands.a]: 3_333 }, kst('2026-11-22T23:59:59.999'));
    ids.nextWeek = await approvedPayment({ [brands.a]: 7_000 }, kst('2026-11-23T00:00:00.000'));
    ids.wallet = await paidWithWallet({ [brands.a]: 4_000, [brands.b]: 2_000 }, kst('2026-11-18T12:00:00.000'));
    await refunded(ids.wallet, 3_000, kst('2026-11-19T12:00:00.000'));
  }, 60_000);

  it('takes what was approved or refunded in the KST week: Sunday 23:59:59.999 in, Monday 00:00:00.000 out', async () => {
    const run = await settled('2026-11-16');
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      phase: 'DONE',
      processed: 4,
      total: 4,
      period: { startsOn: '2026-11-16', start: '2026-11-15T15:00:00.000Z', end: '2026-11-22T15:00:00.000Z' },
    });
    const marks = await stack.sql<{ id: string; settlement_run_id: string | null }>(
      'SELECT id, settlement_run_id FROM payments WHERE id = ANY($1)',
      Object.values(ids),
    );
    const markOf = new Map(marks.map((row) => [row.id, row.settlement_run_id]));
    expect(markOf.get(ids.atStart as string)).toBe(run.id);
    expect(markOf.get(ids.lastInstant as string)).toBe(run.id);
    expect(markOf.get(ids.wallet as string)).toBe(run.id);
    expect(markOf.get(ids.nextWeek as string)).toBeNull();
  });

  it("gives each brand its gross, refunds, fee (its grade's rate, rounded down) and net", async () => {
    const week = await settlementsOf('2026-11-16');
    expect(week.size).toBe(2);
    // a: 10,001 + 3,333 + 4,000; the 3,000 refund of 4,000 + 2,000 splits 2,000 / 1,000; GOLD 2.5 %
    expect(week.get(brands.a)).toEqual({
      brand: { id: brands.a },
      period: { startsOn: '2026-11-16' },
      gross: 17_334,
      refunds: 2_000,
      fee: 433, // 433.35
      net: 17_334 - 2_000 - 433,
      grade: 'GOLD',
      feeRatePercent: 2.5,
      paymentCount: 3,
      refundCount: 1,
    });
    expect(week.get(brands.b)).toEqual({
      brand: { id: brands.b },
      period: { startsOn: '2026-11-16' },
      gross: 7_000,
      refunds: 1_000,
      fee: 245,
      net: 7_000 - 1_000 - 245,
      grade: 'BASIC',
      feeRatePercent: 3.5,
      paymentCount: 2,
      refundCount: 1,
    });
  });

  it('records payments.settlement.completed in the outbox with the totals', async () => {
    const events = await stack.sql<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox_messages WHERE routing_key = 'payments.settlement.completed' AND payload->>'periodStartsOn' = '2026-11-16'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      brands: 2,
      gross: 24_334,
      refunds: 3_000,
      fee: 678,
      net: 24_334 - 3_000 - 678,
    });
  });

  it('asking again for a settled week answers the same run and changes nothing', async () => {
    const before = await snapshot();
    const first = await runSettlement('2026-11-16');
    const again = await Promise.all([runSettlement('2026-11-16'), runSettlement('2026-11-16')]);
    await stack.services.settlementRunner.runPending();
    expect(new Set([first.id, ...again.map((run) => run.id)]).size).toBe(1);
    expect(first.status).toBe('SUCCEEDED');
    expect(await snapshot()).toBe(before);
  });

  it('a refund after its payment was settled, and a grade change, go to the next week; the closed week stays', async () => {
    const closed = await settlementsOf('2026-11-16');
    await refunded(ids.wallet as string, 1_000, kst('2026-11-24T10:00:00.000'));
    const before = await snapshot();
    // brand a goes SILVER (3 %); a stale event (older version) changes nothing
    await brandChanged(brands.a, owners.a, 'SILVER', 3);
    await brandChanged(brands.a, owners.a, 'BASIC', 1);
    await eventually(async () => {
      const [brand] = await stack.sql<{ grade: string; version: number }>(
        'SELECT grade, version FROM catalog_brands WHERE brand_id = $1',
        brands.a,
      );
      const heard = await stack.sql('SELECT 1 FROM inbox_messages WHERE consumer = $1', CATALOG_QUEUE);
      return brand?.grade === 'SILVER' && heard.length >= 7;
    });
    expect(
      (await stack.sql<{ grade: string }>('SELECT grade FROM catalog_brands WHERE brand_id = $1', brands.a))[0]?.grade,
    ).toBe('SILVER');
    expect(await snapshot()).toBe(before);

    const run = await settled('2026-11-23');
    expect(run).toMatchObject({ status: 'SUCCEEDED', processed: 2, total: 2 });
    expect(await settlementsOf('2026-11-16')).toEqual(closed);
    const week = await settlementsOf('2026-11-23');
    // refunded 4,000 of 4,000 + 2,000 now splits 2,667 / 1,333: this refund's part is 667 / 333
    expect(week.get(brands.a)).toMatchObject({
      gross: 7_000,
      refunds: 667,
      fee: 210,
      net: 7_000 - 667 - 210,
      grade: 'SILVER',
      paymentCount: 1,
      refundCount: 1,
    });
    expect(week.get(brands.b)).toMatchObject({
      gross: 0,
      refunds: 333,
      fee: 0,
      net: -333,
      grade: 'BASIC',
      paymentCount: 0,
      refundCount: 1,
    });
  });

  it('refuses a week not over, a date that is not a Monday, and a week before a settled one', async () => {
    const before = await snapshot();
    const attempt = (period: string) =>
      gql(admin, 'mutation($period: String) { runSettlement(period: $period) { id } }', { period });
    expect(codes(await attempt('2027-01-11'))).toEqual(['BAD_USER_INPUT']); // ends 2027-01-18, the clock says 01-11
    expect(codes(await attempt('2026-11-17'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await attempt('2026-02-30'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await attempt('2026-11-09'))).toEqual(['CONFLICT']);
    expect(await snapshot()).toBe(before);
  });
});

it("splits partial refunds over the order's brands so a brand never gives back more than its part", async () => {
  const parts = { [brands.a]: 3_333, [brands.b]: 3_333, [brands.c]: 3_334 };
  const paymentId = await paidWithWallet(parts, kst('2026-12-14T10:00:00.000'));
  const given: Record<string, number>[] = [];
  for (const amount of [1, 1, 1, 2, 4_000, 1, 5_994]) {
    const refundId = await refunded(paymentId, amount, kst('2026-12-15T10:00:00.000'));
    const [row] = await stack.sql<{ amounts_by_brand: Record<string, number> }>(
      'SELECT amounts_by_brand FROM refunds WHERE id = $1',
      refundId,
    );
    const split = row?.amounts_by_brand ?? {};
    expect(Object.values(split).reduce((sum, won) => sum + won, 0)).toBe(amount);
    given.push(split);
    for (const brand of Object.keys(parts)) {
      const sofar = given.reduce((sum, refund) => sum + (refund[brand] ?? 0), 0);
      expect(sofar).toBeLessThanOrEqual(parts[brand] as number);
    }
  }
  // refunded in full: each brand gave back exactly its part
  for (const brand of Object.keys(parts)) {
    expect(given.reduce((sum, refund) => sum + (refund[brand] ?? 0), 0)).toBe(parts[brand]);
  }
}, 60_000);

describe('who may see and run settlements', () => {
  const runMutation = 'mutation { runSettlement(period: "2026-12-28") { id } }';

  it('runSettlement, settlementRuns and settlements are for ADMINs only', async () => {
    const runs = async () => (await stack.sql('SELECT 1 FROM settlement_runs')).length;
    const before = await runs();
    expect(codes(await gql(null, runMutation))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(customer(), runMutation))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(owners.a, runMutation))).toEqual(['FORBIDDEN']);
    expect(await runs()).toBe(before);
    expect(codes(await gql(owners.a, '{ settlements { edges { node { gross } } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(customer(), '{ settlementRuns { edges { node { id } } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(null, '{ settlementRuns { edges { node { id } } } }'))).toEqual(['UNAUTHENTICATED']);
    const listed = await gql<{ settlementRuns: { edges: { node: { period: { startsOn: string } } }[] } }>(
      admin,
      '{ settlementRuns { edges { node { period { startsOn } } } } }',
    );
    expect(listed.data?.settlementRuns.edges.map((edge) => edge.node.period.startsOn)).toEqual(
      expect.arrayContaining(['2026-11-16', '2026-11-23']),
    );
  });

  it("a seller sees their own brands' settlements only", async () => {
    const mine = async (viewer: Viewer) => {
      const result = await gql<{ mySettlements: { edges: { node: SettlementView }[] } }>(
        viewer,
        `{ mySettlements(first: 100) { edges { node { ${SETTLEMENT} } } } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data?.mySettlements.edges.map(
        ({ node }) => `${node.brand.id === brands.a ? 'a' : 'b'} ${node.period.startsOn}`,
      );
    };
    // newest first
    expect(await mine(owners.a)).toEqual(['a 2026-11-23', 'a 2026-11-16']);
    expect(await mine(owners.b)).toEqual(['b 2026-11-23', 'b 2026-11-16']);
    expect(await mine(owners.other)).toEqual([]);
    expect(codes(await gql(customer(), '{ mySettlements { edges { node { gross } } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(null, '{ mySettlements { edges { node { gross } } } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it("Brand.settlements: the brand's owner and admins; FORBIDDEN for anyone else", async () => {
    const ofBrand = (viewer: Viewer | null, brandId: string) =>
      gql<{ _entities: { settlements: { edges: { node: { gross: number } }[] } }[] }>(
        viewer,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Brand { settlements { edges { node { gross } } } } } }',
        { r: [{ __typename: 'Brand', id: brandId }] },
      );
    const own = await ofBrand(owners.a, brands.a);
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities[0]?.settlements.edges.map((edge) => edge.node.gross).sort()).toEqual(
      [17_334, 7_000].sort(),
    );
    const byAdmin = await ofBrand(admin, brands.b);
    expect(byAdmin.data?._entities[0]?.settlements.edges).toHaveLength(2);
    expect(codes(await ofBrand(owners.b, brands.a))).toEqual(['FORBIDDEN']);
    expect(codes(await ofBrand(customer(), brands.a))).toEqual(['FORBIDDEN']);
    expect(codes(await ofBrand(owners.a, brands.c))).toEqual(['FORBIDDEN']);
    expect(codes(await ofBrand(null, brands.a))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('runs and runners at once', () => {
  const lockRun = () => advisoryRunLocks(stack.env.DATABASE_URL as string);
  const anotherRunner = () =>
    new SettlementRunner(
      stack.services.db,
      lockRun(),
      settlementEvents,
      clock,
      testLogger('settlement'),
      settlementMetrics(new Registry()),
      { timeZone: 'Asia/Seoul', chunkSize: 2, attempts: 3 },
    );

  /** `count` payments to brand a, approved in the week starting `startsOn`. */
  async function weekOfPayments(startsOn: string, count: number) {
    for (let i = 0; i < count; i += 1) {
      await approvedPayment({ [brands.a]: 1_000 + i, [brands.c]: 10 }, kst(`${startsOn}T09:00:00.000`));
    }
    return { gross: count * 1_000 + (count * (count - 1)) / 2, count };
  }

  it('two admins asking at once make one run; a second runner finds it busy while the first holds it', async () => {
    const expected = await weekOfPayments('2026-11-30', 25);
    const runs = await Promise.all(Array.from({ length: 8 }, () => runSettlement('2026-11-30')));
    expect(new Set(runs.map((run) => run.id)).size).toBe(1);
    const runId = runs[0]?.id as string;
    expect(await stack.sql('SELECT 1 FROM settlement_runs WHERE id = $1', runId)).toHaveLength(1);

    // While one process holds the run, no other runs it.
    await stack.services.settlementRunner.stop();
    const held = await lockRun()(runId);
    expect(held).not.toBeNull();
    expect(await anotherRunner().runToEnd(runId)).toBe('busy');
    await held?.release();

    // Two runners racing for it: one runs it, each payment is taken once.
    const outcomes = await Promise.all([anotherRunner().runToEnd(runId), anotherRunner().runToEnd(runId)]);
    expect(outcomes.filter((outcome) => outcome === 'finished').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((outcome) => outcome === 'finished' || outcome === 'busy')).toBe(true);
    const week = await settlementsOf('2026-11-30');
    expect(week.get(brands.a)).toMatchObject({ gross: expected.gross, paymentCount: expected.count });
    expect(week.get(brands.c)).toMatchObject({ gross: 10 * expected.count, grade: 'BASIC' });
  });

  it('a runner that lost its run to another stops at its next chunk, and the other finishes it exactly', async () => {
    const expected = await weekOfPayments('2026-12-07', 9);
    const run = await stack.services.settlementRuns.start(stack.services.settlementRuns.period('2026-12-07'), admin.id);
    const first = anotherRunner();
    const outcome = await first.runToEnd(run.id, async () => {
      // what a replica does when it takes over a run whose runner's lock it saw released
      await stack.sql("UPDATE settlement_runs SET runner = 'another replica' WHERE id = $1", run.id);
    });
    expect(outcome).toBe('lost');
    expect(await anotherRunner().runToEnd(run.id)).toBe('finished');
    const week = await settlementsOf('2026-12-07');
    expect(week.get(brands.a)).toMatchObject({ gross: expected.gross, paymentCount: expected.count });
    const [marks] = await stack.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM payments WHERE settlement_run_id = $1',
      run.id,
    );
    expect(marks?.n).toBe(expected.count);
  });
});

it('dead-letters a malformed catalog event and keeps the replica as it was', async () => {
  const before = await stack.sql('SELECT * FROM catalog_brands ORDER BY brand_id');
  const messageId = await fromCatalog('catalog.brand.changed', { brandId: 'not-a-uuid', grade: 'GOLD', version: 9 });
  const deadLetters = `${stack.namespace.rabbitmq}${deadLetterQueueOf(CATALOG_QUEUE)}`;
  await eventually(async () => (await queuedMessages(deadLetters)).some((message) => message.messageId === messageId));
  expect(await stack.sql('SELECT * FROM catalog_brands ORDER BY brand_id')).toEqual(before);
});
