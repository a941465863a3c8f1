import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { localToIso, toLocalInput } from '../../lib/datetime-local';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime, humanize } from '../../lib/format';
import { useBrandChoice } from './BrandPicker';

const BrandProductSalesQuery = graphql(`
  query BrandProductSales($brandId: ID!, $after: String) {
    products(filter: { brandId: $brandId }, first: 20, after: $after) {
      edges {
        node {
          id
          name
          timeSales {
            id
            title
            status
            startAt
            endAt
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateTimeSaleMutation = graphql(`
  mutation CreateTimeSale($input: CreateTimeSaleInput!) {
    createTimeSale(input: $input) {
      id
      title
      status
    }
  }
`);

const statusText: Record<string, string> = {
  SCHEDULED: 'Scheduled',
  LIVE: 'Live now',
  SOLD_OUT: 'Sold out',
  ENDED: 'Ended',
};

/** A seller's sales, by product (the API lists a product's sales; a sale holds products of one owner). */
export function SellerTimeSalesPage() {
  const { brand, picker } = useBrandChoice();
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="sales-title">
      <h2 id="sales-title">My time sales</h2>
      <p>Each product with its sales. Put a product on sale from its card.</p>
      {picker}
      <LiveMessage className="success">{notice}</LiveMessage>
      {brand && (
        <PagedList
          pages={pages}
          version={`${brand.id}:${version}`}
          renderPage={(slot) => (
            <SalesPage
              {...slot}
              brandId={brand.id}
              onCreated={(title) => {
                setNotice(`Time sale ${title} scheduled.`);
                pages.reset();
                setVersion((n) => n + 1);
              }}
            />
          )}
        />
      )}
    </section>
  );
}

function SalesPage(props: {
  readonly brandId: string;
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
  readonly onCreated: (title: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: BrandProductSalesQuery,
    variables: { brandId: props.brandId, after: props.after },
  });
  const [creatingFor, setCreatingFor] = useState<string>();
  const products = data?.products.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {products.map((product) => {
        const titleId = `sales-product-${product.id}`;
        return (
          <li key={product.id} className="card" aria-labelledby={titleId}>
            <h3 id={titleId}>{product.name}</h3>
            {product.timeSales.length === 0 ? (
              <p className="muted">No sale.</p>
            ) : (
              <ul className="plain-list">
                {product.timeSales.map((sale) => (
                  <li key={sale.id}>
                    <Link to={`/sales/${sale.id}`}>{sale.title}</Link>{' '}
                    <span className="badge">{statusText[sale.status] ?? humanize(sale.status)}</span>
                    <br />
                    <span className="muted">
                      {formatDateTime(sale.startAt)} – {formatDateTime(sale.endAt)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {creatingFor === product.id ? (
              <NewSaleForm
                productId={product.id}
                productName={product.name}
                onCancel={() => setCreatingFor(undefined)}
                onDone={(title) => {
                  setCreatingFor(undefined);
                  props.onCreated(title);
                }}
              />
            ) : (
              <button type="button" onClick={() => setCreatingFor(product.id)}>
                Put on sale<span className="visually-hidden"> {product.name}</span>
              </button>
            )}
          </li>
        );
      })}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <p role="status">Loading products…</p>}
          <ErrorNotice error={explain(error)} />
          {data && products.length === 0 && props.after === null && (
            <p>
              No product in this brand yet. <Link to={`/seller/products?brand=${props.brandId}`}>Add one</Link>.
            </p>
          )}
          <MoreButton pageInfo={data?.products.pageInfo} isLast what="products" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}

function NewSaleForm(props: {
  readonly productId: string;
  readonly productName: string;
  readonly onDone: (title: string) => void;
  readonly onCancel: () => void;
}) {
  const [result, create] = useMutation(CreateTimeSaleMutation);
  const hour = 60 * 60_000;
  const [title, setTitle] = useState(`${props.productName} sale`);
  const [startAt, setStartAt] = useState(() => toLocalInput(new Date(Date.now() + hour)));
  const [endAt, setEndAt] = useState(() => toLocalInput(new Date(Date.now() + 2 * hour)));
  const [rate, setRate] = useState('30');
  const [quantity, setQuantity] = useState('100');
  const [limit, setLimit] = useState('');
  const [localError, setLocalError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const start = localToIso(startAt);
    const end = localToIso(endAt);
    const discountRate = Number(rate);
    const totalQuantity = Number(quantity);
    const perUserLimit = limit.trim() === '' ? null : Number(limit);
    if (!start || !end) return setLocalError('Enter when the sale starts and ends.');
    if (![discountRate, totalQuantity, perUserLimit ?? 1].every(Number.isSafeInteger))
      return setLocalError('Enter the discount, quantity and limit as whole numbers.');
    setLocalError(undefined);
    const answer = await create({
      input: {
        title,
        startAt: start,
        endAt: end,
        products: [{ productId: props.productId, discountRate, totalQuantity, perUserLimit }],
      },
    });
    if (answer.data) props.onDone(answer.data.createTimeSale.title);
  };
  const problem = explain(result.error);
  const at = (field: string) => problemFor(problem, field) ?? problemFor(problem, `products[0].${field}`);
  const shown = [
    'title',
    'startAt',
    'endAt',
    'products[0].discountRate',
    'products[0].totalQuantity',
    'products[0].perUserLimit',
  ];
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={`New time sale for ${props.productName}`}>
      <Field label="Sale title" value={title} onChange={(e) => setTitle(e.target.value)} error={at('title')} />
      <Field
        label="Starts"
        type="datetime-local"
        value={startAt}
        onChange={(e) => setStartAt(e.target.value)}
        error={at('startAt')}
      />
      <Field
        label="Ends"
        type="datetime-local"
        value={endAt}
        onChange={(e) => setEndAt(e.target.value)}
        error={at('endAt')}
      />
      <Field
        label="Discount (%)"
        type="number"
        inputMode="numeric"
        min={1}
        max={99}
        value={rate}
        onChange={(e) => setRate(e.target.value)}
        error={at('discountRate')}
      />
      <Field
        label="Units on sale"
        type="number"
        inputMode="numeric"
        min={1}
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        error={at('totalQuantity')}
      />
      <Field
        label="Most one shopper may buy"
        hint="Leave empty for no limit."
        type="number"
        inputMode="numeric"
        min={1}
        value={limit}
        onChange={(e) => setLimit(e.target.value)}
        error={at('perUserLimit')}
      />
      <ErrorNotice error={localError ?? formError(problem, shown)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Scheduling…' : 'Schedule sale'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
