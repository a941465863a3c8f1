import { randomUUID } from 'node:crypto';
import type { Viewer } from '@radiata/auth-context';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import {
  eventually,
  type HeardMessage,
  overhear,
  type PrivateBroker,
  type SubgraphClient,
  type SubgraphProcess,
  spawnSubgraphProcess,
  startPrivateBroker,
  subgraphClient,
  testLogger,
} from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { ok } from './support/catalog.js';
import { createOpenCoupon } from './support/coupons.js';
import { ADDRESS, liveSale, product, type ShopGraph, startShopGraph } from './support/orders.js';
import { fundedWallet, gatewayOk, PAY_ORDER, type PaymentView } from './support/payments.js';
import { type SagaBaseline, sagaViolations } from './support/saga-invariants.js';

// The order saga under kill -9, a broker restart, duplicated and late messages, with every
// participant real (docs/ARCHITECTURE.md, "Order saga"). Each round arms a failpoint
// (RADIATA_FAILPOINTS: the process SIGKILLs itself at that exact instant, its n-th time there)
// in one subgraph running as its own OS process, places a burst of orders, waits for the kill,
// restarts the process unarmed, and then counts in every database and Redis that nothing was
// lost or applied twice. The broker is a RabbitMQ node of this test's own, so stopping it
// disturbs no other suite. CHAOS_FULL=1 runs the full size.

const FULL = process.env.CHAOS_FULL === '1';
const SHOPPERS = FULL ? 60 : 12;
const ROUNDS = 9;
const POINTS = 2_000;
const POINTS_PER_ORDER = 100;
const WALLET = 1_000_000;
const PIN = '246810';
/** Recovery: every order settled (final or AWAITING_PAYMENT) this long after the restarted process is ready. */
const SETTLE_MS = 30_000;
const START_MS = 180_000;

type Victim = 'users' | 'catalog' | 'coupons' | 'timesales' | 'orders';

let broker: PrivateBroker;
let shop: ShopGraph;
let spy: Rabbit;
let sentCommands: HeardMessage[] = [];
const processes = new Map<Victim, SubgraphProcess>();
const shoppers: { signedIn: SignedIn; viewer: Viewer }[] = [];
/** One coupon per round; every shopper holds an issue of each, by round. */
const couponIssues: Map<string, string>[] = [];
let saleProductId: string;
let saleId: string;
let regularProductId: string;
const baseline = {
  stock: new Map<string, number>(),
  points: new Map<string, number>(),
  wallets: new Map<string, number>(),
} satisfies SagaBaseline;

beforeAll(async () => {
  const began = Date.now();
  const phase = (what: string) => console.info(`chaos set-up: ${what} after ${Date.now() - began} ms`);
  broker = await startPrivateBroker();
  phase('private broker');
  shop = await startShopGraph({ rabbitmqUrl: broker.url });
  phase('graph');
  const onSale = await product(shop, {
    name: 'Chaos runner',
    price: 50_000,
    discountAmount: 5_000,
    stockQuantity: 5_000,
  });
  const regular = await product(shop, { name: 'Chaos socks', price: 8_000, stockQuantity: 5_000 });
  saleProductId = onSale.id;
  regularProductId = regular.id;
  baseline.stock.set(onSale.id, 5_000).set(regular.id, 5_000);
  saleId = await liveSale(shop, onSale.id, { discountRate: 20, totalQuantity: 2_000, perUserLimit: 1_000 });
  phase('live sale');
  const coupons = await Promise.all(
    Array.from({ length: ROUNDS }, () => createOpenCoupon(shop.graph, shop.admin, { totalQuantity: 10_000 })),
  );
  for (let index = 0; index < SHOPPERS; index++) {
    const signedIn = await signUp(shop.graph, 'CUSTOMER');
    shoppers.push({ signedIn, viewer: { id: signedIn.id, role: 'CUSTOMER' } });
    await ok(
      shop.graph,
      'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { balanceAfter } }',
      { input: { userId: signedIn.id, amount: POINTS, reason: 'Chaos points' } },
      shop.admin,
    );
    baseline.points.set(signedIn.id, POINTS);
    await fundedWallet(shop, signedIn, PIN, WALLET);
    baseline.wallets.set(signedIn.id, WALLET);
    for (const couponId of coupons) await claim(signedIn, couponId);
  }
  phase('shoppers');
  // The issues persist in the background: wait for them, then note which issue is whose per coupon.
  await eventually(async () => {
    const [row] = await shop.graph.coupons.sql<{ n: number }>('SELECT count(*)::int AS n FROM coupon_issues');
    return row?.n === SHOPPERS * ROUNDS;
  }, START_MS);
  for (const couponId of coupons) {
    const issues = await shop.graph.coupons.sql<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM coupon_issues WHERE coupon_id = $1',
      couponId,
    );
    couponIssues.push(new Map(issues.map((issue) => [issue.user_id, issue.id])));
  }
  phase('coupon issues');
  // Every command orders sends, as the broker carries it (for the late copies injected below).
  spy = await connectRabbit({
    url: broker.url,
    name: 'chaos-spy',
    logger: testLogger('chaos-spy'),
    namespace: shop.graph.orders.namespace.rabbitmq,
  });
  sentCommands = await overhear(spy, 'radiata.orders', 'orders.saga.#');
}, START_MS);

afterAll(async () => {
  await Promise.all([...processes.values()].map((running) => running.kill()));
  await spy?.close();
  await shop?.stop();
  await broker?.stop();
}, START_MS);

/** Placing an order on the orders subgraph itself (its own fields only). */
const PLACE_ORDER = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }';

/** Claims a coupon for the shopper, waiting out the per-shopper claim rate limit. */
async function claim(shopper: SignedIn, couponId: string): Promise<void> {
  for (;;) {
    const { claimCoupon } = await ok<{ claimCoupon: { outcome: string; retryAfterMs: number | null } }>(
      shop.graph,
      'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome retryAfterMs } }',
      { id: couponId },
      shopper,
    );
    if (claimCoupon.outcome === 'ACCEPTED') return;
    if (claimCoupon.outcome !== 'RATE_LIMITED') throw new Error(`claim ${claimCoupon.outcome}`);
    await new Promise((resolve) => setTimeout(resolve, claimCoupon.retryAfterMs ?? 100));
  }
}

/** Replaces the subgraph's running instance (in this process, or a process of its own) by a new process. */
async function restart(name: Victim, failpoints?: string): Promise<SubgraphProcess> {
  const running = processes.get(name);
  if (running) await running.kill();
  else await shop.graph[name].subgraph.stop();
  const started = await spawnSubgraphProcess(name, {
    ...shop.graph[name].env,
    RABBITMQ_URL: broker.url,
    ...(failpoints ? { RADIATA_FAILPOINTS: failpoints } : {}),
  });
  processes.set(name, started);
  return started;
}

/** Orders, wherever it runs now (the gateway knows only the first instance's address). */
function ordersClient(): SubgraphClient {
  return subgraphClient(
    processes.get('orders')?.url ?? shop.graph.orders.subgraph.url,
    shop.graph.secrets.GATEWAY_CONTEXT_SECRET,
  );
}

interface Placed {
  readonly idempotencyKey: string;
  readonly viewer: Viewer;
  readonly input: Record<string, unknown>;
  orderId?: string;
}

/**
 * One order per shopper, all at once: the sale product, the regular one, this round's coupon and
 * points. Every third names a coupon issue that does not exist: refused at the coupon step, so
 * the sale and stock taken before are given back in the middle of the burst.
 */
async function placeBurst(round: number): Promise<Placed[]> {
  const client = ordersClient();
  const placed = shoppers.map(({ viewer }, index) => ({
    idempotencyKey: `chaos-${round}-${viewer.id}`,
    viewer,
    input: {
      items: [
        { productId: saleProductId, quantity: 1, timeSaleId: saleId },
        { productId: regularProductId, quantity: 2 },
      ],
      couponIssueId: index % 3 === 2 ? randomUUID() : couponIssues[round]?.get(viewer.id),
      points: POINTS_PER_ORDER,
      shippingAddress: ADDRESS,
    },
  }));
  await Promise.all(
    placed.map(async (order: Placed) => {
      const answer = await client
        .call<{ placeOrder: { id: string } }>(order.viewer, PLACE_ORDER, {
          input: { ...order.input, idempotencyKey: order.idempotencyKey },
        })
        .catch(() => undefined);
      order.orderId = answer?.data?.placeOrder.id;
    }),
  );
  await client.close();
  return placed;
}

/** Places again what got no answer (the process died first): the same key answers the same order. */
async function placeUnanswered(placed: Placed[]): Promise<void> {
  const client = ordersClient();
  for (const order of placed.filter((candidate) => !candidate.orderId)) {
    const answer = await client.call<{ placeOrder: { id: string } }>(order.viewer, PLACE_ORDER, {
      input: { ...order.input, idempotencyKey: order.idempotencyKey },
    });
    order.orderId = answer.data?.placeOrder.id;
  }
  await client.close();
  expect(placed.every((order) => order.orderId)).toBe(true);
}

const statusesOf = (ids: readonly string[]) =>
  shop.graph.orders.sql<{ id: string; status: string; saga_step: string | null }>(
    'SELECT id, status, saga_step FROM orders WHERE id = ANY($1::uuid[])',
    ids,
  );

/** Every order of the round final or AWAITING_PAYMENT with nothing else in flight. */
async function settled(ids: readonly string[], timeoutMs = SETTLE_MS): Promise<void> {
  await eventually(async () => {
    const rows = await statusesOf(ids);
    return (
      rows.length === ids.length &&
      rows.every(
        (row) =>
          (row.status === 'AWAITING_PAYMENT' && row.saga_step === 'payment') ||
          (['PAID', 'CANCELLED', 'REFUNDED'].includes(row.status) && row.saga_step === null),
      )
    );
  }, timeoutMs);
}

/** Pays every order of the round awaiting payment, through the gateway (payments runs in-process). */
async function payAll(ids: readonly string[]): Promise<void> {
  const rows = await statusesOf(ids);
  const owners = await shop.graph.orders.sql<{ id: string; user_id: string }>(
    'SELECT id, user_id FROM orders WHERE id = ANY($1::uuid[])',
    ids,
  );
  const ownerOf = new Map(owners.map((row) => [row.id, row.user_id]));
  await Promise.all(
    rows
      .filter((row) => row.status === 'AWAITING_PAYMENT')
      .map(async (row) => {
        const shopper = shoppers.find((candidate) => candidate.viewer.id === ownerOf.get(row.id));
        const paid = await gatewayOk<{ payOrder: PaymentView }>(shop.graph, shopper?.signedIn as SignedIn, PAY_ORDER, {
          input: { orderId: row.id, method: 'WALLET', pin: PIN },
        });
        expect(paid.payOrder.status).toBe('APPROVED');
      }),
  );
}

/** Cancels every other order of `ids` in `status` as its shopper: compensated (or refunded) in full. */
async function cancelSome(ids: readonly string[], status: 'AWAITING_PAYMENT' | 'PAID'): Promise<string[]> {
  const rows = await shop.graph.orders.sql<{ id: string; user_id: string }>(
    'SELECT id, user_id FROM orders WHERE id = ANY($1::uuid[]) AND status = $2::order_status ORDER BY id',
    ids,
    status,
  );
  const chosen = rows.filter((_, index) => index % 2 === 0);
  const client = ordersClient();
  for (const row of chosen) {
    const answer = await client.call<{ cancelOrder: { status: string } }>(
      { id: row.user_id, role: 'CUSTOMER' },
      `mutation { cancelOrder(orderId: "${row.id}") { status } }`,
    );
    expect(answer.data?.cancelOrder.status).toBe(status === 'PAID' ? 'REFUNDING' : 'CANCELLING');
  }
  await client.close();
  return chosen.map((row) => row.id);
}

/** Waits for the armed process to kill itself (proof the failpoint was reached). */
async function killedAtFailpoint(victim: SubgraphProcess): Promise<void> {
  const timeout = new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), SETTLE_MS * 2).unref());
  const ended = await Promise.race([victim.exited, timeout]);
  if (ended === 'alive') {
    const [orders] = await shop.graph.orders.sql<{ states: unknown }>(
      "SELECT json_agg(json_build_object('status', status, 'step', saga_step, 'action', saga_action, 'attempt', saga_attempt)) AS states FROM orders WHERE status NOT IN ('CANCELLED', 'REFUNDED', 'PAID')",
    );
    throw new Error(
      `the failpoint was not reached; orders: ${JSON.stringify(orders?.states)}\n${victim.output().slice(-4_000)}`,
    );
  }
  expect(ended.signal).toBe('SIGKILL');
}

async function expectInvariants(): Promise<void> {
  const violations = await sagaViolations(shop.graph, baseline, broker);
  expect(violations).toEqual([]);
}

const half = Math.max(1, Math.floor(SHOPPERS / 2));

it.each([
  ['timesales', 'saga.participant.after-handle', 0],
  ['catalog', 'saga.participant.after-commit', 1],
  ['coupons', 'saga.participant.after-handle', 2],
  ['users', 'saga.participant.after-commit', 3],
] as const)(
  'kill -9 %s at %s mid-burst: restarted, every order settles and nothing is lost or applied twice',
  async (victim, failpoint, round) => {
    const armed = await restart(victim, `${failpoint}@${half}`);
    const placed = await placeBurst(round);
    await killedAtFailpoint(armed);
    await restart(victim);
    const ids = placed.map((order) => order.orderId as string);
    await settled(ids);
    const refused = await statusesOf(ids);
    expect(refused.filter((row) => row.status === 'CANCELLED').length).toBe(Math.floor(SHOPPERS / 3));
    await cancelSome(ids, 'AWAITING_PAYMENT');
    await settled(ids);
    await expectInvariants();
  },
  START_MS,
);

it(
  'kill -9 users while it earns points for paid orders, then the orders process as it decides',
  async () => {
    const placed = await placeBurst(4);
    const ids = placed.map((order) => order.orderId as string);
    await settled(ids);
    const armed = await restart('users', `saga.participant.after-handle@${half}`);
    await payAll(ids);
    await killedAtFailpoint(armed);
    await restart('users');
    await eventually(async () => {
      const rows = await shop.graph.orders.sql<{ earned_points: number | null; status: string }>(
        'SELECT earned_points, status FROM orders WHERE id = ANY($1::uuid[])',
        ids,
      );
      return rows.every((row) => row.status !== 'PAID' || row.earned_points !== null);
    }, SETTLE_MS);
    await expectInvariants();
    // Refunded: the money back to the wallet, then every reservation, and the earned points taken back.
    const refunded = await cancelSome(ids, 'PAID');
    expect(refunded.length).toBeGreaterThan(0);
    await settled(ids);
    expect((await statusesOf(refunded)).map((row) => row.status)).toEqual(refunded.map(() => 'REFUNDED'));
    await expectInvariants();

    // Orders dies after committing a decision (and its next command), before acknowledging the reply.
    const orders = await restart('orders', `orders.saga.after-decision@${half * 2}`);
    const next = await placeBurst(5);
    await killedAtFailpoint(orders);
    await restart('orders');
    await placeUnanswered(next);
    await settled(next.map((order) => order.orderId as string));
    await expectInvariants();
  },
  START_MS,
);

it(
  'kill -9 orders after it committed an order but before it answered, and after publishing commands it had not marked sent',
  async () => {
    // The shopper gets no answer; placing again with the same key answers the same order.
    const armed = await restart('orders', `orders.place.after-commit@${half}`);
    const placed = await placeBurst(6);
    await killedAtFailpoint(armed);
    expect(placed.some((order) => !order.orderId)).toBe(true);
    await restart('orders');
    await placeUnanswered(placed);
    expect(new Set(placed.map((order) => order.orderId)).size).toBe(SHOPPERS);
    await settled(placed.map((order) => order.orderId as string));
    await expectInvariants();

    // The relay published commands and died before marking them: the next relay sends them again.
    const relay = await restart('orders', `outbox.after-publish@${half}`);
    const again = await placeBurst(7);
    await killedAtFailpoint(relay);
    await restart('orders');
    await placeUnanswered(again);
    await settled(again.map((order) => order.orderId as string));
    await expectInvariants();
  },
  START_MS,
);

it(
  'survives a broker restart mid-burst, then late and repeated commands change nothing',
  async () => {
    const burst = placeBurst(8);
    await eventually(() => sentCommands.length > 0);
    await broker.stopApp();
    await broker.startApp();
    const placed = await burst;
    await placeUnanswered(placed);
    await settled(
      placed.map((order) => order.orderId as string),
      SETTLE_MS * 2,
    );
    await expectInvariants();

    // Late copies of every command ever sent, as new messages (a resend racing a compensation,
    // an old redelivery): participants answer from what they stored, orders ignores stale replies.
    const repliesTaken = async () =>
      (
        await shop.graph.orders.sql<{ n: number }>(
          "SELECT count(*)::int AS n FROM inbox_messages WHERE consumer = 'orders.saga-replies'",
        )
      )[0]?.n ?? 0;
    const before = await repliesTaken();
    const late = [...sentCommands];
    for (const command of late) {
      await spy.publish(
        'radiata.orders',
        command.routingKey,
        { ...command.payload, attempt: 99 },
        { messageId: randomUUID() },
      );
    }
    await eventually(async () => (await repliesTaken()) === before + late.length, SETTLE_MS * 2);
    await expectInvariants();
  },
  START_MS,
);
