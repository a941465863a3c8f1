// Checkout: a buyer (signed up by the set-up with a wallet, its PIN and points) claims the
// checkout coupon, waits for it to be issued, places an order for the sale product with the
// coupon and points, follows the order to AWAITING_PAYMENT, pays with the wallet and follows it to
// PAID. `checkout.orders.<end>` counts how orders ended (PAID, or CANCELLED_<reason> such as
// CANCELLED_SALE_SOLD_OUT when the sale ran out first); `checkout.placed_to_paid` times them.
import { randomUUID } from 'node:crypto';
import type { Done, Metrics, RequestParams, Response, VirtualUser } from './artillery.js';
import { fixture } from './fixture.js';
import { answerField, countGraphqlErrors, setClientHeaders, sleep } from './graphql.js';

export { countGraphqlErrors, setClientHeaders };

/** Polls of one wait (coupon issued, order reserved, order paid), 300 ms apart. */
const MAX_POLLS = 100;

interface CouponIssues {
  readonly coupons: { readonly edges: readonly { readonly node: { id: string; coupon: { id: string } } }[] } | null;
}

interface OrderState {
  readonly status: string;
  readonly cancelReason: string | null;
}

/** beforeScenario: the run's coupon, product, sale, points and PIN, and a fresh idempotency key. */
export function prepareBuyer(user: VirtualUser, _metrics: Metrics, done: Done): void {
  const { checkout } = fixture();
  Object.assign(user.vars, {
    couponId: checkout.couponId,
    productId: checkout.productId,
    timeSaleId: checkout.timeSaleId,
    points: checkout.points,
    pin: checkout.pin,
    idempotencyKey: `load-${randomUUID()}`,
    polls: 0,
    payable: 0,
  });
  done();
}

/** The sale opens at T0: a buyer who arrives earlier waits for it, as a shopper would. */
export async function waitForSale(): Promise<void> {
  await sleep(Date.parse(fixture().t0) - Date.now());
}

/** After me { coupons }: the issue of the run's coupon, once it is there. */
export function findIssue(user: VirtualUser, _metrics: Metrics, done: Done): void {
  user.vars.polls = Number(user.vars.polls) + 1;
  const me = answerField<CouponIssues>(user, 'me');
  const issue = me?.coupons?.edges.find((edge) => edge.node.coupon.id === user.vars.couponId);
  if (issue) user.vars.couponIssueId = issue.node.id;
  done();
}

export function issueMissing(user: VirtualUser, next: (again: boolean) => void): void {
  next(!user.vars.couponIssueId && Number(user.vars.polls) < MAX_POLLS);
}

/** afterResponse of placeOrder. */
export function orderPlaced(_params: RequestParams, _response: Response, user: VirtualUser, _m: Metrics, done: Done) {
  const order = answerField<{ id: string }>(user, 'placeOrder');
  user.vars.orderId = order?.id ?? '';
  user.vars.placedAt = Date.now();
  user.vars.polls = 0;
  done();
}

/** After order(id): its status; the payment is due once it is AWAITING_PAYMENT. */
export function readOrder(user: VirtualUser, _metrics: Metrics, done: Done): void {
  user.vars.polls = Number(user.vars.polls) + 1;
  const order = answerField<OrderState>(user, 'order');
  if (order) {
    user.vars.status = order.status;
    user.vars.cancelReason = order.cancelReason;
  }
  user.vars.payable = user.vars.status === 'AWAITING_PAYMENT' ? 1 : 0;
  done();
}

const settled = (status: unknown) => status === 'PAID' || status === 'CANCELLED' || status === 'AWAITING_PAYMENT';

export function reserving(user: VirtualUser, next: (again: boolean) => void): void {
  next(Boolean(user.vars.orderId) && !settled(user.vars.status) && Number(user.vars.polls) < MAX_POLLS);
}

/** afterResponse of payOrder: counts `checkout.payments.<status>`; then polls for PAID. */
export function paid(_params: RequestParams, _response: Response, user: VirtualUser, metrics: Metrics, done: Done) {
  const payment = answerField<{ status: string }>(user, 'payOrder');
  metrics.emit('counter', `checkout.payments.${payment?.status ?? 'ERROR'}`, 1);
  user.vars.polls = 0;
  done();
}

export function awaitingPaid(user: VirtualUser, next: (again: boolean) => void): void {
  next(user.vars.status === 'AWAITING_PAYMENT' && Number(user.vars.polls) < MAX_POLLS);
}

/** The order's end: `checkout.orders.PAID` with `checkout.placed_to_paid`, or how it ended otherwise. */
export function recordOrder(user: VirtualUser, metrics: Metrics, done: Done): void {
  const status = String(user.vars.status ?? (user.vars.orderId ? 'UNKNOWN' : 'NOT_PLACED'));
  const end = status === 'CANCELLED' ? `CANCELLED_${user.vars.cancelReason ?? 'UNKNOWN'}` : status;
  metrics.emit('counter', `checkout.orders.${end}`, 1);
  if (status === 'PAID') metrics.emit('histogram', 'checkout.placed_to_paid', Date.now() - Number(user.vars.placedAt));
  done();
}
