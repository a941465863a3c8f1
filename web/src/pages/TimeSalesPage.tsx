import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ErrorNotice, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import type { TimeSaleStatus } from '../generated/graphql/graphql';
import { explain } from '../lib/errors';
import { formatDateTime } from '../lib/format';

const TimeSalesQuery = graphql(`
  query TimeSales($status: TimeSaleStatus) {
    timeSales(status: $status, first: 20) {
      edges {
        node {
          id
          title
          status
          startAt
          endAt
          products {
            id
            discountRate
          }
        }
      }
    }
  }
`);

export function TimeSalesPage() {
  return (
    <section aria-labelledby="sales-title">
      <h1 id="sales-title">Time sales</h1>
      <SaleList title="On now" status="LIVE" empty="No sale is on right now." />
      <SaleList title="Coming up" status="SCHEDULED" empty="No sale is scheduled yet." />
    </section>
  );
}

function SaleList({
  title,
  status,
  empty,
}: {
  readonly title: string;
  readonly status: TimeSaleStatus;
  readonly empty: string;
}) {
  const [{ data, fetching, error }] = useQuery({ query: TimeSalesQuery, variables: { status } });
  const sales = data?.timeSales.edges.map((edge) => edge.node) ?? [];
  const headingId = `sales-${status.toLowerCase()}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {fetching && !data && <Loading what="sales" />}
      <ErrorNotice error={explain(error)} />
      {data && sales.length === 0 && <p>{empty}</p>}
      <ul className="card-list">
        {sales.map((sale) => {
          const best = Math.max(0, ...sale.products.map((product) => product.discountRate));
          return (
            <li key={sale.id} className="card">
              <Link to={`/sales/${sale.id}`} className="product-link">
                {sale.title}
              </Link>
              <p>
                {sale.products.length} product{sale.products.length === 1 ? '' : 's'}
                {best > 0 && <>, up to −{best}%</>}
              </p>
              <p className="muted">
                {status === 'SCHEDULED'
                  ? `Starts ${formatDateTime(sale.startAt)}`
                  : `Ends ${formatDateTime(sale.endAt)}`}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
