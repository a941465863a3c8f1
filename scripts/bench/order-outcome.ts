// The order saga benchmark's view of the databases: when the sagas have settled, where each
// order's server-side time went (the databases' timestamps), and whether every database agrees
// with what the shoppers were answered.
import type { Query } from './database-figures.js';

const SETTLE_LIMIT_MS = 120_000;

/**
 * Waits until no saga awaits a participant (every order PAID with its points earned, or awaiting
 * a payment that failed) and every outbox is published; a message when it does not within 2 min.
 */
export async function settle(query: Query, subgraphs: readonly string[]): Promise<string | undefined> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const [busy] = await query<{ n: number }>(
      'orders',
      "SELECT count(*)::int AS n FROM orders WHERE saga_step IS NOT NULL AND saga_step <> 'payment'",
    );
    const pending = await Promise.all(
      subgraphs.map(
        async (subgraph) =>
          (
            await query<{ n: number }>(
              subgraph,
              'SELECT count(*)::int AS n FROM outbox_messages WHERE published_at IS NULL',
            )
          )[0]!.n,
      ),
    );
    const unpublished = pending.reduce((a, b) => a + b, 0);
    if (busy!.n === 0 && unpublished === 0) return undefined;
    last = `${busy!.n} sagas awaiting a participant, ${unpublished} messages unpublished`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return `not settled after ${SETTLE_LIMIT_MS / 1000} s: ${last}`;
}

export interface ServerTimes {
  /** placed (orders.created_at) → AWAITING_PAYMENT (its transition): the reserving steps. */
  readonly reserve: readonly number[];
  /** AWAITING_PAYMENT → payments has the order (payable_orders.created_at): the event's trip. */
  readonly announce: readonly number[];
  /** payment approved (payments.approved_at) → PAID (its transition): the event's trip and the decision. */
  readonly approvedToPaid: readonly number[];
}

export async function serverTimes(query: Query, orderIds: readonly string[]): Promise<ServerTimes> {
  const orders = await query<{ id: string; created: Date; awaiting: Date | null; paid: Date | null }>(
    'orders',
    `SELECT o.id, o.created_at AS created,
            min(t.at) FILTER (WHERE t.to_status = 'AWAITING_PAYMENT') AS awaiting,
            min(t.at) FILTER (WHERE t.to_status = 'PAID') AS paid
     FROM orders o JOIN order_transitions t ON t.order_id = o.id
     WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.created_at`,
    [orderIds],
  );
  const payments = new Map(
    (
      await query<{ order_id: string; payable: Date; approved: Date | null }>(
        'payments',
        `SELECT o.order_id, o.created_at AS payable, p.approved_at AS approved
         FROM payable_orders o LEFT JOIN payments p ON p.order_id = o.order_id AND p.status = 'APPROVED'
         WHERE o.order_id = ANY($1::uuid[])`,
        [orderIds],
      )
    ).map((row) => [row.order_id, row]),
  );
  const reserve: number[] = [];
  const announce: number[] = [];
  const approvedToPaid: number[] = [];
  for (const order of orders) {
    const payment = payments.get(order.id);
    if (order.awaiting) reserve.push(order.awaiting.getTime() - order.created.getTime());
    if (order.awaiting && payment) announce.push(payment.payable.getTime() - order.awaiting.getTime());
    if (order.paid && payment?.approved) approvedToPaid.push(order.paid.getTime() - payment.approved.getTime());
  }
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  return { reserve: sorted(reserve), announce: sorted(announce), approvedToPaid: sorted(approvedToPaid) };
}

/** What is wrong across the databases after the run (nothing: an empty list). */
export async function checkOutcome(
  query: Query,
  expected: {
    /** What every order costs; each product's stock and each wallet's top-up before the run. */
    amount: number;
    stock: number;
    topUp: number;
    shoppers: readonly string[];
    paid: number;
    sale: { id: string; productId: string } | undefined;
    pointsBefore: ReadonlyMap<string, number>;
  },
): Promise<string[]> {
  const problems: string[] = [];
  const statuses = await query<{ status: string; n: number }>(
    'orders',
    'SELECT status::text, count(*)::int AS n FROM orders GROUP BY 1 ORDER BY 1',
  );
  const paidOrders = statuses.find((row) => row.status === 'PAID')?.n ?? 0;
  if (paidOrders !== expected.paid || statuses.some((row) => row.status !== 'PAID')) {
    problems.push(
      `orders: ${statuses.map((row) => `${row.n} ${row.status}`).join(', ')}; ${expected.paid} answered PAID`,
    );
  }
  const wrongAmounts = await query<{ n: number }>(
    'orders',
    "SELECT count(*)::int AS n FROM orders WHERE status = 'PAID' AND amount_to_pay <> $1",
    [expected.amount],
  );
  if (wrongAmounts[0]!.n > 0)
    problems.push(`orders: ${wrongAmounts[0]!.n} PAID with an amount other than ${expected.amount}`);

  // Stock and sale quantity: what the PAID orders took.
  const units = new Map(
    (
      await query<{ product_id: string; n: number }>(
        'orders',
        `SELECT i.product_id, sum(i.quantity)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.status = 'PAID' GROUP BY 1`,
      )
    ).map((row) => [row.product_id, row.n]),
  );
  const stock = await query<{ id: string; stock: number }>('catalog', 'SELECT id, stock FROM products');
  for (const product of stock) {
    const should = expected.stock - (units.get(product.id) ?? 0);
    if (product.stock !== should) problems.push(`catalog: product ${product.id} holds ${product.stock}, not ${should}`);
  }
  if (expected.sale) {
    const [sold] = await query<{ sold: number }>(
      'timesales',
      'SELECT sold_quantity AS sold FROM time_sale_products WHERE time_sale_id = $1',
      [expected.sale.id],
    );
    const should = units.get(expected.sale.productId) ?? 0;
    if (sold?.sold !== should) problems.push(`timesales: ${sold?.sold} sold in the sale, ${should} PAID`);
  }

  // Money: one APPROVED order payment per PAID order, each wallet its top-up less its payments.
  const [payments] = await query<{ approved: number; other: number; sum: string }>(
    'payments',
    `SELECT count(*) FILTER (WHERE status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE status <> 'APPROVED')::int AS other,
            COALESCE(sum(amount) FILTER (WHERE status = 'APPROVED'), 0)::text AS sum
     FROM payments WHERE purpose = 'ORDER'`,
  );
  if (
    payments!.approved !== paidOrders ||
    payments!.other > 0 ||
    Number(payments!.sum) !== paidOrders * expected.amount
  ) {
    problems.push(
      `payments: ${payments!.approved} APPROVED (sum ${payments!.sum}), ${payments!.other} other, for ${paidOrders} PAID orders`,
    );
  }
  const wallets = await query<{ user_id: string; balance: number; ledger: string; spent: string }>(
    'payments',
    `SELECT w.user_id, w.balance, COALESCE((SELECT sum(amount) FROM wallet_entries e WHERE e.user_id = w.user_id), 0)::text AS ledger,
            COALESCE((SELECT sum(amount) FROM payments p WHERE p.user_id = w.user_id AND p.purpose = 'ORDER' AND p.status = 'APPROVED'), 0)::text AS spent
     FROM wallets w`,
  );
  for (const wallet of wallets) {
    const should = expected.topUp - Number(wallet.spent);
    if (wallet.balance !== Number(wallet.ledger) || wallet.balance !== should) {
      problems.push(`wallet ${wallet.user_id}: balance ${wallet.balance}, ledger ${wallet.ledger}, expected ${should}`);
    }
  }
  if (wallets.length !== expected.shoppers.length) {
    problems.push(`${wallets.length} wallets for ${expected.shoppers.length} shoppers`);
  }

  // Points: each shopper's balance = its ledger = what it had − points used + points earned.
  const earned = new Map(
    (
      await query<{ user_id: string; used: number; earned: number; unearned: number }>(
        'orders',
        `SELECT user_id, COALESCE(sum(points_used), 0)::int AS used, COALESCE(sum(earned_points), 0)::int AS earned,
                count(*) FILTER (WHERE earned_points IS NULL)::int AS unearned
         FROM orders WHERE status = 'PAID' GROUP BY 1`,
      )
    ).map((row) => [row.user_id, row]),
  );
  const points = await query<{ user_id: string; balance: number; ledger: string }>(
    'users',
    `SELECT a.user_id, a.balance, COALESCE((SELECT sum(amount) FROM point_entries e WHERE e.user_id = a.user_id), 0)::text AS ledger
     FROM point_accounts a`,
  );
  const balances = new Map(points.map((row) => [row.user_id, row]));
  for (const shopper of expected.shoppers) {
    const orders = earned.get(shopper);
    const account = balances.get(shopper);
    const should = (expected.pointsBefore.get(shopper) ?? 0) - (orders?.used ?? 0) + (orders?.earned ?? 0);
    if ((orders?.unearned ?? 0) > 0)
      problems.push(`shopper ${shopper}: ${orders?.unearned} PAID orders without points earned`);
    if ((account?.balance ?? 0) !== should || Number(account?.ledger ?? 0) !== (account?.balance ?? 0)) {
      problems.push(
        `shopper ${shopper}: ${account?.balance ?? 0} points (ledger ${account?.ledger ?? 0}), expected ${should}`,
      );
    }
  }
  return problems;
}
