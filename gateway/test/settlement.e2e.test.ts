import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createProduct, ok, unique } from './support/catalog.js';
import { equippedShopper, orderWhen, placeOrder, product, type ShopGraph, startShopGraph } from './support/orders.js';
import { gatewayOk, PAY_ORDER, type PaymentView } from './support/payments.js';

// The weekly seller settlement end to end through the gateway: admins grade brands in the catalog,
// payments hears it, shoppers pay orders through the saga, an admin settles the week, and each
// seller reads their brands' settlements (root field and Brand.settlements across subgraphs).

const PIN = '246810';
const DAY = 86_400_000;
let shop: ShopGraph;
let partner: SignedIn;
let partnerBrandId: string;

beforeAll(async () => {
  shop = await startShopGraph();
  partner = await signUp(shop.graph, 'SELLER');
  partnerBrandId = await createBrand(shop.graph, partner);
}, 120_000);
afterAll(() => shop?.stop());

const SETTLEMENT_FIELDS =
  'brand { id name } period { startsOn start end } gross refunds fee net grade feeRatePercent paymentCount refundCount';
interface SettlementView {
  brand: { id: string; name: string };
  period: { startsOn: string; start: string; end: string };
  gross: number;
  refunds: number;
  fee: number;
  net: number;
  grade: string;
  feeRatePercent: number;
  paymentCount: number;
  refundCount: number;
}

const pay = (as: SignedIn, orderId: string) =>
  gatewayOk<{ payOrder: PaymentView }>(shop.graph, as, PAY_ORDER, { input: { orderId, method: 'WALLET', pin: PIN } });

/** The brands' parts of an order, as orders announced them to payments. */
async function partsOf(orderId: string): Promise<Record<string, number>> {
  const [row] = await shop.graph.payments.sql<{ amounts_by_brand: Record<string, number> }>(
    'SELECT amounts_by_brand FROM payable_orders WHERE order_id = $1',
    orderId,
  );
  return row?.amounts_by_brand ?? {};
}

it('an admin grades brands and settles last week; each seller sees their own brands with gross, refunds, fee and net', async () => {
  // Grades: the seller's brand GOLD (2.5 %), the partner's a new grade of 1.25 %.
  await ok(
    shop.graph,
    'mutation { createBrandGrade(input: { code: "PARTNER", name: "Partner", feeRatePercent: 1.25 }) { code } }',
    {},
    shop.admin,
  );
  await ok(
    shop.graph,
    'mutation($b: ID!) { setBrandGrade(brandId: $b, grade: "GOLD") { id } }',
    { b: shop.brandId },
    shop.admin,
  );
  await ok(
    shop.graph,
    'mutation($b: ID!) { setBrandGrade(brandId: $b, grade: "PARTNER") { id } }',
    { b: partnerBrandId },
    shop.admin,
  );
  const graded = await ok<{ brand: { grade: { code: string; feeRatePercent: number } } }>(
    shop.graph,
    `{ brand(id: "${partnerBrandId}") { grade { code feeRatePercent } } }`,
    {},
    partner,
  );
  expect(graded.brand.grade).toEqual({ code: 'PARTNER', feeRatePercent: 1.25 });
  // payments hears the catalog's events
  await eventually(async () => {
    const rows = await shop.graph.payments.sql<{ brand_id: string; grade: string; fee_rate_bp: number }>(
      `SELECT b.brand_id, b.grade, g.fee_rate_bp FROM catalog_brands b JOIN catalog_grades g ON g.grade = b.grade
       WHERE b.brand_id = ANY($1)`,
      [shop.brandId, partnerBrandId],
    );
    return rows.length === 2 && rows.every((row) => row.grade !== 'BASIC');
  });

  // Two orders paid through the saga; the second cancelled and refunded.
  const shoes = await product(shop, { name: unique('Shoes'), price: 33_333, stockQuantity: 10 });
  const bag = await createProduct(shop.graph, partner, partnerBrandId, shop.categoryId, {
    price: 20_000,
    stockQuantity: 10,
  });
  const { shopper } = await equippedShopper(shop, { wallet: 200_000, pin: PIN });
  const placed = await placeOrder(shop, shopper, {
    items: [
      { productId: shoes.id, quantity: 2 },
      { productId: bag.id, quantity: 1 },
    ],
  });
  const kept = placed.data?.placeOrder.id as string;
  await orderWhen(shop, shopper, kept, 'AWAITING_PAYMENT');
  expect((await pay(shopper, kept)).payOrder.status).toBe('APPROVED');
  await orderWhen(shop, shopper, kept, 'PAID');
  const returnedOrder = (await placeOrder(shop, shopper, { items: [{ productId: shoes.id, quantity: 1 }] })).data
    ?.placeOrder.id as string;
  await orderWhen(shop, shopper, returnedOrder, 'AWAITING_PAYMENT');
  expect((await pay(shopper, returnedOrder)).payOrder.status).toBe('APPROVED');
  await orderWhen(shop, shopper, returnedOrder, 'PAID');
  await ok(shop.graph, 'mutation($id: ID!) { cancelOrder(orderId: $id) { id } }', { id: returnedOrder }, shopper);
  await orderWhen(shop, shopper, returnedOrder, 'REFUNDED');

  // They happened last week (KST): the payments' and refund's instants moved there.
  const lastMonday = await lastWeekStart();
  await shop.graph.payments.sql(
    `UPDATE payments SET approved_at = $1 WHERE order_id = ANY($2) AND status <> 'FAILED'`,
    new Date(lastMonday.getTime() + DAY),
    [kept, returnedOrder],
  );
  await shop.graph.payments.sql(
    `UPDATE refunds SET completed_at = $1 WHERE payment_id IN (SELECT id FROM payments WHERE order_id = $2)`,
    new Date(lastMonday.getTime() + 2 * DAY),
    returnedOrder,
  );

  // A shopper or seller may not run it; an admin does (last week by default) and watches it.
  const refused = await graphql(shop.graph.gateway.url, 'mutation { runSettlement { id } }', {
    token: shop.seller.accessToken,
  });
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const started = await ok<{ runSettlement: { id: string; period: { startsOn: string } } }>(
    shop.graph,
    'mutation { runSettlement { id status period { startsOn } } }',
    {},
    shop.admin,
  );
  let run: { status: string; processed: number; total: number | null } | undefined;
  await eventually(async () => {
    run = (
      await ok<{ settlementRun: { status: string; processed: number; total: number | null } }>(
        shop.graph,
        `{ settlementRun(id: "${started.runSettlement.id}") { status processed total } }`,
        {},
        shop.admin,
      )
    ).settlementRun;
    return run.status === 'SUCCEEDED';
  });
  expect(run).toEqual({ status: 'SUCCEEDED', processed: 3, total: 3 });

  const keptParts = await partsOf(kept);
  const returnedParts = await partsOf(returnedOrder);
  const shoesGross = (keptParts[shop.brandId] ?? 0) + (returnedParts[shop.brandId] ?? 0);
  const shoesRefunds = returnedParts[shop.brandId] ?? 0;
  const bagGross = keptParts[partnerBrandId] ?? 0;
  expect(shoesGross).toBe(3 * 33_333);
  expect(bagGross).toBe(20_000);

  const mine = async (seller: SignedIn) =>
    (
      await ok<{ mySettlements: { edges: { node: SettlementView }[] } }>(
        shop.graph,
        `query($p: String) { mySettlements(period: $p) { edges { node { ${SETTLEMENT_FIELDS} } } } }`,
        { p: started.runSettlement.period.startsOn },
        seller,
      )
    ).mySettlements.edges.map((edge) => edge.node);
  const [shoesWeek, ...otherShoes] = await mine(shop.seller);
  expect(otherShoes).toEqual([]);
  expect(shoesWeek).toMatchObject({
    brand: { id: shop.brandId },
    period: { startsOn: started.runSettlement.period.startsOn, start: lastMonday.toISOString() },
    gross: shoesGross,
    refunds: shoesRefunds,
    fee: Math.floor((shoesGross * 250) / 10_000),
    net: shoesGross - shoesRefunds - Math.floor((shoesGross * 250) / 10_000),
    grade: 'GOLD',
    feeRatePercent: 2.5,
    paymentCount: 2,
    refundCount: 1,
  });
  expect(await mine(partner)).toEqual([
    expect.objectContaining({
      brand: expect.objectContaining({ id: partnerBrandId }),
      gross: 20_000,
      refunds: 0,
      fee: 250,
      net: 19_750,
      grade: 'PARTNER',
      feeRatePercent: 1.25,
    }),
  ]);

  // Brand.settlements: the catalog's brand with payments' field, for its owner; FORBIDDEN for another seller.
  const BRAND = 'query($id: ID!) { brand(id: $id) { name settlements { edges { node { gross net } } } } }';
  const own = await ok<{ brand: { settlements: { edges: { node: { gross: number } }[] } } }>(
    shop.graph,
    BRAND,
    { id: partnerBrandId },
    partner,
  );
  expect(own.brand.settlements.edges.map((edge) => edge.node.gross)).toEqual([20_000]);
  const foreign = await graphql(shop.graph.gateway.url, BRAND, {
    token: partner.accessToken,
    variables: { id: shop.brandId },
  });
  expect(foreign.errors?.map((error) => [error.extensions?.code, error.path?.join('.')])).toEqual([
    ['FORBIDDEN', 'brand.settlements'],
  ]);

  // Asking again answers the same closed run.
  const again = await ok<{ runSettlement: { id: string; status: string } }>(
    shop.graph,
    'mutation { runSettlement { id status } }',
    {},
    shop.admin,
  );
  expect(again.runSettlement).toEqual({ id: started.runSettlement.id, status: 'SUCCEEDED' });
}, 240_000);

/** Monday 00:00 KST of last week. */
async function lastWeekStart(): Promise<Date> {
  const [row] = await shop.graph.payments.sql<{ start: Date }>(
    `SELECT (date_trunc('week', now() AT TIME ZONE 'Asia/Seoul') - interval '7 days') AT TIME ZONE 'Asia/Seoul' AS start`,
  );
  return row?.start as Date;
}
