import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice, LiveMessage, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';

const SessionsQuery = graphql(`
  query Sessions {
    me {
      id
      sessions {
        id
        createdAt
        lastUsedAt
        userAgent
        current
      }
    }
  }
`);

const EndSessionMutation = graphql(`
  mutation EndSession($id: ID!) {
    endSession(id: $id)
  }
`);

const EndOtherSessionsMutation = graphql(`
  mutation EndOtherSessions {
    endOtherSessions
  }
`);

/** "Chrome on Linux"-ish from a User-Agent, else the string itself. */
function deviceName(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : undefined;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return browser ? `${browser}${system ? ` on ${system}` : ''}` : userAgent;
}

export function SessionsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: SessionsQuery });
  const [endResult, end] = useMutation(EndSessionMutation);
  const [othersResult, endOthers] = useMutation(EndOtherSessionsMutation);
  const [notice, setNotice] = useState('');
  const sessions = data?.me?.sessions ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (fetching && !data) return <Loading what="your sessions" />;
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are logged in</h2>
      <ErrorNotice error={explain(error ?? endResult.error ?? othersResult.error)} />
      <LiveMessage className="success">{notice}</LiveMessage>
      <ul className="card-list">
        {sessions.map((item) => (
          <li key={item.id} className="card">
            <p>
              <strong>{deviceName(item.userAgent)}</strong>{' '}
              {item.current && <span className="badge">This browser</span>}
            </p>
            <p className="muted">
              Logged in {formatDateTime(item.createdAt)} · last used {formatDateTime(item.lastUsedAt)}
            </p>
            {!item.current && (
              <button
                type="button"
                onClick={async () => {
                  const answer = await end({ id: item.id });
                  if (answer.data) {
                    setNotice(`Logged out ${deviceName(item.userAgent)}.`);
                    reload();
                  }
                }}
              >
                Log out this session<span className="visually-hidden"> {deviceName(item.userAgent)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {sessions.some((item) => !item.current) && (
        <button
          type="button"
          className="danger"
          onClick={async () => {
            const answer = await endOthers({});
            if (answer.data) {
              const count = answer.data.endOtherSessions;
              setNotice(`Logged out ${count} other session${count === 1 ? '' : 's'}.`);
              reload();
            }
          }}
        >
          Log out everywhere else
        </button>
      )}
    </section>
  );
}
