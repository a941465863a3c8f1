import { countDeadLetters } from '@radiata/inbox';
import { Redis } from 'ioredis';
import { CONSUMER_QUEUES } from '../../../scripts/lib/dlq.js';
import type { TestGraph } from './graph.js';

/** What a test set up and knows to be true before its orders: the starting amounts. */
export interface SagaBaseline {
  /** Product id → its stock before any order. */
  readonly stock: ReadonlyMap<string, number>;
  /** Shopper id → points granted before any order. */
  readonly points: ReadonlyMap<string, number>;
  /** Shopper id → wallet balance before any order. */
  readonly wallets: ReadonlyMap<string, number>;
}

/** Statuses an order has once it has been paid and not given back. */
const PAID_OR_LATER = ['PAID', 'SHIPPING_PENDING', 'SHIPPING', 'DELIVERED'];
const GIVEN_BACK = ['CANCELLED', 'REFUNDED'];

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  saga_step: string | null;
  coupon_issue_id: string | null;
  points_used: number | null;
  earned_points: number | null;
  amount_to_pay: number | null;
}

const sorted = (values: Iterable<string>) => [...values].sort();

/**
 * Counts what every database and Redis hold after a run of orders and lists each invariant of
 * the saga that does not hold (docs/ARCHITECTURE.md, "Order saga"); empty means all hold:
 * every order settled (final, or AWAITING_PAYMENT with nothing else in flight); stock + held =
 * initial and held exactly by live orders; sale quantities held exactly by live orders, in
 * PostgreSQL and Redis alike; each coupon issue USED by its live order only; every points and
 * wallet ledger summing to its balance and the balances what the orders explain; a payment
 * APPROVED (not refunded) exactly for orders PAID or later; every outbox drained; no dead letter.
 */
export async function sagaViolations(
  graph: TestGraph,
  baseline: SagaBaseline,
  broker: { url: string } = { url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
): Promise<string[]> {
  const violations: string[] = [];
  const fail = (message: string) => violations.push(message);
  const orders = await graph.orders.sql<OrderRow>(
    'SELECT id, user_id, status, saga_step, coupon_issue_id, points_used, earned_points, amount_to_pay FROM orders',
  );
  const live = new Set(orders.filter((order) => !GIVEN_BACK.includes(order.status)).map((order) => order.id));
  const paid = new Set(orders.filter((order) => PAID_OR_LATER.includes(order.status)).map((order) => order.id));

  for (const order of orders) {
    const settled =
      GIVEN_BACK.includes(order.status) ||
      PAID_OR_LATER.includes(order.status) ||
      (order.status === 'AWAITING_PAYMENT' && order.saga_step === 'payment');
    if (!settled || (order.status !== 'AWAITING_PAYMENT' && order.saga_step !== null)) {
      fail(`order ${order.id} is ${order.status} with ${order.saga_step ?? 'no step'} in flight`);
    }
  }

  // Stock: what products hold plus what live orders hold is what there was.
  const stock = await graph.catalog.sql<{ id: string; stock: number; held: number }>(
    `SELECT p.id, p.stock, COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'RESERVED'), 0)::int AS held
     FROM products p LEFT JOIN stock_reservations r ON r.product_id = p.id GROUP BY p.id`,
  );
  for (const row of stock) {
    const initial = baseline.stock.get(row.id);
    if (initial !== undefined && row.stock + row.held !== initial) {
      fail(`product ${row.id}: stock ${row.stock} + held ${row.held} ≠ ${initial}`);
    }
  }
  const stockHolders = await graph.catalog.sql<{ order_id: string }>(
    "SELECT DISTINCT order_id FROM stock_reservations WHERE status = 'RESERVED'",
  );
  const expectStockHeldBy = sorted(live);
  if (JSON.stringify(sorted(stockHolders.map((row) => row.order_id))) !== JSON.stringify(expectStockHeldBy)) {
    fail(`stock is held by ${stockHolders.length} orders, live orders are ${live.size}`);
  }

  // Sale quantity: PostgreSQL's sold = what live orders hold = Redis's count.
  const sales = await graph.timesales.sql<{ id: string; sold: number; held: number }>(
    `SELECT p.id, p.sold_quantity AS sold, COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'RESERVED'), 0)::int AS held
     FROM time_sale_products p LEFT JOIN sale_reservations r ON r.time_sale_product_id = p.id GROUP BY p.id`,
  );
  const redis = new Redis({ lazyConnect: true });
  try {
    for (const sale of sales) {
      if (sale.sold !== sale.held) fail(`sale product ${sale.id}: sold ${sale.sold} ≠ held ${sale.held}`);
      const counted = await redis.get(`${graph.timesales.namespace.redisKeyPrefix}{tsp:${sale.id}}:sold`);
      if (counted !== null && Number(counted) !== sale.sold) {
        fail(`sale product ${sale.id}: Redis counts ${counted}, PostgreSQL ${sale.sold}`);
      }
    }
  } finally {
    redis.disconnect();
  }
  const saleHolders = await graph.timesales.sql<{ order_id: string }>(
    "SELECT DISTINCT order_id FROM sale_reservations WHERE status = 'RESERVED'",
  );
  for (const { order_id } of saleHolders) {
    if (!live.has(order_id)) fail(`order ${order_id} holds sale quantity but is given back or unknown`);
  }

  // Coupons: USED exactly by the live orders that name them.
  const used = await graph.coupons.sql<{ id: string; order_id: string }>(
    "SELECT id, order_id FROM coupon_issues WHERE status = 'USED'",
  );
  const usedBy = new Map(used.map((issue) => [issue.id, issue.order_id]));
  for (const issue of used) {
    if (!live.has(issue.order_id)) fail(`coupon issue ${issue.id} is USED by ${issue.order_id}, not a live order`);
  }
  for (const order of orders) {
    if (order.coupon_issue_id && live.has(order.id) && order.status !== 'PENDING') {
      if (usedBy.get(order.coupon_issue_id) !== order.id) fail(`live order ${order.id}'s coupon is not USED by it`);
    }
  }

  // Points: every ledger sums to its balance, and the balance is what the orders explain.
  const accounts = await graph.users.sql<{ user_id: string; balance: number; ledger: number }>(
    `SELECT a.user_id, a.balance, COALESCE((SELECT SUM(amount) FROM point_entries e WHERE e.user_id = a.user_id), 0)::int AS ledger
     FROM point_accounts a`,
  );
  for (const account of accounts) {
    if (account.balance !== account.ledger)
      fail(`points of ${account.user_id}: balance ${account.balance} ≠ ledger ${account.ledger}`);
    const initial = baseline.points.get(account.user_id);
    if (initial === undefined) continue;
    const mine = orders.filter((order) => order.user_id === account.user_id);
    const expected =
      initial -
      mine.filter((order) => live.has(order.id)).reduce((sum, order) => sum + (order.points_used ?? 0), 0) +
      mine.filter((order) => paid.has(order.id)).reduce((sum, order) => sum + (order.earned_points ?? 0), 0);
    if (account.balance !== expected)
      fail(`points of ${account.user_id}: ${account.balance}, the orders explain ${expected}`);
  }

  // Money: wallet ledgers sum to balances; APPROVED (and kept) payments exactly for paid orders.
  const wallets = await graph.payments.sql<{ user_id: string; balance: number; ledger: number }>(
    `SELECT w.user_id, w.balance, COALESCE((SELECT SUM(amount) FROM wallet_entries e WHERE e.user_id = w.user_id), 0)::int AS ledger
     FROM wallets w`,
  );
  for (const wallet of wallets) {
    if (wallet.balance !== wallet.ledger)
      fail(`wallet of ${wallet.user_id}: balance ${wallet.balance} ≠ ledger ${wallet.ledger}`);
    const initial = baseline.wallets.get(wallet.user_id);
    if (initial === undefined) continue;
    const spent = orders
      .filter((order) => order.user_id === wallet.user_id && paid.has(order.id))
      .reduce((sum, order) => sum + (order.amount_to_pay ?? 0), 0);
    if (wallet.balance !== initial - spent)
      fail(`wallet of ${wallet.user_id}: ${wallet.balance}, the orders explain ${initial - spent}`);
  }
  const kept = await graph.payments.sql<{ order_id: string }>(
    "SELECT order_id FROM payments WHERE purpose = 'ORDER' AND status = 'APPROVED'",
  );
  const keptFor = sorted(kept.map((payment) => payment.order_id));
  const paidWithMoney = sorted(
    orders.filter((order) => paid.has(order.id) && (order.amount_to_pay ?? 0) > 0).map((order) => order.id),
  );
  if (JSON.stringify(keptFor) !== JSON.stringify(paidWithMoney)) {
    fail(`${keptFor.length} payments are APPROVED and kept, ${paidWithMoney.length} orders are paid`);
  }

  // Nothing left behind: every outbox drained, nothing parked.
  for (const name of ['users', 'catalog', 'coupons', 'timesales', 'payments', 'orders'] as const) {
    const [row] = await graph[name].sql<{ pending: number }>(
      'SELECT count(*)::int AS pending FROM outbox_messages WHERE published_at IS NULL',
    );
    if (row?.pending) fail(`${name}'s outbox holds ${row.pending} unpublished messages`);
  }
  const parked = await countDeadLetters(
    { url: broker.url, namespace: graph.orders.namespace.rabbitmq },
    CONSUMER_QUEUES,
  );
  for (const { queue, depth } of parked) if (depth) fail(`${depth} messages parked in ${queue}'s dead letters`);
  return violations;
}
