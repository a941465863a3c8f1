// Live: shoppers watching a sale through the gateway's graphql-ws subscriptions, the way the
// storefront's sale page does: its countdown (an event every whole second, stamped with the
// instant it describes: `live.countdown.delay` is the time from that instant to its arrival) and
// the lowest prices of the sale's products. The first CHANGERS_PER_WORKER users of each artillery
// worker are also the seller: they change one product's price every few seconds and time the
// change from the mutation's send to the event's arrival (`live.price.delay`), while every other
// watcher of that product receives it too.
import { randomInt } from 'node:crypto';
import type { Metrics, VirtualUser } from './artillery.js';
import { fixture } from './fixture.js';
import { type GraphqlAnswer, randomClientAddress, sendGraphql, sleep, within } from './graphql.js';
import { errorKind, liveClient, type Subscription, subscribe } from './subscriptions.js';

const CHANGERS_PER_WORKER = 2;
/** Longest wait for a price change's event before it counts as lost. */
const CHANGE_TIMEOUT_MS = 15_000;

export const COUNTDOWN = `subscription Countdown($id: ID!) {
  timeSaleCountdown(timeSaleId: $id) { status secondsUntilStart secondsUntilEnd remainingQuantity at }
}`;
export const PRICES = `subscription Prices($ids: [ID!]!) {
  lowestPriceChanged(productIds: $ids) { productId lowestPrice { amount source } }
}`;
export const CHANGE_PRICE = `mutation ChangePrice($id: ID!, $price: Int!) {
  updateProduct(id: $id, input: { price: $price }) { id price }
}`;

let usersStarted = 0;

export async function watchLive(user: VirtualUser, metrics: Metrics): Promise<void> {
  const { live } = fixture();
  const index = usersStarted++;
  const clientIp = randomClientAddress();
  user.vars.clientIp = clientIp;
  const client = liveClient({ clientIp });
  const priceWaiters = new Map<string, (amount: number) => void>();
  const subscriptions: Subscription[] = [];
  const failures: Promise<void>[] = [];
  const watch = (subscription: Subscription) => {
    subscriptions.push(subscription);
    failures.push(
      subscription.finished.catch((error: unknown) => {
        failure(metrics, errorKind(error));
      }),
    );
  };
  metrics.emit('counter', 'live.errors', 0);
  metrics.emit('counter', 'graphql.errors', 0);
  try {
    watch(
      subscribe(client, COUNTDOWN, { id: live.timeSaleId }, (answer) => {
        const event = answer.data?.timeSaleCountdown as { at: string } | undefined;
        if (!event) return;
        metrics.emit('counter', 'live.countdown.events', 1);
        metrics.emit('histogram', 'live.countdown.delay', Date.now() - Date.parse(event.at));
      }),
    );
    watch(
      subscribe(client, PRICES, { ids: live.productIds }, (answer: GraphqlAnswer) => {
        const event = answer.data?.lowestPriceChanged as { productId: string; lowestPrice: { amount: number } | null };
        metrics.emit('counter', 'live.price.events', 1);
        if (event?.lowestPrice) priceWaiters.get(event.productId)?.(event.lowestPrice.amount);
      }),
    );
    const until = Date.now() + live.watchSeconds * 1000;
    if (index < CHANGERS_PER_WORKER) {
      const productId = live.repricedProductIds[index % live.repricedProductIds.length] as string;
      for (let change = 0; change < live.changes && Date.now() < until; change++) {
        await sleep(live.changeEverySeconds * 1000);
        await changePrice(productId, clientIp, priceWaiters, metrics);
      }
    }
    await sleep(until - Date.now());
  } finally {
    for (const subscription of subscriptions) subscription.stop();
    await Promise.all(failures);
    await client.dispose();
  }
}

/** One price change by the seller, timed until its event arrives on this user's subscription. */
async function changePrice(
  productId: string,
  clientIp: string,
  priceWaiters: Map<string, (amount: number) => void>,
  metrics: Metrics,
): Promise<void> {
  const price = 50_000 + randomInt(0, 50_000) * 10;
  const arrived = new Promise<void>((resolve) => {
    priceWaiters.set(productId, (amount) => {
      if (amount === price) resolve();
    });
  });
  const seller = { vars: { clientIp, accessToken: fixture().live.sellerToken } };
  const sentAt = Date.now();
  const changed = await sendGraphql(seller, metrics, 'updateProduct', CHANGE_PRICE, { id: productId, price });
  const outcome = changed ? await within(arrived, CHANGE_TIMEOUT_MS) : 'not_changed';
  priceWaiters.delete(productId);
  if (outcome === 'timeout') failure(metrics, 'price_event_lost');
  else if (outcome !== 'not_changed') metrics.emit('histogram', 'live.price.delay', Date.now() - sentAt);
}

/** `live.errors` (what ensure checks) and `live.errors.<kind>` (what it was). */
function failure(metrics: Metrics, kind: string): void {
  metrics.emit('counter', 'live.errors', 1);
  metrics.emit('counter', `live.errors.${kind}`, 1);
}
