// What must hold after a run, counted where it is kept rather than taken from the clients' word:
// the rush's coupons in PostgreSQL (issued = accepted ≤ quantity, every coupon taken when shoppers
// outnumber it) and the sale's quantity (sold = orders holding it ≤ quantity).
import pg from 'pg';
import type { GatewayClient } from './gateway-client.js';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Claims are persisted, and orders settle, moments after the run: wait this long for them. */
const PERSIST_TIMEOUT_MS = 60_000;

/** `read()` again every 500 ms until `done` says so or PERSIST_TIMEOUT_MS has passed; the last value. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + PERSIST_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function checkRush(options: {
  readonly couponsDatabaseUrl: string;
  readonly couponId: string;
  readonly quantity: number;
  readonly shoppers: number;
  readonly counters: Record<string, number>;
}): Promise<Check[]> {
  const { counters, quantity, shoppers } = options;
  const accepted = counters['rush.claims.ACCEPTED'] ?? 0;
  const soldOut = counters['rush.claims.SOLD_OUT'] ?? 0;
  const client = new pg.Client({ connectionString: options.couponsDatabaseUrl });
  await client.connect();
  let issued = 0;
  try {
    issued = await pollUntil(
      async () =>
        (
          await client.query<{ issued: number }>(
            'SELECT count(*)::int AS issued FROM coupon_issues WHERE coupon_id = $1',
            [options.couponId],
          )
        ).rows[0]?.issued ?? 0,
      (count) => count >= accepted,
    );
  } finally {
    await client.end();
  }
  const expectedTaken = Math.min(quantity, shoppers);
  return [
    {
      name: 'rush: issued in PostgreSQL = accepted ≤ quantity',
      ok: issued === accepted && accepted <= quantity,
      detail: `${issued} issued, ${accepted} accepted, ${quantity} coupons`,
    },
    {
      name: 'rush: every coupon found a shopper, every shopper an answer',
      ok: accepted === expectedTaken && accepted + soldOut === shoppers,
      detail: `${accepted} ACCEPTED + ${soldOut} SOLD_OUT of ${shoppers} shoppers`,
    },
  ];
}

/** Orders still on their way (the saga reserving, or giving back): the sale check waits for them. */
const SETTLING = ['PENDING', 'CANCELLING', 'REFUNDING'];
/** Orders that hold the sale quantity they reserved. */
const HOLDING = ['AWAITING_PAYMENT', 'PAID', 'SHIPPING_PENDING', 'SHIPPING', 'DELIVERED'];

export async function checkSale(options: {
  readonly gateway: GatewayClient;
  readonly ordersDatabaseUrl: string;
  readonly timeSaleId: string;
  readonly quantity: number;
}): Promise<Check[]> {
  const client = new pg.Client({ connectionString: options.ordersDatabaseUrl });
  await client.connect();
  let orders: Record<string, number> = {};
  try {
    orders = await pollUntil(
      async () => {
        const { rows } = await client.query<{ status: string; units: number }>(
          `SELECT o.status, sum(i.quantity)::int AS units FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE i.time_sale_id = $1 GROUP BY o.status`,
          [options.timeSaleId],
        );
        return Object.fromEntries(rows.map((row) => [row.status, row.units])) as Record<string, number>;
      },
      (units) => !SETTLING.some((status) => units[status]),
    );
  } finally {
    await client.end();
  }
  const { timeSale } = await options.gateway.request<{
    timeSale: { products: { soldQuantity: number }[] } | null;
  }>('timeSale', 'query Sale($id: ID!) { timeSale(id: $id) { products { soldQuantity } } }', {
    id: options.timeSaleId,
  });
  const sold = timeSale?.products[0]?.soldQuantity ?? -1;
  const holding = HOLDING.reduce((units, status) => units + (orders[status] ?? 0), 0);
  const shown = Object.entries(orders)
    .map(([status, units]) => `${status} ${units}`)
    .join(', ');
  return [
    {
      name: 'checkout: sold = units held by orders in PostgreSQL ≤ quantity',
      ok: sold === holding && sold <= options.quantity,
      detail: `${sold} sold, ${holding} held by orders (${shown || 'none'}), ${options.quantity} for sale`,
    },
  ];
}
