import { eventually, graphql } from '@radiata/testing';
import type { SignedIn } from './support/accounts.js';
import { signUp } from './support/accounts.js';
import {
  equippedShopper,
  liveSale,
  ORDER_STATUS_CHANGED,
  type OrderView,
  orderOf,
  orderWhen,
  placeOrder,
  product,
  type ShopGraph,
  startShopGraph,
} from './support/orders.js';
import { gatewayOk, PAY_ORDER, type PaymentView, walletTotals } from './support/payments.js';
import { Feed, gatewayClient } from './support/subscriptions.js';

// The order saga end to end through the gateway, every participant real: timesales (sale
// quantity), catalog (stock), coupons, users (points), payments (wallet) and orders orchestrating.

const PIN = '246810';
let shop: ShopGraph;
beforeAll(async () => {
  shop = await startShopGraph();
});
afterAll(() => shop.stop());

type StatusEvent = {
  orderStatusChanged: Pick<OrderView, 'id' | 'status' | 'cancelReason' | 'amountToPay' | 'earnedPoints'>;
};

const stockOf = async (productId: string) =>
  (await shop.graph.catalog.sql<{ stock: number }>('SELECT stock FROM products WHERE id = $1', productId))[0]?.stock;
const saleSoldOf = async (saleId: string) =>
  (
    await shop.graph.timesales.sql<{ sold: number }>(
      'SELECT sold_quantity AS sold FROM time_sale_products WHERE time_sale_id = $1',
      saleId,
    )
  )[0]?.sold;
const couponIssueOf = async (issueId: string) =>
  (
    await shop.graph.coupons.sql<{ status: string; order_id: string | null }>(
      'SELECT status, order_id FROM coupon_issues WHERE id = $1',
      issueId,
    )
  )[0];
const pointsOf = async (userId: string) =>
  (
    await shop.graph.users.sql<{ balance: number; ledger: number }>(
      `SELECT a.balance, (SELECT COALESCE(SUM(amount), 0)::int FROM point_entries e WHERE e.user_id = a.user_id) AS ledger
       FROM point_accounts a WHERE a.user_id = $1`,
      userId,
    )
  )[0];

const pay = (as: SignedIn, orderId: string) =>
  gatewayOk<{ payOrder: PaymentView }>(shop.graph, as, PAY_ORDER, { input: { orderId, method: 'WALLET', pin: PIN } });

it('a shopper orders a sale product with a coupon and points, pays with the wallet and watches it reach PAID; cancelling refunds it all', async () => {
  const onSale = await product(shop, { name: 'Sale runner', price: 40_000, discountAmount: 2_000, stockQuantity: 50 });
  const regular = await product(shop, { name: 'Socks', price: 10_000, stockQuantity: 10 });
  const saleId = await liveSale(shop, onSale.id, { discountRate: 30, totalQuantity: 5, perUserLimit: 2 });
  const { shopper, couponIssueId } = await equippedShopper(shop, { points: 500, wallet: 100_000, pin: PIN });

  const placed = await placeOrder(shop, shopper, {
    items: [
      { productId: onSale.id, quantity: 1, timeSaleId: saleId },
      { productId: regular.id, quantity: 2 },
    ],
    couponIssueId,
    points: 500,
  });
  expect(placed.errors).toBeUndefined();
  const orderId = placed.data?.placeOrder.id as string;
  expect(placed.data?.placeOrder.status).toBe('PENDING');

  const client = gatewayClient(shop.graph.gateway.url, shopper.accessToken);
  const feed = new Feed<StatusEvent>(client, ORDER_STATUS_CHANGED, { orderId });
  const awaiting = await feed.waitFor(
    (event) => event.orderStatusChanged.status === 'AWAITING_PAYMENT',
    'AWAITING_PAYMENT',
  );
  // 40,000 less the larger of 2,000 and 30 % (12,000) = 28,000; 2 × 10,000; the coupon's 1,000; 500 points.
  expect(awaiting.orderStatusChanged.amountToPay).toBe(28_000 + 20_000 - 1_000 - 500);
  const order = await orderOf(shop, shopper, orderId);
  expect(order).toEqual(
    expect.objectContaining({
      itemsTotal: 60_000,
      saleDiscount: 12_000,
      productDiscount: 0,
      couponDiscount: 1_000,
      pointsUsed: 500,
      amountToPay: 46_500,
    }),
  );
  expect(order.items.map((item) => [item.product.name, item.unitPrice])).toEqual([
    ['Sale runner', 28_000],
    ['Socks', 10_000],
  ]);
  expect(await stockOf(onSale.id)).toBe(49);
  expect(await stockOf(regular.id)).toBe(8);
  expect(await saleSoldOf(saleId)).toBe(1);
  expect(await couponIssueOf(couponIssueId)).toEqual({ status: 'USED', order_id: orderId });
  expect(await pointsOf(shopper.id)).toEqual({ balance: 0, ledger: 0 });

  const paid = await pay(shopper, orderId);
  expect(paid.payOrder).toEqual(expect.objectContaining({ status: 'APPROVED', amount: 46_500 }));
  await feed.waitFor((event) => event.orderStatusChanged.status === 'PAID', 'PAID');
  // 1 % of what was paid comes back as points.
  let earned = await orderWhen(shop, shopper, orderId, 'PAID');
  await eventually(async () => {
    earned = await orderOf(shop, shopper, orderId);
    return earned.earnedPoints !== null;
  });
  expect(earned.earnedPoints).toBe(465);
  expect(earned.payment).toEqual({ id: paid.payOrder.id, status: 'APPROVED', amount: 46_500 });
  expect(await pointsOf(shopper.id)).toEqual({ balance: 465, ledger: 465 });
  expect(await walletTotals(shop, shopper.id)).toEqual(expect.objectContaining({ balance: 53_500, ledger: 53_500 }));

  // Cancelled before shipping: the money comes back, then everything reserved, and the earned points go.
  const cancelled = await gatewayOk<{ cancelOrder: { status: string } }>(
    shop.graph,
    shopper,
    `mutation { cancelOrder(orderId: "${orderId}") { status } }`,
  );
  expect(cancelled.cancelOrder.status).toBe('REFUNDING');
  const refunded = await feed.waitFor((event) => event.orderStatusChanged.status === 'REFUNDED', 'REFUNDED');
  expect(refunded.orderStatusChanged.cancelReason).toBe('CANCELLED_BY_SHOPPER');
  await feed.end();
  expect(feed.errors).toBeUndefined();
  expect(feed.events.map((event) => event.orderStatusChanged.status)).toEqual(
    expect.arrayContaining(['AWAITING_PAYMENT', 'PAID', 'REFUNDING', 'REFUNDED']),
  );
  expect(await stockOf(onSale.id)).toBe(50);
  expect(await stockOf(regular.id)).toBe(10);
  expect(await saleSoldOf(saleId)).toBe(0);
  expect(await couponIssueOf(couponIssueId)).toEqual({ status: 'ISSUED', order_id: null });
  expect(await pointsOf(shopper.id)).toEqual({ balance: 500, ledger: 500 });
  expect(await walletTotals(shop, shopper.id)).toEqual(expect.objectContaining({ balance: 100_000, ledger: 100_000 }));
  await client.dispose();
});

it('cancels an order a reservation refuses, with the reason, giving back what earlier steps took', async () => {
  const scarce = await product(shop, { name: 'Last pair', price: 20_000, stockQuantity: 1 });
  const saleId = await liveSale(shop, scarce.id, { discountRate: 10, totalQuantity: 5 });
  const shopper = await signUp(shop.graph, 'CUSTOMER');
  // The sale holds 5, the stock only 1: the sale step passes, the stock step refuses.
  const placed = await placeOrder(shop, shopper, {
    items: [{ productId: scarce.id, quantity: 3, timeSaleId: saleId }],
  });
  const orderId = placed.data?.placeOrder.id as string;
  const cancelled = await orderWhen(shop, shopper, orderId, 'CANCELLED');
  expect(cancelled.cancelReason).toBe('OUT_OF_STOCK');
  expect(await saleSoldOf(saleId)).toBe(0);
  expect(await stockOf(scarce.id)).toBe(1);

  // Over the per-order sale quantity: refused by timesales before stock is touched.
  const greedy = await placeOrder(shop, shopper, {
    items: [{ productId: scarce.id, quantity: 6, timeSaleId: saleId }],
  });
  expect((await orderWhen(shop, shopper, greedy.data?.placeOrder.id as string, 'CANCELLED')).cancelReason).toBe(
    'SALE_SOLD_OUT',
  );
  // A coupon that is not theirs.
  const { couponIssueId } = await equippedShopper(shop);
  const foreign = await placeOrder(shop, shopper, { items: [{ productId: scarce.id, quantity: 1 }], couponIssueId });
  const foreignOrder = await orderWhen(shop, shopper, foreign.data?.placeOrder.id as string, 'CANCELLED');
  expect(foreignOrder.cancelReason).toBe('COUPON_NOT_USABLE');
  expect(await stockOf(scarce.id)).toBe(1);
  expect(await couponIssueOf(couponIssueId)).toEqual({ status: 'ISSUED', order_id: null });
});

it('an order cancelled while awaiting payment cannot be paid any more; only its shopper and admins follow it', async () => {
  const item = await product(shop, { name: 'Cap', price: 15_000, stockQuantity: 3 });
  const { shopper } = await equippedShopper(shop, { wallet: 50_000, pin: PIN });
  const placed = await placeOrder(shop, shopper, { items: [{ productId: item.id, quantity: 1 }] });
  const orderId = placed.data?.placeOrder.id as string;
  await orderWhen(shop, shopper, orderId, 'AWAITING_PAYMENT');

  const stranger = await signUp(shop.graph, 'CUSTOMER');
  const spy = new Feed<StatusEvent>(gatewayClient(shop.graph.gateway.url, stranger.accessToken), ORDER_STATUS_CHANGED, {
    orderId,
  });
  await spy.end();
  expect(spy.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(spy.events).toEqual([]);
  const admin = new Feed<StatusEvent>(
    gatewayClient(shop.graph.gateway.url, shop.admin.accessToken),
    ORDER_STATUS_CHANGED,
    {
      orderId,
    },
  );
  await admin.waitFor((event) => event.orderStatusChanged.status === 'AWAITING_PAYMENT', 'the order now');

  await gatewayOk(shop.graph, shopper, `mutation { cancelOrder(orderId: "${orderId}") { status } }`);
  await admin.waitFor((event) => event.orderStatusChanged.status === 'CANCELLED', 'CANCELLED');
  expect(await stockOf(item.id)).toBe(3);
  // Payments heard of the cancellation: paying now is refused and moves no money.
  const late = await graphql(shop.graph.gateway.url, PAY_ORDER, {
    token: shopper.accessToken,
    variables: { input: { orderId, method: 'WALLET', pin: PIN } },
  });
  expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await walletTotals(shop, shopper.id)).toEqual(expect.objectContaining({ balance: 50_000 }));
  expect((await orderOf(shop, shopper, orderId)).cancelReason).toBe('CANCELLED_BY_SHOPPER');
});
