import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { useUser } from '../auth/use-session';
import { ErrorNotice, LiveMessage, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import type { ClaimOutcome, CouponState, CouponsQuery as CouponsResult } from '../generated/graphql/graphql';
import { explain } from '../lib/errors';
import { formatDateTime, formatDuration, formatWon } from '../lib/format';
import { useQueriedServerClock } from '../lib/server-clock';

const CouponsQuery = graphql(`
  query Coupons($state: CouponState) {
    coupons(filter: { state: $state }, first: 20) {
      edges {
        node {
          id
          ...CouponFields
        }
      }
    }
  }
`);

export const CouponFields = graphql(`
  fragment CouponFields on Coupon {
    id
    title
    type
    discountType
    discountRate
    discountAmount
    minOrderAmount
    maxOrderAmount
    issueStartAt
    issueEndAt
    validUntil
    validDays
    totalQuantity
    remainingQuantity
    state
  }
`);

const ClaimCouponMutation = graphql(`
  mutation ClaimCoupon($couponId: ID!) {
    claimCoupon(couponId: $couponId) {
      outcome
      claimId
      retryAfterMs
    }
  }
`);

const ClaimResultSubscription = graphql(`
  subscription CouponClaimResult($claimId: ID!) {
    couponClaimResult(claimId: $claimId) {
      status
      issue {
        id
        expiresAt
      }
    }
  }
`);

type Coupon = CouponsResult['coupons']['edges'][number]['node'];

/** "10% off", "5,000 won off", with its conditions. */
export function discountText(coupon: {
  readonly discountType: string;
  readonly discountRate?: number | null;
  readonly discountAmount?: number | null;
  readonly minOrderAmount?: number | null;
}): string {
  const off =
    coupon.discountType === 'RATE'
      ? `${coupon.discountRate ?? 0}% off`
      : `${formatWon(coupon.discountAmount ?? 0)} off`;
  return coupon.minOrderAmount ? `${off} orders from ${formatWon(coupon.minOrderAmount)}` : off;
}

export function CouponsPage() {
  // When upcoming coupons open, by the server's clock (the browser's may be minutes off).
  const clock = useQueriedServerClock();
  return (
    <section aria-labelledby="coupons-title">
      <h1 id="coupons-title">Coupons</h1>
      <p>
        Limited coupons go to the first shoppers who claim them, one each.{' '}
        <Link to="/coupons/mine">See my coupons</Link>
      </p>
      <CouponList title="Open now" state="OPEN" empty="No coupon can be claimed right now." clock={clock} />
      <CouponList title="Coming soon" state="UPCOMING" empty="No coupon is coming yet." clock={clock} />
    </section>
  );
}

function CouponList({
  title,
  state,
  empty,
  clock,
}: {
  readonly title: string;
  readonly state: CouponState;
  readonly empty: string;
  readonly clock: ServerNow;
}) {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: CouponsQuery, variables: { state } });
  // After a claim's answer, the open coupons' quantities left are read again (other shoppers'
  // claims too). Not the upcoming list: a coupon claimed at its opening has left it, and its card
  // (with the claim's result) would vanish.
  const refresh = () => {
    if (state === 'OPEN') reexecute({ requestPolicy: 'network-only' });
  };
  const coupons = data?.coupons.edges.map((edge) => edge.node) ?? [];
  const headingId = `coupons-${state.toLowerCase()}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {fetching && !data && <Loading what="coupons" />}
      <ErrorNotice error={explain(error)} />
      {data && coupons.length === 0 && <p>{empty}</p>}
      <ul className="card-list">
        {coupons.map((coupon) => (
          <CouponCard key={coupon.id} coupon={coupon} onAnswered={refresh} clock={clock} />
        ))}
      </ul>
    </section>
  );
}

interface CouponProps {
  readonly coupon: Coupon;
  /** A claim of this coupon was answered (the quantity left may have changed). */
  readonly onAnswered: () => void;
  readonly clock: ServerNow;
}

type ServerNow = ReturnType<typeof useQueriedServerClock>;

function CouponCard({ coupon, onAnswered, clock }: CouponProps) {
  const titleId = `coupon-${coupon.id}`;
  return (
    <li className="card coupon" aria-labelledby={titleId}>
      <h3 id={titleId}>{coupon.title}</h3>
      <p className="coupon-discount">{discountText(coupon)}</p>
      <p className="muted">
        {coupon.state === 'UPCOMING'
          ? `Opens ${formatDateTime(coupon.issueStartAt)}`
          : `Until ${formatDateTime(coupon.issueEndAt)}`}
        {coupon.totalQuantity != null && ` · ${coupon.remainingQuantity ?? 0} of ${coupon.totalQuantity} left`}
      </p>
      <ClaimButton coupon={coupon} onAnswered={onAnswered} clock={clock} />
    </li>
  );
}

type ClaimState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'claiming' }
  | { readonly kind: 'accepted'; readonly claimId: string }
  | { readonly kind: 'issued'; readonly expiresAt: string }
  | { readonly kind: 'refused'; readonly outcome: ClaimOutcome | 'ERROR'; readonly message: string };

const outcomeText: Record<Exclude<ClaimOutcome, 'ACCEPTED' | 'RATE_LIMITED'>, string> = {
  SOLD_OUT: 'Sold out: every coupon has been claimed.',
  ALREADY_CLAIMED: 'You already have this coupon.',
  NOT_OPEN_YET: 'Not open yet: try again when it opens.',
  CLOSED: 'Too late: claiming this coupon is over.',
  NOT_FOUND: 'This coupon no longer exists.',
};

/**
 * Whole seconds until `instantIso` by the server's clock, counting down (re-rendered 4 times a
 * second while above zero); undefined until the clock is known.
 */
function useSecondsUntil(instantIso: string, clock: ServerNow): number | undefined {
  const [, setTick] = useState(0);
  const now = clock.synced ? clock.now() : undefined;
  const seconds = now === undefined ? undefined : Math.max(0, Math.ceil((Date.parse(instantIso) - now) / 1000));
  const counting = seconds !== undefined && seconds > 0;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setTick((n) => n + 1), 250);
    return () => clearInterval(timer);
  }, [counting]);
  return seconds;
}

/** Claim, then the claim's final result live (couponClaimResult), in a polite live region. */
function ClaimButton({ coupon, onAnswered, clock }: CouponProps) {
  const opensIn = useSecondsUntil(coupon.issueStartAt, clock);
  const user = useUser();
  const location = useLocation();
  const client = useClient();
  const [, claim] = useMutation(ClaimCouponMutation);
  const [state, setState] = useState<ClaimState>({ kind: 'idle' });
  const [waitUntil, setWaitUntil] = useState<number>();
  const [, setTick] = useState(0);

  // After ACCEPTED: the issue is written moments later; the subscription says when.
  const claimId = state.kind === 'accepted' ? state.claimId : undefined;
  useEffect(() => {
    if (!claimId) return;
    const subscription = client.subscription(ClaimResultSubscription, { claimId }).subscribe((result) => {
      const update = result.data?.couponClaimResult;
      if (update?.status === 'ISSUED') setState({ kind: 'issued', expiresAt: update.issue.expiresAt });
      else if (result.error)
        setState({ kind: 'refused', outcome: 'ERROR', message: explain(result.error)?.message ?? '' });
    });
    return () => subscription.unsubscribe();
  }, [client, claimId]);

  // A RATE_LIMITED answer: the button comes back after the wait (elapsed time only, never the clock's hour).
  useEffect(() => {
    if (waitUntil === undefined) return;
    const timer = setInterval(() => {
      if (performance.now() >= waitUntil) {
        setWaitUntil(undefined);
        setState({ kind: 'idle' });
      } else setTick((n) => n + 1);
    }, 250);
    return () => clearInterval(timer);
  }, [waitUntil]);

  if (!user) {
    return (
      <Link className="button" to={`/login?next=${encodeURIComponent(location.pathname)}`}>
        Log in to claim<span className="visually-hidden"> {coupon.title}</span>
      </Link>
    );
  }

  const submit = async () => {
    setState({ kind: 'claiming' });
    const answer = await claim({ couponId: coupon.id });
    const result = answer.data?.claimCoupon;
    if (!result) {
      setState({ kind: 'refused', outcome: 'ERROR', message: explain(answer.error)?.message ?? '' });
      const seconds = explain(answer.error)?.retryAfterSeconds;
      if (seconds) setWaitUntil(performance.now() + seconds * 1000);
      return;
    }
    if (result.outcome !== 'RATE_LIMITED') onAnswered();
    if (result.outcome === 'ACCEPTED' && result.claimId) setState({ kind: 'accepted', claimId: result.claimId });
    else if (result.outcome === 'RATE_LIMITED') {
      const ms = result.retryAfterMs ?? 1000;
      setWaitUntil(performance.now() + ms);
      setState({
        kind: 'refused',
        outcome: 'RATE_LIMITED',
        message: `Too many tries. Try again in ${Math.ceil(ms / 1000)} s.`,
      });
    } else if (result.outcome !== 'ACCEPTED') {
      setState({ kind: 'refused', outcome: result.outcome, message: outcomeText[result.outcome] });
    }
  };

  if (opensIn !== undefined && opensIn > 0 && state.kind === 'idle') {
    return (
      <div className="claim">
        <button type="button" className="primary" disabled>
          Opens in {formatDuration(opensIn)}
          <span className="visually-hidden"> {coupon.title}</span>
        </button>
      </div>
    );
  }
  const soldOut = coupon.totalQuantity != null && coupon.remainingQuantity === 0 && state.kind === 'idle';
  if (soldOut) {
    return (
      <div className="claim">
        <button type="button" className="primary" disabled>
          Sold out<span className="visually-hidden"> {coupon.title}</span>
        </button>
      </div>
    );
  }
  const waitSeconds = waitUntil === undefined ? 0 : Math.max(1, Math.ceil((waitUntil - performance.now()) / 1000));
  const done =
    state.kind === 'accepted' ||
    state.kind === 'issued' ||
    (state.kind === 'refused' && state.outcome === 'ALREADY_CLAIMED');
  const message = ((): string => {
    switch (state.kind) {
      case 'accepted':
        return 'Claimed! Adding it to your coupons…';
      case 'issued':
        return `It's yours: in My coupons, usable until ${formatDateTime(state.expiresAt)}.`;
      case 'refused':
        return state.message;
      default:
        return '';
    }
  })();
  return (
    <div className="claim">
      <button
        type="button"
        className="primary"
        disabled={state.kind === 'claiming' || done || waitUntil !== undefined}
        onClick={() => void submit()}
      >
        {state.kind === 'claiming'
          ? 'Claiming…'
          : done
            ? 'Claimed'
            : waitUntil !== undefined
              ? `Wait ${waitSeconds} s`
              : 'Claim'}
        <span className="visually-hidden"> {coupon.title}</span>
      </button>
      <LiveMessage
        className={`claim-result${state.kind === 'refused' ? ' error' : state.kind === 'idle' ? '' : ' success'}`}
      >
        {message}
      </LiveMessage>
    </div>
  );
}
