import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime, humanize } from '../../lib/format';

const SettlementRunsQuery = graphql(`
  query SettlementRuns($after: String) {
    settlementRuns(first: 20, after: $after) {
      edges {
        node {
          id
          period {
            startsOn
          }
          status
          phase
          processed
          total
          startedAt
          finishedAt
          error
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const RunSettlementMutation = graphql(`
  mutation RunSettlement($period: String) {
    runSettlement(period: $period) {
      id
      status
      period {
        startsOn
      }
    }
  }
`);

/** While a run is RUNNING its page asks again this often. */
const POLL_MS = 2000;

export function AdminSettlementsPage() {
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  const [result, run] = useMutation(RunSettlementMutation);
  const [period, setPeriod] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const answer = await run({ period: period.trim() === '' ? null : period });
    const started = answer.data?.runSettlement;
    if (started) {
      setNotice(`Settlement of the week of ${started.period.startsOn}: ${humanize(started.status)}.`);
      pages.reset();
      setVersion((n) => n + 1);
    }
  };
  const problem = explain(result.error);
  return (
    <section aria-labelledby="settlements-title">
      <h2 id="settlements-title">Settlement runs</h2>
      <form onSubmit={(event) => void submit(event)} noValidate className="form-block" aria-labelledby="run-title">
        <h3 id="run-title">Settle a week</h3>
        <Field
          label="Week starting on (a Monday)"
          hint="Leave empty for the last week that has ended."
          type="date"
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          error={problemFor(problem, 'period')}
        />
        <ErrorNotice error={formError(problem, ['period'])} />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Starting…' : 'Run settlement'}
        </button>
        <LiveMessage className="success">{notice}</LiveMessage>
      </form>
      <PagedList pages={pages} version={version} renderPage={(slot) => <RunsPage {...slot} />} />
    </section>
  );
}

function RunsPage(props: {
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: SettlementRunsQuery,
    variables: { after: props.after },
    requestPolicy: 'network-only',
  });
  const runs = data?.settlementRuns.edges.map((edge) => edge.node) ?? [];
  const running = runs.some((run) => run.status === 'RUNNING');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearInterval(timer);
  }, [running, refetch]);
  return (
    <>
      {runs.map((run) => (
        <li key={run.id} className="card" aria-labelledby={`run-${run.id}`}>
          <h3 id={`run-${run.id}`}>Week of {run.period.startsOn}</h3>
          <p>
            <span className="badge">{humanize(run.status)}</span>{' '}
            {run.status === 'RUNNING' && `${humanize(run.phase)}: ${run.processed} of ${run.total ?? '…'}`}
            {run.status !== 'RUNNING' && `${run.processed} payments and refunds`}
          </p>
          {run.error && <p className="error">{run.error}</p>}
          <p className="muted">
            Started {formatDateTime(run.startedAt)}
            {run.finishedAt && ` · finished ${formatDateTime(run.finishedAt)}`}
          </p>
        </li>
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <p role="status">Loading settlement runs…</p>}
          <ErrorNotice error={explain(error)} />
          {data && runs.length === 0 && props.after === null && <p>No settlement has run yet.</p>}
          <MoreButton pageInfo={data?.settlementRuns.pageInfo} isLast what="settlement runs" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}
