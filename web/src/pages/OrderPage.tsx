import { type FormEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { ErrorNotice, Field, LiveMessage, Loading } from '../components/ui';
import { providerCheckoutUrl } from '../config';
import { graphql } from '../generated/graphql';
import type { OrderFieldsFragment, OrderStatus } from '../generated/graphql/graphql';
import { explain } from '../lib/errors';
import { formatDateTime, formatPoints, formatWon } from '../lib/format';

export const OrderFields = graphql(`
  fragment OrderFields on Order {
    id
    status
    cancelReason
    itemsTotal
    productDiscount
    saleDiscount
    couponDiscount
    pointsUsed
    amountToPay
    earnedPoints
    paymentDueAt
    paymentFailures
    lastPaymentFailure
    createdAt
    items {
      line
      quantity
      unitPrice
      product {
        id
        name
      }
    }
    shippingAddress {
      recipient
      roadAddress
      detailAddress
    }
  }
`);

const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
    }
    me {
      id
      wallet {
        balance
        pinAttemptsLeft
        lockedUntil
      }
    }
  }
`);

const OrderStatusSubscription = graphql(`
  subscription OrderStatus($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) {
      ...OrderFields
    }
  }
`);

const PayOrderMutation = graphql(`
  mutation PayOrder($input: PayOrderInput!) {
    payOrder(input: $input) {
      id
      status
      failureCode
      failureMessage
    }
  }
`);

const CancelOrderMutation = graphql(`
  mutation CancelOrder($orderId: ID!) {
    cancelOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

const statusText: Record<OrderStatus, string> = {
  PENDING: 'Reserving your items…',
  AWAITING_PAYMENT: 'Reserved for you: waiting for your payment',
  PAID: 'Paid: thank you!',
  SHIPPING_PENDING: 'Preparing to ship',
  SHIPPING: 'On its way',
  DELIVERED: 'Delivered',
  CANCELLING: 'Cancelling…',
  CANCELLED: 'Cancelled',
  REFUNDING: 'Refunding your payment…',
  REFUNDED: 'Refunded',
};

const cancelReasonText: Record<string, string> = {
  SALE_SOLD_OUT: 'the sale sold out before your order',
  SALE_NOT_LIVE: 'the sale is not on',
  NOT_IN_SALE: 'the product is not in that sale',
  PER_USER_LIMIT: 'it is more than the sale allows per shopper',
  OUT_OF_STOCK: 'the product is out of stock',
  PRODUCT_NOT_FOUND: 'the product is no longer listed',
  COUPON_NOT_USABLE: 'the coupon cannot be used for this order',
  INSUFFICIENT_POINTS: 'you do not have that many points',
  STEP_TIMEOUT: 'the shop did not answer in time (nothing was charged)',
  EXPIRED: 'it was not paid in time',
  PAYMENT_FAILED: 'the payment failed too many times',
  CANCELLED_BY_SHOPPER: 'you cancelled it',
  CANCELLED_BY_ADMIN: 'the shop cancelled it',
};

const CANCELLABLE: readonly OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPING_PENDING'];

/** An order, live until it settles (orderStatusChanged), with its payment while it awaits one. */
export function OrderPage() {
  const { id = '' } = useParams();
  const client = useClient();
  const [{ data, fetching, error }, refetch] = useQuery({ query: OrderQuery, variables: { id } });
  const [live, setLive] = useState<OrderFieldsFragment>();
  const [cancelled, cancel] = useMutation(CancelOrderMutation);
  useEffect(() => {
    if (!id) return;
    const subscription = client.subscription(OrderStatusSubscription, { orderId: id }).subscribe((result) => {
      if (result.data) setLive(result.data.orderStatusChanged);
    });
    return () => subscription.unsubscribe();
  }, [client, id]);

  if (fetching && !data) return <Loading what="your order" />;
  const order = live ?? data?.order;
  if (!order) return <ErrorNotice error={explain(error) ?? 'This order could not be found.'} />;
  const reason = order.cancelReason ? (cancelReasonText[order.cancelReason] ?? order.cancelReason) : undefined;
  return (
    <article aria-labelledby="order-title">
      <h1 id="order-title">Your order</h1>
      <LiveMessage className="order-status">
        <p className="status-line">
          <strong>{statusText[order.status]}</strong>
          {reason && <>: {reason}</>}
        </p>
      </LiveMessage>
      <p className="muted">Placed {formatDateTime(order.createdAt)}</p>
      <ul className="plain-list">
        {order.items.map((item) => (
          <li key={item.line}>
            {item.quantity} × <Link to={`/products/${item.product.id}`}>{item.product.name}</Link>
            {item.unitPrice != null && <> at {formatWon(item.unitPrice)}</>}
          </li>
        ))}
      </ul>
      {order.amountToPay != null && (
        <dl className="facts">
          {order.itemsTotal != null && (
            <>
              <dt>Items</dt>
              <dd>{formatWon(order.itemsTotal)}</dd>
            </>
          )}
          {(order.saleDiscount ?? 0) + (order.productDiscount ?? 0) > 0 && (
            <>
              <dt>Discounts</dt>
              <dd>−{formatWon((order.saleDiscount ?? 0) + (order.productDiscount ?? 0))}</dd>
            </>
          )}
          {(order.couponDiscount ?? 0) > 0 && (
            <>
              <dt>Coupon</dt>
              <dd>−{formatWon(order.couponDiscount ?? 0)}</dd>
            </>
          )}
          {(order.pointsUsed ?? 0) > 0 && (
            <>
              <dt>Points</dt>
              <dd>−{formatWon(order.pointsUsed ?? 0)}</dd>
            </>
          )}
          <dt>To pay</dt>
          <dd>
            <strong>{formatWon(order.amountToPay)}</strong>
          </dd>
          {order.earnedPoints != null && order.earnedPoints > 0 && (
            <>
              <dt>Points earned</dt>
              <dd>{formatPoints(order.earnedPoints)}</dd>
            </>
          )}
        </dl>
      )}
      <p>
        Ship to {order.shippingAddress.recipient}, {order.shippingAddress.roadAddress}{' '}
        {order.shippingAddress.detailAddress}
      </p>
      {order.status === 'AWAITING_PAYMENT' && order.amountToPay != null && (
        <PaymentForm
          orderId={order.id}
          amount={order.amountToPay}
          dueAt={order.paymentDueAt}
          lastFailure={order.lastPaymentFailure}
          wallet={data?.me?.wallet ?? null}
          onPaid={() => refetch({ requestPolicy: 'network-only' })}
        />
      )}
      <ErrorNotice error={explain(cancelled.error)} />
      {CANCELLABLE.includes(order.status) && (
        <button
          type="button"
          className="danger"
          disabled={cancelled.fetching}
          onClick={() => {
            if (window.confirm('Cancel this order?')) void cancel({ orderId: order.id });
          }}
        >
          Cancel order
        </button>
      )}
      <p>
        <Link to="/orders">All my orders</Link>
      </p>
    </article>
  );
}

interface WalletInfo {
  readonly balance: number;
  readonly pinAttemptsLeft: number;
  readonly lockedUntil?: string | null;
}

const failureText: Record<string, string> = {
  INSUFFICIENT_BALANCE: 'Your wallet does not hold enough: top it up or pay by card.',
  REJECT_CARD_PAYMENT: 'The card company declined the payment. Try another card.',
};

function PaymentForm(props: {
  readonly orderId: string;
  readonly amount: number;
  readonly dueAt: string | null | undefined;
  readonly lastFailure: string | null | undefined;
  readonly wallet: WalletInfo | null;
  readonly onPaid: () => void;
}) {
  const [method, setMethod] = useState<'WALLET' | 'CARD'>(props.wallet ? 'WALLET' : 'CARD');
  const [pin, setPin] = useState('');
  const [paid, pay] = useMutation(PayOrderMutation);
  const [cardError, setCardError] = useState<string>();
  const [opening, setOpening] = useState(false);
  const payment = paid.data?.payOrder;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCardError(undefined);
    if (method === 'WALLET') {
      await pay({ input: { orderId: props.orderId, method: 'WALLET', pin } });
      setPin('');
      props.onPaid();
      return;
    }
    // The card provider's checkout (the fake stands in for Toss's widget in development) gives a paymentKey.
    setOpening(true);
    try {
      const response = await fetch(providerCheckoutUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: props.orderId, amount: props.amount, orderName: 'Radiata order' }),
      });
      const checkout = (await response.json()) as { paymentKey?: string };
      if (!response.ok || !checkout.paymentKey) throw new Error('no paymentKey');
      await pay({ input: { orderId: props.orderId, method: 'CARD', paymentKey: checkout.paymentKey } });
      props.onPaid();
    } catch {
      setCardError('The card payment could not be started. Please try again.');
    } finally {
      setOpening(false);
    }
  };
  const error = explain(paid.error);
  const attemptsLeft = (paid.error?.graphQLErrors[0]?.extensions as { attemptsLeft?: unknown } | undefined)
    ?.attemptsLeft;
  const outcome =
    payment?.status === 'FAILED'
      ? (failureText[payment.failureCode ?? ''] ?? 'The payment failed. Nothing was charged: try again.')
      : payment?.status === 'PENDING'
        ? 'Waiting for the card company to answer: this page updates by itself.'
        : payment?.status === 'APPROVED'
          ? 'Payment approved.'
          : '';
  return (
    <form className="card payment" onSubmit={(event) => void submit(event)} aria-labelledby="pay-title">
      <h2 id="pay-title">Pay {formatWon(props.amount)}</h2>
      {props.dueAt && <p className="muted">Please pay by {formatDateTime(props.dueAt)}, or the order is cancelled.</p>}
      <fieldset>
        <legend>How to pay</legend>
        <div className="field field-check">
          <input
            type="radio"
            id="pay-wallet"
            name="method"
            disabled={!props.wallet}
            checked={method === 'WALLET'}
            onChange={() => setMethod('WALLET')}
          />
          <label htmlFor="pay-wallet">
            Radiata Pay wallet {props.wallet ? `(${formatWon(props.wallet.balance)})` : '(you have no wallet yet)'}
          </label>
        </div>
        <div className="field field-check">
          <input
            type="radio"
            id="pay-card"
            name="method"
            checked={method === 'CARD'}
            onChange={() => setMethod('CARD')}
          />
          <label htmlFor="pay-card">Card</label>
        </div>
      </fieldset>
      {method === 'WALLET' && (
        <Field
          label="Wallet PIN"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          required
          value={pin}
          onChange={(event) => setPin(event.target.value)}
          error={
            error?.code === 'FORBIDDEN'
              ? `${error.message}${typeof attemptsLeft === 'number' ? ` ${attemptsLeft} tries left.` : ''}`
              : undefined
          }
        />
      )}
      <ErrorNotice error={cardError ?? (error?.code === 'FORBIDDEN' ? undefined : error)} />
      <LiveMessage className={payment?.status === 'FAILED' ? 'error' : 'success'}>{outcome}</LiveMessage>
      <button type="submit" className="primary" disabled={paid.fetching || opening}>
        {paid.fetching || opening ? 'Paying…' : `Pay ${formatWon(props.amount)}`}
      </button>
    </form>
  );
}
