import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CombinedError } from 'urql';
import { useClient, useQuery } from 'urql';
import { ErrorNotice, LiveMessage, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import type { TimeSaleCountdownSubscription, TimeSaleStatus } from '../generated/graphql/graphql';
import { explain } from '../lib/errors';
import { durationInWords, formatDateTime, formatDuration, formatWon } from '../lib/format';
import { useServerClock } from '../lib/server-clock';

const TimeSaleQuery = graphql(`
  query TimeSale($id: ID!) {
    timeSale(id: $id) {
      id
      title
      status
      startAt
      endAt
      products {
        id
        discountRate
        totalQuantity
        soldQuantity
        remainingQuantity
        perUserLimit
        product {
          id
          name
          price
          brand {
            name
          }
        }
      }
    }
  }
`);

const CountdownSubscription = graphql(`
  subscription TimeSaleCountdown($id: ID!) {
    timeSaleCountdown(timeSaleId: $id) {
      status
      secondsUntilStart
      secondsUntilEnd
      remainingQuantity
      at
    }
  }
`);

type Countdown = TimeSaleCountdownSubscription['timeSaleCountdown'];

/** Moments worth announcing to screen readers before a start or an end (seconds left). */
const ANNOUNCE_AT = [3600, 600, 300, 60, 30, 10];

const phaseText: Record<TimeSaleStatus, string> = {
  SCHEDULED: 'Starts in',
  LIVE: 'Ends in',
  SOLD_OUT: 'Sold out',
  ENDED: 'This sale has ended',
};

export function TimeSalePage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: TimeSaleQuery, variables: { id } });
  const clock = useServerClock();
  const { countdown, error: liveError } = useCountdown(id, Boolean(data?.timeSale), clock.sample);
  // Ticks between events (4 times a second), on the server's clock.
  const [now, setNow] = useState<number>();
  useEffect(() => {
    if (!clock.synced) return;
    const timer = setInterval(() => setNow(clock.now()), 250);
    setNow(clock.now());
    return () => clearInterval(timer);
  }, [clock]);

  // Each status change also changes per-product quantities: read them again.
  const lastStatus = useRef<TimeSaleStatus>(undefined);
  useEffect(() => {
    if (!countdown) return;
    if (lastStatus.current && lastStatus.current !== countdown.status) refetch({ requestPolicy: 'network-only' });
    lastStatus.current = countdown.status;
  }, [countdown, refetch]);

  if (fetching && !data) return <Loading what="the sale" />;
  if (error) return <ErrorNotice error={explain(error)} />;
  const sale = data?.timeSale;
  if (!sale) {
    return (
      <section>
        <h1>Sale not found</h1>
        <p>
          This sale does not exist. <Link to="/sales">See the time sales</Link>
        </p>
      </section>
    );
  }

  const startAt = Date.parse(sale.startAt);
  const endAt = Date.parse(sale.endAt);
  // The server's word, moved on at the exact instant by the server's clock (its event follows within a second).
  let status: TimeSaleStatus = countdown?.status ?? sale.status;
  if (now !== undefined && status === 'SCHEDULED' && now >= startAt) status = 'LIVE';
  if (now !== undefined && (status === 'LIVE' || status === 'SOLD_OUT') && now >= endAt) status = 'ENDED';
  const target = status === 'SCHEDULED' ? startAt : endAt;
  const secondsLeft = now === undefined ? undefined : Math.max(0, Math.ceil((target - now) / 1000));
  const remaining = countdown?.remainingQuantity ?? sale.products.reduce((sum, p) => sum + p.remainingQuantity, 0);
  const buyable = status === 'LIVE' && remaining > 0;

  return (
    <article aria-labelledby="sale-title" className="sale">
      <h1 id="sale-title">{sale.title}</h1>
      <p className="muted">
        {formatDateTime(sale.startAt)} – {formatDateTime(sale.endAt)}
      </p>
      <section className="countdown" aria-labelledby="countdown-label">
        <p id="countdown-label" className="countdown-label">
          {phaseText[status]}
        </p>
        {(status === 'SCHEDULED' || status === 'LIVE') && (
          <p className="countdown-time" role="timer" aria-labelledby="countdown-label" data-testid="countdown">
            {secondsLeft === undefined ? (
              <span className="muted">syncing with the shop's clock…</span>
            ) : (
              <>
                <span aria-hidden="true">{formatDuration(secondsLeft)}</span>
                <span className="visually-hidden">{durationInWords(secondsLeft)}</span>
              </>
            )}
          </p>
        )}
        <p className="remaining">{remaining > 0 ? `${remaining} left in this sale` : 'Nothing left in this sale'}</p>
        <Announcer status={status} secondsLeft={secondsLeft} remaining={remaining} />
        <ErrorNotice error={liveError ? 'Live updates paused: reconnecting…' : undefined} />
      </section>
      <ul className="card-list" aria-label="Products in this sale">
        {sale.products.map((item) => {
          const salePrice = item.product
            ? Math.floor((item.product.price * (100 - item.discountRate)) / 100)
            : undefined;
          const itemBuyable = buyable && item.remainingQuantity > 0 && item.product;
          return (
            <li key={item.id} className="card">
              {item.product ? (
                <Link to={`/products/${item.product.id}`} className="product-link">
                  {item.product.name}
                </Link>
              ) : (
                <span>This product is no longer listed</span>
              )}
              {item.product && <p className="muted">{item.product.brand.name}</p>}
              <p className="price">
                {salePrice !== undefined && <span className="price-amount">{formatWon(salePrice)}</span>}{' '}
                {item.product && (
                  <s className="price-regular">
                    <span className="visually-hidden">instead of </span>
                    {formatWon(item.product.price)}
                  </s>
                )}{' '}
                <span className="badge badge-sale">−{item.discountRate}%</span>
              </p>
              <p>
                {item.remainingQuantity} of {item.totalQuantity} left
                {item.perUserLimit ? ` · at most ${item.perUserLimit} per shopper` : ''}
              </p>
              {itemBuyable && item.product ? (
                <Link
                  className="button primary"
                  to={`/checkout?product=${encodeURIComponent(item.product.id)}&sale=${encodeURIComponent(sale.id)}`}
                >
                  Buy now
                  <span className="visually-hidden"> {item.product.name}</span>
                </Link>
              ) : (
                <button type="button" className="primary" disabled>
                  {status === 'SCHEDULED'
                    ? 'Buy (opens at the start)'
                    : item.remainingQuantity === 0
                      ? 'Sold out'
                      : 'Not available'}
                  {item.product && <span className="visually-hidden"> {item.product.name}</span>}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </article>
  );
}

/**
 * The sale's countdown events. Read straight from the client (not through useSubscription, whose
 * reducer runs when React renders): the clock must be sampled the moment each event arrives.
 */
function useCountdown(id: string, active: boolean, sample: (atIso: string) => void) {
  const client = useClient();
  const [countdown, setCountdown] = useState<Countdown>();
  const [error, setError] = useState<CombinedError>();
  useEffect(() => {
    if (!active) return;
    const subscription = client.subscription(CountdownSubscription, { id }).subscribe((result) => {
      const event = result.data?.timeSaleCountdown;
      if (event) {
        sample(event.at);
        setCountdown(event);
      }
      setError(result.error);
    });
    return () => subscription.unsubscribe();
  }, [client, id, active, sample]);
  return { countdown, error };
}

/** A polite live region that speaks at a few moments only (every second would drown the page). */
function Announcer(props: {
  readonly status: TimeSaleStatus;
  readonly secondsLeft: number | undefined;
  readonly remaining: number;
}) {
  const [message, setMessage] = useState('');
  const said = useRef({
    status: undefined as TimeSaleStatus | undefined,
    threshold: Number.POSITIVE_INFINITY,
    soldOut: false,
  });
  const { status, secondsLeft, remaining } = props;
  useEffect(() => {
    const memory = said.current;
    if (status !== memory.status) {
      const first = memory.status === undefined;
      memory.status = status;
      // What is said now covers the current bracket: the next announcement is at the next mark below.
      memory.threshold =
        secondsLeft === undefined
          ? Number.POSITIVE_INFINITY
          : Math.min(Number.POSITIVE_INFINITY, ...ANNOUNCE_AT.filter((mark) => secondsLeft <= mark));
      if (status === 'LIVE' && !first) setMessage('The sale has started. You can buy now.');
      else if (status === 'ENDED') setMessage('The sale has ended.');
      else if (status === 'SOLD_OUT') setMessage('Everything in this sale is sold out.');
      else if (first && secondsLeft !== undefined) {
        setMessage(`${status === 'SCHEDULED' ? 'Starts' : 'Ends'} in ${durationInWords(secondsLeft)}.`);
      }
      return;
    }
    if (secondsLeft !== undefined && (status === 'SCHEDULED' || status === 'LIVE')) {
      const crossed = ANNOUNCE_AT.find((mark) => secondsLeft <= mark && mark < memory.threshold);
      if (crossed !== undefined) {
        memory.threshold = crossed;
        setMessage(`${status === 'SCHEDULED' ? 'Starts' : 'Ends'} in ${durationInWords(secondsLeft)}.`);
      }
    }
    if (remaining === 0 && !memory.soldOut && status === 'LIVE') {
      memory.soldOut = true;
      setMessage('Everything in this sale is sold out.');
    }
  }, [status, secondsLeft, remaining]);
  return <LiveMessage className="visually-hidden">{message}</LiveMessage>;
}
