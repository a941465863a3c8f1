// What a test puts in the shop before a shopper sees it, all through the gateway as the seller and
// the admin would: a category, a brand, products, time sales, coupons; and a shopper's wallet,
// money and points.
import { randomBytes } from 'node:crypto';
import type { Account } from './accounts.js';
import { providerUrl } from './env.js';
import { gql, pollFor } from './gateway.js';

const as = (account: Account) => ({ token: account.accessToken, clientIp: account.clientIp });

/** A short tag that makes this run's names unique (brands are unique by name). */
export const runTag = (): string => `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;

/**
 * A leaf category for test products: the first existing one (the demo data's, on a seeded shop),
 * else "Browser tests › Sneakers", made once by the admin.
 */
export async function leafCategory(admin: Account): Promise<string> {
  type Tree = { categories: { id: string; name: string; children: { id: string }[] }[] };
  const { categories } = await gql<Tree>('query { categories { id name children { id } } }');
  const existing = categories.flatMap((category) => category.children)[0];
  if (existing) return existing.id;
  const create = async (name: string, parentId?: string) =>
    (
      await gql<{ createCategory: { id: string } }>(
        'mutation Category($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
        { input: { name, parentId } },
        as(admin),
      )
    ).createCategory.id;
  const root = categories.find((category) => category.name === 'Browser tests')?.id ?? (await create('Browser tests'));
  return create('Sneakers', root);
}

export async function createBrand(seller: Account, name: string): Promise<string> {
  const { createBrand } = await gql<{ createBrand: { id: string } }>(
    'mutation Brand($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
    { input: { name } },
    as(seller),
  );
  return createBrand.id;
}

export interface ProductSpec {
  readonly brandId: string;
  readonly categoryId: string;
  readonly name: string;
  readonly price: number;
  readonly discountAmount?: number;
  readonly stockQuantity?: number;
}

/** A product on sale, once the timesales subgraph has heard of it (its lowestPrice is known). */
export async function createProduct(seller: Account, spec: ProductSpec): Promise<string> {
  const { createProduct } = await gql<{ createProduct: { id: string } }>(
    'mutation Product($input: CreateProductInput!) { createProduct(input: $input) { id } }',
    {
      input: {
        brandId: spec.brandId,
        categoryId: spec.categoryId,
        name: spec.name,
        description: `${spec.name}, made for the storefront's browser tests.`,
        price: spec.price,
        discountAmount: spec.discountAmount ?? 0,
        gender: 'ALL',
        color: 'NAVY',
        size: 'FREE',
        stockQuantity: spec.stockQuantity ?? 100,
      },
    },
    as(seller),
  );
  await pollFor(`the lowest price of ${spec.name}`, async () => {
    const { product } = await gql<{ product: { lowestPrice: { amount: number } | null } | null }>(
      'query Priced($id: ID!) { product(id: $id) { lowestPrice { amount } } }',
      { id: createProduct.id },
    );
    return product?.lowestPrice ?? undefined;
  });
  return createProduct.id;
}

export interface SaleSpec {
  readonly title: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly productId: string;
  readonly discountRate: number;
  readonly totalQuantity: number;
  readonly perUserLimit?: number;
}

export async function createTimeSale(seller: Account, spec: SaleSpec): Promise<string> {
  const { createTimeSale } = await gql<{ createTimeSale: { id: string } }>(
    'mutation Sale($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
    {
      input: {
        title: spec.title,
        startAt: spec.startAt.toISOString(),
        endAt: spec.endAt.toISOString(),
        products: [
          {
            productId: spec.productId,
            discountRate: spec.discountRate,
            totalQuantity: spec.totalQuantity,
            perUserLimit: spec.perUserLimit ?? null,
          },
        ],
      },
    },
    as(seller),
  );
  return createTimeSale.id;
}

export interface CouponSpec {
  readonly title: string;
  /** A first-come-first-served coupon of this many; absent: UNLIMITED. */
  readonly totalQuantity?: number;
  readonly discountAmount: number;
  readonly issueStartAt?: Date;
}

export async function createCoupon(admin: Account, spec: CouponSpec): Promise<string> {
  const start = spec.issueStartAt ?? new Date();
  const { createCoupon } = await gql<{ createCoupon: { id: string } }>(
    'mutation Coupon($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
    {
      input: {
        title: spec.title,
        type: spec.totalQuantity === undefined ? 'UNLIMITED' : 'FIRST_COME_FIRST_SERVED',
        totalQuantity: spec.totalQuantity,
        discountType: 'AMOUNT',
        discountAmount: spec.discountAmount,
        issueStartAt: start.toISOString(),
        // Claimable for minutes only: the shop the tests run in (the development one) is not left
        // showing yesterday's test coupons.
        issueEndAt: new Date(start.getTime() + 10 * 60_000).toISOString(),
        validDays: 7,
      },
    },
    as(admin),
  );
  return createCoupon.id;
}

/** Claims a coupon for the shopper and waits until it is issued (in their coupons). */
export async function claimCoupon(shopper: Account, couponId: string): Promise<void> {
  const { claimCoupon: claim } = await gql<{ claimCoupon: { outcome: string } }>(
    'mutation Claim($id: ID!) { claimCoupon(couponId: $id) { outcome } }',
    { id: couponId },
    as(shopper),
  );
  if (claim.outcome !== 'ACCEPTED') throw new Error(`claiming coupon ${couponId}: ${claim.outcome}`);
  await pollFor(`coupon ${couponId} issued`, async () => {
    type Mine = { me: { coupons: { edges: { node: { coupon: { id: string } } }[] } } };
    const { me } = await gql<Mine>(
      'query Mine { me { coupons(status: ISSUED, first: 50) { edges { node { coupon { id } } } } } }',
      {},
      as(shopper),
    );
    return me.coupons.edges.some((edge) => edge.node.coupon.id === couponId) ? true : undefined;
  });
}

/** A Radiata Pay wallet with `pin`, topped up with `amount` won through the provider's checkout. */
export async function fundWallet(shopper: Account, pin: string, amount: number): Promise<void> {
  await gql(
    'mutation Wallet($input: CreateWalletInput!) { createWallet(input: $input) { balance } }',
    { input: { pin } },
    as(shopper),
  );
  const providerOrderId = `web-topup-${randomBytes(8).toString('hex')}`;
  const checkout = await fetch(`${providerUrl}/v1/checkouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId: providerOrderId, amount }),
  });
  if (!checkout.ok)
    throw new Error(`the provider refused a checkout: HTTP ${checkout.status} ${await checkout.text()}`);
  const { paymentKey } = (await checkout.json()) as { paymentKey: string };
  const { topUpWallet } = await gql<{ topUpWallet: { status: string } }>(
    'mutation TopUp($input: TopUpWalletInput!) { topUpWallet(input: $input) { status } }',
    { input: { amount, paymentKey, providerOrderId } },
    as(shopper),
  );
  if (topUpWallet.status !== 'APPROVED') throw new Error(`topping up the wallet: ${topUpWallet.status}`);
}

export async function givePoints(admin: Account, shopper: Account, amount: number): Promise<void> {
  await gql(
    'mutation Points($input: AdjustPointsInput!) { adjustPoints(input: $input) { balanceAfter } }',
    { input: { userId: shopper.id, amount, reason: 'browser test' } },
    as(admin),
  );
}
