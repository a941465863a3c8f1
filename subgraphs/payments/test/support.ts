import type { Viewer } from '@radiata/auth-context';
import { type SpawnedProviderFake, spawnProviderFake } from '@radiata/provider-fake/process';
import { newId } from '@radiata/service-runtime';
import { startTestSubgraph, type TestSubgraph, type TestSubgraphOptions } from '@radiata/testing';
import type { PaymentsServices } from '../src/context.js';
import { ORDERS_QUEUE } from '../src/messaging/orders-consumer.js';
import { paymentsSubgraph } from '../src/subgraph.js';

export type RunningPayments = Awaited<ReturnType<typeof paymentsSubgraph.start>>;

export interface PaymentsStack extends TestSubgraph<RunningPayments> {
  /** The running subgraph's domain services. */
  readonly services: PaymentsServices;
  /** The payment provider fake, a process of its own. */
  readonly provider: SpawnedProviderFake;
}

export const PROVIDER_SECRET = 'test_sk_payments_0123456789abcdef';

/**
 * The payments subgraph as its tests run it: a fresh database, its own RabbitMQ namespace, the
 * provider fake as a separate process, and reconciliation and settlement only when a test runs
 * them (`services.reconciler.run()`, runSettlement), so no background run races a test's assertions.
 */
export async function startPayments(options: TestSubgraphOptions = {}): Promise<PaymentsStack> {
  const provider = await spawnProviderFake({ secretKey: PROVIDER_SECRET });
  try {
    const test = await startTestSubgraph(paymentsSubgraph, {
      ...options,
      env: {
        PROVIDER_BASE_URL: provider.url,
        PROVIDER_SECRET_KEY: PROVIDER_SECRET,
        RECONCILE_INTERVAL_MS: String(3_600_000),
        SETTLEMENT_SCHEDULE: 'off',
        ...options.env,
      },
    });
    return {
      ...test,
      services: test.subgraph.services,
      provider,
      async stop() {
        await test.stop();
        await provider.stop();
      },
    };
  } catch (error) {
    await provider.stop();
    throw error;
  }
}

export const customer = (): Viewer => ({ id: newId(), role: 'CUSTOMER' });
export const seller = (): Viewer => ({ id: newId(), role: 'SELLER' });
export const admin: Viewer = { id: newId(), role: 'ADMIN' };

export const PIN = '246810';

/** An order awaiting payment, as the orders subgraph announces it (applied as its consumer would). */
export async function awaitingOrder(
  services: PaymentsServices,
  userId: string,
  amount: number,
): Promise<{ orderId: string; brandIds: string[] }> {
  const orderId = newId();
  const brandIds = [newId(), newId()];
  const first = Math.floor(amount / 2);
  await services.payableOrders.apply(ORDERS_QUEUE, newId(), {
    kind: 'awaiting-payment',
    orderId,
    userId,
    amount,
    amountsByBrand: { [brandIds[0] as string]: first, [brandIds[1] as string]: amount - first },
  });
  return { orderId, brandIds };
}

/** A shopper with a wallet holding `balance` won, topped up through the provider fake. */
export async function walletWith(stack: PaymentsStack, balance: number, who: Viewer = customer()): Promise<Viewer> {
  await stack.services.wallets.create(who, { pin: PIN });
  if (balance > 0) await topUp(stack, who, balance);
  return who;
}

/** Opens a checkout at the fake and tops the wallet up with it. */
export async function topUp(stack: PaymentsStack, who: Viewer, amount: number) {
  const providerOrderId = `topup-${newId()}`;
  const checkout = await stack.provider.openCheckout(providerOrderId, amount);
  return stack.services.wallets.topUp(who, { amount, paymentKey: checkout.paymentKey, providerOrderId });
}

export const codeOf = (error: unknown): unknown =>
  (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;

/** The wallet's balance and the sum of its ledger, which must always agree. */
export async function walletTotals(stack: PaymentsStack, userId: string) {
  const [row] = await stack.sql<{ balance: number; ledger: number; entries: number }>(
    `SELECT w.balance, COALESCE(SUM(e.amount), 0)::int AS ledger, COUNT(e.id)::int AS entries
     FROM wallets w LEFT JOIN wallet_entries e ON e.user_id = w.user_id
     WHERE w.user_id = $1 GROUP BY w.balance`,
    userId,
  );
  return row;
}
