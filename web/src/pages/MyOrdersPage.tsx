import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ErrorNotice, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain } from '../lib/errors';
import { formatDateTime, formatWon, humanize } from '../lib/format';

const MyOrdersQuery = graphql(`
  query MyOrders {
    myOrders(first: 20) {
      edges {
        node {
          id
          status
          amountToPay
          createdAt
          items {
            line
            quantity
            product {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export function MyOrdersPage() {
  const [{ data, fetching, error }] = useQuery({ query: MyOrdersQuery });
  const orders = data?.myOrders.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">My orders</h1>
      {fetching && !data && <Loading what="your orders" />}
      <ErrorNotice error={explain(error)} />
      {data && orders.length === 0 && (
        <p>
          No orders yet. <Link to="/">Go shopping</Link>
        </p>
      )}
      <ul className="card-list">
        {orders.map((order) => (
          <li key={order.id} className="card">
            <Link className="product-link" to={`/orders/${order.id}`}>
              {order.items.map((item) => `${item.quantity} × ${item.product.name}`).join(', ')}
            </Link>
            <p>
              <span className="badge">{humanize(order.status)}</span>{' '}
              {order.amountToPay != null && formatWon(order.amountToPay)}
            </p>
            <p className="muted">{formatDateTime(order.createdAt)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
