import { randomUUID } from 'node:crypto';
import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './accounts.js';
import { createBrand, createCategory, createProduct, ok, type ProductView, unique } from './catalog.js';
import { createOpenCoupon } from './coupons.js';
import { fundedWallet, type PaymentsGraph, startPaymentsGraph } from './payments.js';

const HOUR = 3_600_000;

export const ORDER_FIELDS = /* GraphQL */ `
  id status cancelReason itemsTotal productDiscount saleDiscount couponDiscount pointsUsed amountToPay earnedPoints
  pointsRequested couponIssueId paymentDueAt
  items { line quantity price productDiscount saleDiscountRate unitPrice product { id name } brand { id } timeSale { id } }
  payment { id status amount }
`;
export const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
export const ORDER_STATUS_CHANGED = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { id status cancelReason amountToPay earnedPoints } }`;

export const ADDRESS = {
  recipient: 'Kim Radiata',
  phone: '010-1234-5678',
  zipCode: '06236',
  roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
  detailAddress: '12F',
};

export interface OrderView {
  id: string;
  status: string;
  cancelReason: string | null;
  itemsTotal: number | null;
  productDiscount: number | null;
  saleDiscount: number | null;
  couponDiscount: number | null;
  pointsUsed: number | null;
  amountToPay: number | null;
  earnedPoints: number | null;
  items: { line: number; quantity: number; unitPrice: number | null; product: { id: string; name: string } }[];
  payment: { id: string; status: string; amount: number } | null;
}

/** The whole graph with a seller's brand in a category, an admin, and the provider fake (for wallets). */
export interface ShopGraph extends PaymentsGraph {
  readonly admin: SignedIn;
  readonly seller: SignedIn;
  readonly brandId: string;
  readonly categoryId: string;
}

export async function startShopGraph(options: { rabbitmqUrl?: string } = {}): Promise<ShopGraph> {
  const payments = await startPaymentsGraph({}, options.rabbitmqUrl);
  try {
    const admin = await signUp(payments.graph, 'ADMIN');
    const seller = await signUp(payments.graph, 'SELLER');
    const brandId = await createBrand(payments.graph, seller);
    const categoryId = await createCategory(payments.graph, admin, unique('Category'));
    return { ...payments, admin, seller, brandId, categoryId };
  } catch (error) {
    await payments.stop();
    throw error;
  }
}

export const product = (shop: ShopGraph, overrides: Record<string, unknown>): Promise<ProductView> =>
  createProduct(shop.graph, shop.seller, shop.brandId, shop.categoryId, overrides);

/**
 * A time sale of `productId` by the seller that is LIVE once this resolves: created an hour
 * ahead (timesales must know the product first: retried until it does), moved to start in a
 * moment, and waited for.
 */
export async function liveSale(
  shop: ShopGraph,
  productId: string,
  options: { discountRate: number; totalQuantity: number; perUserLimit?: number },
): Promise<string> {
  let saleId: string | undefined;
  await eventually(async () => {
    const created = await graphql<{ createTimeSale: { id: string } }>(
      shop.graph.gateway.url,
      'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
      {
        token: shop.seller.accessToken,
        variables: {
          input: {
            title: unique('Sale'),
            startAt: new Date(Date.now() + HOUR).toISOString(),
            endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
            products: [{ productId, ...options }],
          },
        },
      },
    );
    saleId = created.data?.createTimeSale.id;
    return saleId !== undefined;
  });
  for (let lead = 1_500; ; lead *= 2) {
    const startAt = new Date(Date.now() + lead);
    const moved = await graphql(
      shop.graph.gateway.url,
      'mutation($id: ID!, $input: UpdateTimeSaleInput!) { updateTimeSale(id: $id, input: $input) { id } }',
      {
        token: shop.seller.accessToken,
        variables: {
          id: saleId,
          input: { startAt: startAt.toISOString(), endAt: new Date(startAt.getTime() + HOUR).toISOString() },
        },
      },
    );
    if (!moved.errors) break;
    if (lead > 60_000) throw new Error(`updateTimeSale failed: ${JSON.stringify(moved.errors)}`);
  }
  await eventually(async () => {
    const sale = await ok<{ timeSale: { status: string } }>(shop.graph, `{ timeSale(id: "${saleId}") { status } }`, {});
    return sale.timeSale.status === 'LIVE';
  });
  return saleId as string;
}

/** A shopper holding an issued coupon (1,000 won off from 10,000), some points and a funded wallet. */
export async function equippedShopper(
  shop: ShopGraph,
  options: { points?: number; wallet?: number; pin?: string } = {},
): Promise<{ shopper: SignedIn; couponIssueId: string }> {
  const shopper = await signUp(shop.graph, 'CUSTOMER');
  const couponId = await createOpenCoupon(shop.graph, shop.admin);
  const claimed = await ok<{ claimCoupon: { outcome: string } }>(
    shop.graph,
    'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome } }',
    { id: couponId },
    shopper,
  );
  if (claimed.claimCoupon.outcome !== 'ACCEPTED') throw new Error(`claim ${claimed.claimCoupon.outcome}`);
  let couponIssueId: string | undefined;
  await eventually(async () => {
    const mine = await ok<{ me: { coupons: { edges: { node: { id: string } }[] } } }>(
      shop.graph,
      '{ me { coupons(status: ISSUED) { edges { node { id } } } } }',
      {},
      shopper,
    );
    couponIssueId = mine.me.coupons.edges[0]?.node.id;
    return couponIssueId !== undefined;
  });
  if (options.points) {
    await ok(
      shop.graph,
      'mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { balanceAfter } }',
      { input: { userId: shopper.id, amount: options.points, reason: 'Welcome points' } },
      shop.admin,
    );
  }
  if (options.wallet !== undefined) await fundedWallet(shop, shopper, options.pin ?? '246810', options.wallet);
  return { shopper, couponIssueId: couponIssueId as string };
}

export const placeOrder = (shop: ShopGraph, as: SignedIn, input: Record<string, unknown>) =>
  graphql<{ placeOrder: OrderView }>(shop.graph.gateway.url, PLACE_ORDER, {
    token: as.accessToken,
    variables: { input: { shippingAddress: ADDRESS, idempotencyKey: `order-${randomUUID()}`, ...input } },
  });

export async function orderOf(shop: ShopGraph, as: SignedIn, orderId: string): Promise<OrderView> {
  const data = await ok<{ order: OrderView }>(shop.graph, `{ order(id: "${orderId}") { ${ORDER_FIELDS} } }`, {}, as);
  return data.order;
}

/** Waits until the order is in `status` (read through the gateway) and returns it. */
export async function orderWhen(shop: ShopGraph, as: SignedIn, orderId: string, status: string): Promise<OrderView> {
  let order: OrderView | undefined;
  await eventually(async () => {
    order = await orderOf(shop, as, orderId);
    return order.status === status;
  });
  return order as OrderView;
}
