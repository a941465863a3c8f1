import { useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { ErrorNotice, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain } from '../../lib/errors';
import { formatDateTime, formatPoints, humanize } from '../../lib/format';

const PointsQuery = graphql(`
  query MyPoints {
    me {
      id
      points {
        balance
      }
    }
  }
`);

const PointHistoryQuery = graphql(`
  query MyPointHistory($after: String) {
    me {
      id
      points {
        history(first: 20, after: $after) {
          edges {
            node {
              id
              type
              amount
              balanceAfter
              reason
              createdAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

export function PointsPage() {
  const [{ data, fetching, error }] = useQuery({ query: PointsQuery });
  const pages = usePages();
  if (fetching && !data) return <Loading what="your points" />;
  return (
    <section aria-labelledby="points-title">
      <h2 id="points-title">Reward points</h2>
      <ErrorNotice error={explain(error)} />
      <p>
        Balance: <strong>{formatPoints(data?.me?.points?.balance ?? 0)}</strong> (1 point = 1 won at checkout).
      </p>
      <section aria-labelledby="points-history-title">
        <h3 id="points-history-title">History</h3>
        <PagedList pages={pages} renderPage={(slot) => <HistoryPage {...slot} />} />
      </section>
    </section>
  );
}

function HistoryPage(props: {
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({ query: PointHistoryQuery, variables: { after: props.after } });
  const connection = data?.me?.points?.history;
  const entries = connection?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {entries.map((entry) => (
        <li key={entry.id} className="card">
          <p>
            <strong>{humanize(entry.type)}</strong> {entry.amount < 0 ? '−' : '+'}
            {formatPoints(Math.abs(entry.amount))}
          </p>
          <p>{entry.reason}</p>
          <p className="muted">
            {formatDateTime(entry.createdAt)} · balance after {formatPoints(entry.balanceAfter)}
          </p>
        </li>
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <Loading what="your points history" />}
          <ErrorNotice error={explain(error)} />
          {connection && entries.length === 0 && props.after === null && (
            <p>No points yet: every paid order earns 1 % of what you paid.</p>
          )}
          <MoreButton pageInfo={connection?.pageInfo} isLast what="points history" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}
