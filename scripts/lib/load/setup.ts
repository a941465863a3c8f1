// The load run's set-up, all through the gateway and outside the measured phase: what shoppers
// browse, a brand of the run's own with the sale product and the products whose prices change
// live, the shoppers (with wallets and points for the buyers), then, once everything else is
// ready, the sale and the coupons opening at T0.
import { randomBytes } from 'node:crypto';
import type { LoadFixture } from '../../../load/processors/fixture.js';
import { type Shopper, type SignedIn, shoppers } from './accounts.js';
import { type GatewayClient, mapConcurrently } from './gateway-client.js';
import { LEAD_SECONDS, type LoadSize, type ScenarioName, WATCH_SECONDS } from './plan.js';

export interface SetupOptions {
  readonly gateway: GatewayClient;
  /** The payment provider's checkout endpoint (the provider fake in development). */
  readonly providerUrl: string;
  readonly admin: SignedIn;
  readonly seller: SignedIn;
  readonly size: LoadSize;
  readonly scenarios: readonly ScenarioName[];
  readonly midnight: boolean;
  readonly log: (line: string) => void;
}

export interface LoadSetup {
  readonly fixture: LoadFixture;
  readonly rushShoppers: readonly Shopper[];
  readonly buyers: readonly Shopper[];
  /** The sale quantity, for the checks after the run. */
  readonly saleQuantity: number;
}

const PIN = '482916';
const POINTS_PER_ORDER = 500;
const TOP_UP = 300_000;
const SALE_PRICE = 100_000;
const LIVE_PRODUCTS = 4;

export async function setUpLoadRun(options: SetupOptions): Promise<LoadSetup> {
  const { gateway, admin, seller, size, scenarios, log } = options;
  const runId = `${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${randomBytes(2).toString('hex')}`;
  const asAdmin = { token: admin.accessToken };
  const asSeller = { token: seller.accessToken };

  log('reading the catalog (products, brands, categories to browse)…');
  const catalog = await gateway.request<{
    products: { edges: { node: { id: string } }[] };
    brands: { edges: { node: { id: string } }[] };
    categories: { id: string; children: { id: string }[] }[];
  }>(
    'catalog',
    `query Catalog { products(first: 100) { edges { node { id } } } brands(first: 50) { edges { node { id } } }
     categories { id children { id } } }`,
  );
  const leaves = catalog.categories.flatMap((category) => category.children.map((child) => child.id));
  const leaf = leaves[0];
  if (catalog.products.edges.length === 0 || !leaf) {
    throw new Error('the catalog is empty: run `npm run seed` (demo brands, categories and products) first');
  }

  log(`a brand of the run's own (Load ${runId}) with the sale product and ${LIVE_PRODUCTS} products to reprice…`);
  const { createBrand } = await gateway.request<{ createBrand: { id: string } }>(
    'createBrand',
    'mutation Brand($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
    { input: { name: `Load ${runId}` } },
    asSeller,
  );
  const product = async (name: string, price: number) =>
    (
      await gateway.request<{ createProduct: { id: string } }>(
        'createProduct',
        'mutation Product($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            brandId: createBrand.id,
            categoryId: leaf,
            name,
            description: `Load run ${runId}`,
            price,
            discountAmount: 0,
            gender: 'ALL',
            color: 'NAVY',
            size: 'FREE',
            stockQuantity: 1_000_000,
          },
        },
        asSeller,
      )
    ).createProduct.id;
  const saleProductId = await product('Midnight sneakers', SALE_PRICE);
  const liveProductIds: string[] = [];
  for (let index = 0; index < LIVE_PRODUCTS; index++) liveProductIds.push(await product(`Live price ${index}`, 60_000));
  await untilPriced(gateway, [saleProductId, ...liveProductIds]);

  const rushCount = scenarios.includes('rush') ? size.rushShoppers : 0;
  const buyerCount = scenarios.includes('checkout') ? size.buyers : 0;
  const started = Date.now();
  log(`signing in ${rushCount} rush shoppers and ${buyerCount} buyers (signed up on the first run)…`);
  const progress = (group: string, total: number) => (done: number) => log(`  ${group}: ${done}/${total}`);
  const rushShoppers = await shoppers(
    gateway,
    { name: 'rush', addressByte: 201 },
    rushCount,
    progress('rush', rushCount),
  );
  const buyers = await shoppers(
    gateway,
    { name: 'buyer', addressByte: 202 },
    buyerCount,
    progress('buyers', buyerCount),
  );
  if (buyers.length > 0) {
    log(`buyers' wallets (PIN, ${TOP_UP.toLocaleString('en')} won topped up through the provider) and points…`);
    await mapConcurrently(buyers, 8, (buyer) => prepareBuyer(options, buyer));
  }
  log(`shoppers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const t0 = new Date(Date.now() + LEAD_SECONDS * 1000);
  const hours = (count: number) => new Date(t0.getTime() + count * 3_600_000).toISOString();
  const saleQuantity = options.midnight ? size.saleQuantity.midnight : size.saleQuantity.alone;
  const { createTimeSale } = await gateway.request<{ createTimeSale: { id: string } }>(
    'createTimeSale',
    'mutation Sale($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
    {
      input: {
        title: `Midnight sale ${runId}`,
        startAt: t0.toISOString(),
        endAt: hours(2),
        products: [{ productId: saleProductId, discountRate: 30, totalQuantity: saleQuantity, perUserLimit: 1 }],
      },
    },
    asSeller,
  );
  const coupon = async (input: Record<string, unknown>) =>
    (
      await gateway.request<{ createCoupon: { id: string } }>(
        'createCoupon',
        'mutation Coupon($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
        { input: { validDays: 7, issueEndAt: hours(2), ...input } },
        asAdmin,
      )
    ).createCoupon.id;
  const rushCouponId = await coupon({
    title: `Midnight rush ${runId}`,
    type: 'FIRST_COME_FIRST_SERVED',
    totalQuantity: size.couponQuantity,
    discountType: 'RATE',
    discountRate: 10,
    issueStartAt: t0.toISOString(),
  });
  const checkoutCouponId = await coupon({
    title: `Checkout ${runId}`,
    type: 'UNLIMITED',
    discountType: 'AMOUNT',
    discountAmount: 1000,
    issueStartAt: new Date().toISOString(),
  });
  log(
    `T0 ${t0.toISOString()}: sale ${createTimeSale.id} (${saleQuantity} units), rush coupon ${rushCouponId} (${size.couponQuantity})`,
  );

  return {
    fixture: {
      runId,
      t0: t0.toISOString(),
      browse: {
        productIds: catalog.products.edges.map((edge) => edge.node.id),
        brandIds: catalog.brands.edges.map((edge) => edge.node.id),
        categoryIds: leaves,
      },
      rush: { couponId: rushCouponId },
      checkout: {
        couponId: checkoutCouponId,
        productId: saleProductId,
        timeSaleId: createTimeSale.id,
        points: POINTS_PER_ORDER,
        pin: PIN,
      },
      live: {
        timeSaleId: createTimeSale.id,
        productIds: [saleProductId, ...liveProductIds],
        repricedProductIds: liveProductIds,
        sellerToken: seller.accessToken,
        watchSeconds: WATCH_SECONDS,
        changeEverySeconds: 5,
        changes: Math.floor(WATCH_SECONDS / 5) - 1,
      },
    },
    rushShoppers,
    buyers,
    saleQuantity,
  };
}

/** A wallet with the PIN (kept from an earlier run), money from the provider, points from the admin. */
async function prepareBuyer(options: SetupOptions, buyer: Shopper): Promise<void> {
  const { gateway, admin, providerUrl } = options;
  const asBuyer = { token: buyer.accessToken, clientIp: buyer.clientIp };
  const { me } = await gateway.request<{ me: { wallet: { balance: number } | null } }>(
    'me',
    'query Wallet { me { wallet { balance } } }',
    {},
    asBuyer,
  );
  if (!me.wallet) {
    await gateway.request(
      'createWallet',
      'mutation Wallet($input: CreateWalletInput!) { createWallet(input: $input) { balance } }',
      { input: { pin: PIN } },
      asBuyer,
    );
  }
  if ((me.wallet?.balance ?? 0) < TOP_UP) {
    const providerOrderId = `load-topup-${randomBytes(8).toString('hex')}`;
    const checkout = await fetch(new URL('/v1/checkouts', providerUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: providerOrderId, amount: TOP_UP }),
    });
    if (!checkout.ok)
      throw new Error(`the provider refused a checkout: HTTP ${checkout.status} ${await checkout.text()}`);
    const { paymentKey } = (await checkout.json()) as { paymentKey: string };
    await gateway.request(
      'topUpWallet',
      'mutation TopUp($input: TopUpWalletInput!) { topUpWallet(input: $input) { status } }',
      { input: { amount: TOP_UP, paymentKey, providerOrderId } },
      asBuyer,
    );
  }
  await gateway.request(
    'adjustPoints',
    'mutation Points($input: AdjustPointsInput!) { adjustPoints(input: $input) { balanceAfter } }',
    { input: { userId: buyer.userId, amount: POINTS_PER_ORDER, reason: 'load test' } },
    { token: admin.accessToken },
  );
}

/** Waits until the timesales subgraph has heard of the products from the catalog (lowestPrice set). */
async function untilPriced(gateway: GatewayClient, productIds: readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answers = await Promise.all(
      productIds.map((id) =>
        gateway.request<{ product: { lowestPrice: { amount: number } | null } | null }>(
          'product',
          'query Priced($id: ID!) { product(id: $id) { lowestPrice { amount } } }',
          { id },
        ),
      ),
    );
    if (answers.every((answer) => answer.product?.lowestPrice)) return;
    if (Date.now() > deadline) throw new Error('the timesales subgraph did not learn of the new products within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
