import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { SelectField } from '../../components/SelectField';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import type { DiscountType } from '../../generated/graphql/graphql';
import { localToIso, toLocalInput } from '../../lib/datetime-local';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime, humanize } from '../../lib/format';
import { discountText } from '../CouponsPage';

const AdminCouponsQuery = graphql(`
  query AdminCoupons($after: String) {
    coupons(first: 20, after: $after) {
      edges {
        node {
          id
          title
          type
          discountType
          discountRate
          discountAmount
          minOrderAmount
          issueStartAt
          issueEndAt
          totalQuantity
          claimedQuantity
          issuedQuantity
          state
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateCouponMutation = graphql(`
  mutation AdminCreateCoupon($input: CreateCouponInput!) {
    createCoupon(input: $input) {
      id
      title
    }
  }
`);

export function AdminCouponsPage() {
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="admin-coupons-title">
      <h2 id="admin-coupons-title">Coupons</h2>
      <LiveMessage className="success">{notice}</LiveMessage>
      <PagedList pages={pages} version={version} renderPage={(slot) => <CouponsPage {...slot} />} />
      <NewCouponForm
        onDone={(title) => {
          setNotice(`Coupon ${title} created.`);
          pages.reset();
          setVersion((n) => n + 1);
        }}
      />
    </section>
  );
}

function CouponsPage(props: {
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: AdminCouponsQuery,
    variables: { after: props.after },
    requestPolicy: 'network-only',
  });
  const coupons = data?.coupons.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {coupons.map((coupon) => (
        <li key={coupon.id} className="card" aria-labelledby={`admin-coupon-${coupon.id}`}>
          <h3 id={`admin-coupon-${coupon.id}`}>{coupon.title}</h3>
          <p>
            {discountText(coupon)} · <span className="badge">{humanize(coupon.state)}</span>
          </p>
          <p className="muted">
            {formatDateTime(coupon.issueStartAt)} – {formatDateTime(coupon.issueEndAt)}
          </p>
          <p>
            {coupon.totalQuantity != null
              ? `${coupon.claimedQuantity} of ${coupon.totalQuantity} claimed`
              : `${coupon.claimedQuantity} claimed (no limit)`}
            , {coupon.issuedQuantity} issued
          </p>
        </li>
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <p role="status">Loading coupons…</p>}
          <ErrorNotice error={explain(error)} />
          {data && coupons.length === 0 && props.after === null && <p>No coupon yet.</p>}
          <MoreButton pageInfo={data?.coupons.pageInfo} isLast what="coupons" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}

/** A first-come-first-served coupon: the fields that matter, the rest left to the API's defaults. */
function NewCouponForm({ onDone }: { readonly onDone: (title: string) => void }) {
  const [result, create] = useMutation(CreateCouponMutation);
  const [title, setTitle] = useState('');
  const [quantity, setQuantity] = useState('100');
  const [discountType, setDiscountType] = useState<DiscountType>('RATE');
  const [discount, setDiscount] = useState('10');
  const [minOrder, setMinOrder] = useState('');
  const [opens, setOpens] = useState(() => toLocalInput(new Date(Date.now() + 10 * 60_000)));
  const [closes, setCloses] = useState(() => toLocalInput(new Date(Date.now() + 24 * 60 * 60_000)));
  const [validDays, setValidDays] = useState('7');
  const [localError, setLocalError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const issueStartAt = localToIso(opens);
    const issueEndAt = localToIso(closes);
    const numbers = [quantity, discount, validDays, minOrder || '0'].map(Number);
    if (!issueStartAt || !issueEndAt) return setLocalError('Enter when claiming opens and closes.');
    if (!numbers.every(Number.isSafeInteger)) return setLocalError('Enter the amounts as whole numbers.');
    setLocalError(undefined);
    const value = Number(discount);
    const answer = await create({
      input: {
        title,
        type: 'FIRST_COME_FIRST_SERVED',
        totalQuantity: Number(quantity),
        discountType,
        ...(discountType === 'RATE' ? { discountRate: value } : { discountAmount: value }),
        ...(minOrder.trim() === '' ? {} : { minOrderAmount: Number(minOrder) }),
        issueStartAt,
        issueEndAt,
        validDays: Number(validDays),
      },
    });
    if (answer.data) {
      onDone(answer.data.createCoupon.title);
      setTitle('');
    }
  };
  const problem = explain(result.error);
  const shown = [
    'title',
    'totalQuantity',
    'discountRate',
    'discountAmount',
    'minOrderAmount',
    'issueStartAt',
    'issueEndAt',
    'validDays',
  ];
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="form-block" aria-labelledby="new-coupon-title">
      <h3 id="new-coupon-title">New first-come-first-served coupon</h3>
      <Field
        label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={problemFor(problem, 'title')}
      />
      <Field
        label="How many in all"
        type="number"
        inputMode="numeric"
        min={1}
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        error={problemFor(problem, 'totalQuantity')}
      />
      <SelectField
        label="Discount kind"
        options={[
          { value: 'RATE', label: 'Percent off' },
          { value: 'AMOUNT', label: 'Won off' },
        ]}
        value={discountType}
        onChange={(e) => setDiscountType(e.target.value as DiscountType)}
      />
      <Field
        label={discountType === 'RATE' ? 'Discount (%)' : 'Discount (won)'}
        type="number"
        inputMode="numeric"
        min={1}
        value={discount}
        onChange={(e) => setDiscount(e.target.value)}
        error={problemFor(problem, discountType === 'RATE' ? 'discountRate' : 'discountAmount')}
      />
      <Field
        label="Smallest order (won)"
        hint="Leave empty for any order."
        type="number"
        inputMode="numeric"
        min={0}
        value={minOrder}
        onChange={(e) => setMinOrder(e.target.value)}
        error={problemFor(problem, 'minOrderAmount')}
      />
      <Field
        label="Claiming opens"
        type="datetime-local"
        value={opens}
        onChange={(e) => setOpens(e.target.value)}
        error={problemFor(problem, 'issueStartAt')}
      />
      <Field
        label="Claiming closes"
        type="datetime-local"
        value={closes}
        onChange={(e) => setCloses(e.target.value)}
        error={problemFor(problem, 'issueEndAt')}
      />
      <Field
        label="Usable for (days after claiming)"
        type="number"
        inputMode="numeric"
        min={1}
        value={validDays}
        onChange={(e) => setValidDays(e.target.value)}
        error={problemFor(problem, 'validDays')}
      />
      <ErrorNotice error={localError ?? formError(problem, shown)} />
      <button type="submit" className="primary" disabled={result.fetching}>
        {result.fetching ? 'Creating…' : 'Create coupon'}
      </button>
    </form>
  );
}
