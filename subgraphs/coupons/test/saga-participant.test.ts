import { listDeadLetters } from '@radiata/inbox';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { commandRoutingKey, SAGA_COMMAND_EXCHANGE, type SagaCommand, sagaReplySchema } from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import { eventually, testLogger, testSqlPool } from '@radiata/testing';
import { z } from 'zod';
import { SAGA_COMMANDS_QUEUE } from '../src/messaging/saga-participant.js';
import { type CouponsStack, HOUR, issueCoupon, startCouponsStack } from './support.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

let stack: CouponsStack;
let orders: Rabbit;

beforeAll(async () => {
  stack = await startCouponsStack({ CLAIM_PERSISTER: 'false' });
  // The orders subgraph's side: publishing commands into the stack's namespace.
  orders = await connectRabbit({
    url: RABBITMQ_URL,
    name: 'coupons-saga-test',
    logger: testLogger('rabbit'),
    namespace: stack.test.namespace.rabbitmq,
  });
});
afterAll(async () => {
  await orders.close();
  await stack.stop();
});
afterEach(() => stack.clock.set(undefined));

const command = <T extends object>(orderId: string, action: string, data: T, attempt = 1): SagaCommand<T> => ({
  orderId,
  action,
  attempt,
  issuedAt: new Date().toISOString(),
  data,
});

/** Publishes a command as the orders outbox relay will: a messageId of its own, JSON, on `radiata.orders`. */
async function send(command: SagaCommand<object>, options: { routingKeyAction?: string } = {}): Promise<string> {
  const messageId = newId();
  const routingKey = commandRoutingKey('coupons', options.routingKeyAction ?? command.action);
  await orders.publish(SAGA_COMMAND_EXCHANGE, routingKey, command, { messageId });
  return messageId;
}

interface ReplyRow {
  exchange: string;
  routing_key: string;
  payload: Record<string, unknown>;
}

/** The order's replies in the coupons outbox, by attempt then commit. */
const repliesOf = (orderId: string) =>
  stack.sql<ReplyRow>(
    `SELECT exchange, routing_key, payload FROM outbox_messages
      WHERE routing_key LIKE 'coupons.saga.%' AND payload->>'orderId' = $1
      ORDER BY (payload->>'attempt')::int, created_at`,
    orderId,
  );

/** Sends the command and resolves with the reply it got (the order's replies grow by one). */
async function answer(sent: SagaCommand<object>): Promise<ReplyRow> {
  const before = (await repliesOf(sent.orderId)).length;
  await send(sent);
  await eventually(async () => (await repliesOf(sent.orderId)).length > before);
  const replies = await repliesOf(sent.orderId);
  expect(replies).toHaveLength(before + 1);
  return replies[before] as ReplyRow;
}

/** What an answer says, without its timestamp. */
const outcomeOf = ({ routing_key, payload }: ReplyRow) => ({
  routingKey: routing_key,
  attempt: payload.attempt,
  outcome: payload.outcome,
  reason: payload.reason,
  data: payload.data,
});

const useData = (issue: { id: string }, userId: string, orderAmount: number) => ({
  userId,
  issueId: issue.id,
  orderAmount,
});

const issueState = (issueId: string) =>
  stack.subgraph.services.db.couponIssue.findUniqueOrThrow({
    where: { id: issueId },
    select: { status: true, orderId: true, usedAt: true, discount: true },
  });
const UNUSED = { status: 'ISSUED', orderId: null, usedAt: null, discount: null };

const tombstoneOf = (orderId: string) =>
  stack.subgraph.services.db.restoredOrder.findUnique({ where: { orderId }, select: { issueId: true } });

/** What orders will read from a `used` reply. */
const usedReply = sagaReplySchema(
  z.union([
    z.object({ issueId: z.string(), couponId: z.string(), discount: z.number().int() }),
    z.object({ refusal: z.string() }),
  ]),
);

const UPDATE_COUPON = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateCouponInput!) { updateCoupon(id: $id, input: $input) { id } }
`;

describe('use', () => {
  it('uses a RATE coupon for the order and answers its discount, the same on a resend', async () => {
    const { coupon, userId, issue } = await issueCoupon(stack, { discountRate: 10, maxOrderAmount: 100_000 });
    const orderId = newId();
    const use = command(orderId, 'use', useData(issue, userId, 54_321));
    const reply = await answer(use);
    expect(reply).toEqual({
      exchange: 'radiata.coupons',
      routing_key: 'coupons.saga.used',
      payload: {
        orderId,
        action: 'use',
        attempt: 1,
        outcome: 'DONE',
        data: { issueId: issue.id, couponId: coupon.id, discount: 5_432 },
        occurredAt: expect.any(String),
      },
    });
    expect(usedReply.parse(reply.payload).data).toEqual({ issueId: issue.id, couponId: coupon.id, discount: 5_432 });
    const used = await issueState(issue.id);
    expect(used).toEqual({ status: 'USED', orderId, usedAt: expect.any(Date), discount: 5_432 });

    // Orders resends the command that got no reply in time: a new message, the same answer, no second use.
    const again = await answer({ ...use, attempt: 2 });
    expect(again.payload).toEqual({ ...reply.payload, attempt: 2, occurredAt: expect.any(String) });
    expect(await issueState(issue.id)).toEqual(used);
  });

  it('uses an AMOUNT coupon for the order and answers its discount, never more than the amount', async () => {
    const { coupon, userId, issue } = await issueCoupon(stack, {
      discountType: 'AMOUNT',
      discountRate: undefined,
      discountAmount: 5_000,
    });
    const orderId = newId();
    const reply = await answer(command(orderId, 'use', useData(issue, userId, 20_000)));
    expect(outcomeOf(reply)).toEqual({
      routingKey: 'coupons.saga.used',
      attempt: 1,
      outcome: 'DONE',
      reason: undefined,
      data: { issueId: issue.id, couponId: coupon.id, discount: 5_000 },
    });
    expect(await issueState(issue.id)).toEqual({ status: 'USED', orderId, usedAt: expect.any(Date), discount: 5_000 });

    const small = await issueCoupon(stack, { discountType: 'AMOUNT', discountRate: undefined, discountAmount: 5_000 });
    const capped = await answer(command(newId(), 'use', useData(small.issue, small.userId, 3_000)));
    expect(capped.payload.data).toEqual({ issueId: small.issue.id, couponId: small.coupon.id, discount: 3_000 });
  });

  it('answers a resend with the discount it granted, after the coupon was edited', async () => {
    const { coupon, userId, issue } = await issueCoupon(stack, { discountRate: 10, maxOrderAmount: 100_000 });
    const orderId = newId();
    const use = command(orderId, 'use', useData(issue, userId, 50_000));
    const reply = await answer(use);
    expect(reply.payload.data).toEqual({ issueId: issue.id, couponId: coupon.id, discount: 5_000 });

    // An admin moves issuing back into the future, which lets the discount change, then changes it
    // and the amount range, so the order's amount would now get another answer or none.
    const edit = async (input: Record<string, unknown>) => {
      const result = await stack.call(stack.admin, UPDATE_COUPON, { id: coupon.id, input });
      expect(result.errors).toBeUndefined();
    };
    await edit({
      issueStartAt: new Date(Date.now() + HOUR).toISOString(),
      issueEndAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    await edit({ discountRate: 50, maxOrderAmount: 40_000 });
    expect(await stack.subgraph.services.db.coupon.findUniqueOrThrow({ where: { id: coupon.id } })).toMatchObject({
      discountRate: 50,
      maxOrderAmount: 40_000,
    });

    const again = await answer({ ...use, attempt: 2 });
    expect(outcomeOf(again)).toEqual({ ...outcomeOf(reply), attempt: 2 });
    expect(await issueState(issue.id)).toEqual({ status: 'USED', orderId, usedAt: expect.any(Date), discount: 5_000 });
  });

  it('refuses a coupon it cannot use, saying why, and changes nothing', async () => {
    const { userId, issue } = await issueCoupon(stack, { minOrderAmount: 10_000, maxOrderAmount: 100_000 });
    const taken = await issueCoupon(stack);
    const holder = newId();
    await answer(command(holder, 'use', useData(taken.issue, taken.userId, 30_000)));
    const holding = await issueState(taken.issue.id);
    expect(holding).toEqual({ status: 'USED', orderId: holder, usedAt: expect.any(Date), discount: 3_000 });

    const refusals: [string, object][] = [
      ['NOT_FOUND', useData({ id: newId() }, userId, 30_000)],
      ['NOT_YOURS', useData(issue, newId(), 30_000)],
      ['ALREADY_USED', useData(taken.issue, taken.userId, 30_000)],
      ['AMOUNT_OUT_OF_RANGE', useData(issue, userId, 9_999)],
      ['AMOUNT_OUT_OF_RANGE', useData(issue, userId, 100_001)],
    ];
    for (const [refusal, data] of refusals) {
      const orderId = newId();
      const reply = await answer(command(orderId, 'use', data));
      expect(outcomeOf(reply)).toEqual({
        routingKey: 'coupons.saga.used',
        attempt: 1,
        outcome: 'REFUSED',
        reason: 'COUPON_NOT_USABLE',
        data: { refusal },
      });
      expect(usedReply.parse(reply.payload).reason).toBe('COUPON_NOT_USABLE');
      expect(await tombstoneOf(orderId)).toBeNull();
    }

    stack.clock.set(issue.expiresAt);
    const expired = await answer(command(newId(), 'use', useData(issue, userId, 30_000)));
    expect(outcomeOf(expired)).toEqual(
      expect.objectContaining({ outcome: 'REFUSED', reason: 'COUPON_NOT_USABLE', data: { refusal: 'EXPIRED' } }),
    );

    expect(await issueState(issue.id)).toEqual(UNUSED);
    expect(await issueState(taken.issue.id)).toEqual(holding);
  });
});

describe('restore', () => {
  it('gives the coupon back once, answering the same on a resend, and refuses a late use of the order', async () => {
    const { userId, issue } = await issueCoupon(stack);
    const orderId = newId();
    const use = command(orderId, 'use', useData(issue, userId, 30_000));
    await answer(use);
    const restore = command(orderId, 'restore', {});
    const restored = await answer(restore);
    expect(restored).toEqual({
      exchange: 'radiata.coupons',
      routing_key: 'coupons.saga.restored',
      payload: {
        orderId,
        action: 'restore',
        attempt: 1,
        outcome: 'DONE',
        data: { restored: true },
        occurredAt: expect.any(String),
      },
    });
    expect(await issueState(issue.id)).toEqual(UNUSED);
    expect(await tombstoneOf(orderId)).toEqual({ issueId: issue.id });

    // Another order uses the coupon given back; the restore resent for the first order changes nothing.
    const next = newId();
    expect((await answer(command(next, 'use', useData(issue, userId, 30_000)))).payload.outcome).toBe('DONE');
    expect(outcomeOf(await answer({ ...restore, attempt: 2 }))).toEqual({ ...outcomeOf(restored), attempt: 2 });
    // A late copy of the first order's use is never applied.
    expect(outcomeOf(await answer({ ...use, attempt: 2 }))).toEqual({
      routingKey: 'coupons.saga.used',
      attempt: 2,
      outcome: 'REFUSED',
      reason: 'ALREADY_RELEASED',
      data: { refusal: 'ALREADY_RELEASED' },
    });
    expect(await issueState(issue.id)).toEqual({
      status: 'USED',
      orderId: next,
      usedAt: expect.any(Date),
      discount: 3_000,
    });
  });

  it('restores an order that used no coupon as nothing, and refuses its use arriving afterwards', async () => {
    const { userId, issue } = await issueCoupon(stack);
    const orderId = newId();
    const restored = await answer(command(orderId, 'restore', {}));
    expect(outcomeOf(restored)).toEqual({
      routingKey: 'coupons.saga.restored',
      attempt: 1,
      outcome: 'DONE',
      reason: undefined,
      data: { restored: false },
    });
    expect(await tombstoneOf(orderId)).toEqual({ issueId: null });

    const late = await answer(command(orderId, 'use', useData(issue, userId, 30_000)));
    expect(outcomeOf(late)).toEqual({
      routingKey: 'coupons.saga.used',
      attempt: 1,
      outcome: 'REFUSED',
      reason: 'ALREADY_RELEASED',
      data: { refusal: 'ALREADY_RELEASED' },
    });
    expect(await issueState(issue.id)).toEqual(UNUSED);
  });
});

it('dead-letters commands it can never apply, and goes on answering', async () => {
  const { userId, issue } = await issueCoupon(stack);
  const data = useData(issue, userId, 30_000);
  const holder = await issueCoupon(stack);
  const holding = newId();
  await answer(command(holding, 'use', useData(holder.issue, holder.userId, 30_000)));
  const spare = await issueCoupon(stack);

  const unreadable = newId();
  const invalid = [
    // An action coupons does not have.
    await send(command(unreadable, 'refund', {})),
    // A malformed envelope: attempts start at 1.
    await send(command(unreadable, 'use', data, 0)),
    // Data the action refuses.
    await send(command(unreadable, 'use', { ...data, orderAmount: -1 })),
    await send(command(unreadable, 'use', { ...data, orderAmount: 1.5 })),
    await send(command(unreadable, 'use', { ...data, issueId: 'not-an-id' })),
    await send(command(unreadable, 'use', { issueId: issue.id, orderAmount: 30_000 })),
    // An envelope for another action than its routing key's.
    await send(command(unreadable, 'restore', {}), { routingKeyAction: 'use' }),
    // A second coupon for an order that already uses one.
    await send(command(holding, 'use', useData(spare.issue, spare.userId, 30_000), 2)),
  ];
  const orderId = newId();
  expect((await answer(command(orderId, 'use', data))).payload.outcome).toBe('DONE');

  const broker = { url: RABBITMQ_URL, namespace: stack.test.namespace.rabbitmq };
  await eventually(async () => (await listDeadLetters(broker, SAGA_COMMANDS_QUEUE)).depth === invalid.length);
  const { deadLetters } = await listDeadLetters(broker, SAGA_COMMANDS_QUEUE);
  expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...invalid].sort());
  expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(invalid.map(() => 'rejected'));
  // None of them replied or used a coupon.
  expect(await repliesOf(unreadable)).toEqual([]);
  expect((await repliesOf(holding)).map(outcomeOf)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'DONE' })]);
  expect(await issueState(issue.id)).toEqual({ status: 'USED', orderId, usedAt: expect.any(Date), discount: 3_000 });
  expect(await issueState(spare.issue.id)).toEqual(UNUSED);
});

it('lets exactly one of 50 orders racing for one coupon use it', async () => {
  const { coupon, userId, issue } = await issueCoupon(stack, { discountRate: 10 });
  const orderIds = Array.from({ length: 50 }, () => newId());
  // The test holds the issue's row while the commands arrive, so that uses pile up on it and are
  // let go together (a use that waited past its transaction timeout is retried: same outcome).
  const pool = testSqlPool(stack.test.database.url, 1);
  const holder = await pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM coupon_issues WHERE id = $1 FOR UPDATE', [issue.id]);
    await Promise.all(orderIds.map((orderId) => send(command(orderId, 'use', useData(issue, userId, 40_000)))));
    await eventually(async () => {
      const waiting = await stack.sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return (waiting[0]?.count ?? 0) >= 3;
    });
    await holder.query('COMMIT');
  } finally {
    holder.release();
    await pool.end();
  }

  const repliesAll = () =>
    stack.sql<ReplyRow & { order_id: string }>(
      `SELECT payload->>'orderId' AS order_id, routing_key, payload FROM outbox_messages
        WHERE routing_key = 'coupons.saga.used' AND payload->>'orderId' = ANY($1::text[])`,
      orderIds,
    );
  await eventually(async () => (await repliesAll()).length === orderIds.length);
  const replies = await repliesAll();
  expect(new Set(replies.map((reply) => reply.order_id)).size).toBe(orderIds.length);
  const done = replies.filter((reply) => reply.payload.outcome === 'DONE');
  expect(done).toHaveLength(1);
  const winner = done[0]?.order_id;
  expect(done[0]?.payload.data).toEqual({ issueId: issue.id, couponId: coupon.id, discount: 4_000 });
  const refused = replies.filter((reply) => reply.order_id !== winner).map(outcomeOf);
  expect(refused).toEqual(
    orderIds.slice(1).map(() => ({
      routingKey: 'coupons.saga.used',
      attempt: 1,
      outcome: 'REFUSED',
      reason: 'COUPON_NOT_USABLE',
      data: { refusal: 'ALREADY_USED' },
    })),
  );
  expect(await issueState(issue.id)).toEqual({
    status: 'USED',
    orderId: winner,
    usedAt: expect.any(Date),
    discount: 4_000,
  });
});
