import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice, Field, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import { type CartLine, cart, useCart } from '../lib/cart';
import { explain, formError, problemFor } from '../lib/errors';
import { formatDateTime, formatPoints, formatWon } from '../lib/format';
import { discountText } from './CouponsPage';

const CheckoutQuery = graphql(`
  query Checkout {
    me {
      id
      addresses {
        id
        label
        recipient
        roadAddress
        detailAddress
        isDefault
      }
      points {
        balance
      }
      coupons(status: ISSUED, first: 20) {
        edges {
          node {
            id
            expiresAt
            coupon {
              id
              title
              discountType
              discountRate
              discountAmount
              minOrderAmount
            }
          }
        }
      }
    }
  }
`);

const CheckoutProductQuery = graphql(`
  query CheckoutProduct($id: ID!) {
    product(id: $id) {
      id
      name
      lowestPrice {
        amount
      }
    }
  }
`);

const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      id
      status
    }
  }
`);

const newKey = (): string => crypto.randomUUID();

/**
 * Checkout: the cart's lines, or one item bought now (`?product=…&sale=…` from a time sale), a
 * saved or new address, a coupon, points. Placing it answers at once (PENDING): the order page
 * follows it live and takes the payment.
 */
export function CheckoutPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const cartLines = useCart();
  const buyNow = search.get('product');
  const lines: readonly CartLine[] = buyNow
    ? [{ productId: buyNow, quantity: 1, timeSaleId: search.get('sale') ?? undefined }]
    : cartLines;
  const [{ data, fetching, error }] = useQuery({ query: CheckoutQuery });
  const [placed, place] = useMutation(PlaceOrderMutation);
  const me = data?.me;
  const addresses = me?.addresses ?? [];
  const [addressId, setAddressId] = useState<string>();
  const chosenAddress = addressId ?? addresses.find((a) => a.isDefault)?.id ?? 'new';
  const [address, setAddress] = useState({ recipient: '', phone: '', zipCode: '', roadAddress: '', detailAddress: '' });
  const [couponIssueId, setCouponIssueId] = useState('');
  const [points, setPoints] = useState('');
  // The same key while the shopper retries the same checkout (a timeout answered later is the same order).
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);

  if (lines.length === 0) {
    return (
      <section>
        <h1>Checkout</h1>
        <p>
          Nothing to check out. <Link to="/">Go shopping</Link>
        </p>
      </section>
    );
  }
  if (fetching && !data) return <Loading what="checkout" />;
  if (!me) return <ErrorNotice error={explain(error) ?? 'Please log in again.'} />;

  const problem = explain(placed.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pointsToUse = Number(points) || 0;
    const answer = await place({
      input: {
        items: lines.map((line) => ({
          productId: line.productId,
          quantity: line.quantity,
          timeSaleId: line.timeSaleId ?? null,
        })),
        couponIssueId: couponIssueId || null,
        points: pointsToUse > 0 ? pointsToUse : null,
        ...(chosenAddress === 'new' ? { shippingAddress: address } : { shippingAddressId: chosenAddress }),
        idempotencyKey,
      },
    });
    if (answer.data) {
      if (!buyNow) cart.clear();
      void navigate(`/orders/${answer.data.placeOrder.id}`);
    } else if (explain(answer.error)?.code !== 'NETWORK') {
      // Refused as asked: a changed request needs a key of its own.
      setIdempotencyKey(newKey());
    }
  };
  const coupons = me.coupons?.edges.map((edge) => edge.node) ?? [];
  const addressField = (name: keyof typeof address) => ({
    value: address[name],
    onChange: (event: { target: { value: string } }) => setAddress((a) => ({ ...a, [name]: event.target.value })),
    error: problemFor(problem, `shippingAddress.${name}`),
  });
  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <form onSubmit={(event) => void submit(event)} noValidate className="checkout">
        <section aria-labelledby="checkout-items">
          <h2 id="checkout-items">Items</h2>
          <ul className="plain-list">
            {lines.map((line) => (
              <CheckoutLine key={`${line.productId}:${line.timeSaleId ?? ''}`} line={line} />
            ))}
          </ul>
        </section>
        <fieldset>
          <legend>Ship to</legend>
          {addresses.map((saved) => (
            <div className="field field-check" key={saved.id}>
              <input
                type="radio"
                id={`address-${saved.id}`}
                name="address"
                checked={chosenAddress === saved.id}
                onChange={() => setAddressId(saved.id)}
              />
              <label htmlFor={`address-${saved.id}`}>
                {saved.label ?? saved.recipient}: {saved.roadAddress} {saved.detailAddress}
              </label>
            </div>
          ))}
          <div className="field field-check">
            <input
              type="radio"
              id="address-new"
              name="address"
              checked={chosenAddress === 'new'}
              onChange={() => setAddressId('new')}
            />
            <label htmlFor="address-new">Another address</label>
          </div>
          {chosenAddress === 'new' && (
            <div className="address-form">
              <Field label="Recipient" autoComplete="name" required {...addressField('recipient')} />
              <Field label="Mobile phone" type="tel" autoComplete="tel" required {...addressField('phone')} />
              <Field label="Postal code" inputMode="numeric" required maxLength={5} {...addressField('zipCode')} />
              <Field label="Road address" autoComplete="address-line1" required {...addressField('roadAddress')} />
              <Field label="Building, floor, unit (optional)" {...addressField('detailAddress')} />
            </div>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor="checkout-coupon">Coupon</label>
          <select id="checkout-coupon" value={couponIssueId} onChange={(event) => setCouponIssueId(event.target.value)}>
            <option value="">No coupon</option>
            {coupons.map((issue) => (
              <option key={issue.id} value={issue.id}>
                {issue.coupon.title}: {discountText(issue.coupon)} (until {formatDateTime(issue.expiresAt)})
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Points to use"
          type="number"
          min={0}
          max={me.points?.balance ?? 0}
          inputMode="numeric"
          hint={`You have ${formatPoints(me.points?.balance ?? 0)} (1 point = 1 won).`}
          value={points}
          onChange={(event) => setPoints(event.target.value)}
          error={problemFor(problem, 'points')}
        />
        <ErrorNotice
          error={formError(problem, [
            'points',
            ...(chosenAddress === 'new'
              ? ['recipient', 'phone', 'zipCode', 'roadAddress', 'detailAddress'].map((f) => `shippingAddress.${f}`)
              : []),
          ])}
        />
        <button type="submit" className="primary" disabled={placed.fetching}>
          {placed.fetching ? 'Placing your order…' : 'Place order'}
        </button>
        <p className="muted">You pay on the next page, once the items are reserved for you.</p>
      </form>
    </section>
  );
}

function CheckoutLine({ line }: { readonly line: CartLine }) {
  const [{ data }] = useQuery({ query: CheckoutProductQuery, variables: { id: line.productId } });
  const product = data?.product;
  return (
    <li>
      {line.quantity} × {product?.name ?? '…'}
      {line.timeSaleId && <span className="badge badge-sale">Time sale</span>}
      {product?.lowestPrice && (
        <span className="muted"> · about {formatWon(product.lowestPrice.amount * line.quantity)}</span>
      )}
    </li>
  );
}
