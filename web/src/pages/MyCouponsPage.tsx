import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ErrorNotice, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { discountText } from './CouponsPage';

const MyCouponsQuery = graphql(`
  query MyCoupons {
    me {
      id
      coupons(first: 20) {
        edges {
          node {
            id
            status
            issuedAt
            expiresAt
            usedAt
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

const statusText = { ISSUED: 'Ready to use', USED: 'Used', EXPIRED: 'Expired' } as const;

export function MyCouponsPage() {
  const [{ data, fetching, error }] = useQuery({ query: MyCouponsQuery, requestPolicy: 'cache-and-network' });
  const issues = data?.me?.coupons?.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="my-coupons-title">
      <h1 id="my-coupons-title">My coupons</h1>
      {fetching && !data && <Loading what="your coupons" />}
      <ErrorNotice error={explain(error)} />
      {data && issues.length === 0 && (
        <p>
          You have no coupons yet. <Link to="/coupons">Claim one</Link>
        </p>
      )}
      <ul className="card-list">
        {issues.map((issue) => (
          <li key={issue.id} className={`card coupon coupon-${issue.status.toLowerCase()}`}>
            <h2 className="card-title">{issue.coupon.title}</h2>
            <p className="coupon-discount">{discountText(issue.coupon)}</p>
            <p>
              <span className="badge">{statusText[issue.status]}</span>{' '}
              {issue.status === 'ISSUED' && `until ${formatDateTime(issue.expiresAt)}`}
              {issue.status === 'USED' && issue.usedAt && `on ${formatDateTime(issue.usedAt)}`}
              {issue.status === 'EXPIRED' && `on ${formatDateTime(issue.expiresAt)}`}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
