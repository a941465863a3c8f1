import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { ErrorNotice, Field, LiveMessage, Loading } from '../../components/ui';
import { providerCheckoutUrl } from '../../config';
import { graphql } from '../../generated/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime, formatWon, humanize } from '../../lib/format';

const WalletQuery = graphql(`
  query MyWallet {
    me {
      id
      wallet {
        balance
        lockedUntil
        pinAttemptsLeft
        createdAt
      }
    }
  }
`);

const WalletEntriesQuery = graphql(`
  query MyWalletEntries($after: String) {
    me {
      id
      wallet {
        entries(first: 20, after: $after) {
          edges {
            node {
              id
              type
              amount
              balanceAfter
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

const CreateWalletMutation = graphql(`
  mutation CreateWallet($input: CreateWalletInput!) {
    createWallet(input: $input) {
      balance
    }
  }
`);

const TopUpWalletMutation = graphql(`
  mutation TopUpWallet($input: TopUpWalletInput!) {
    topUpWallet(input: $input) {
      id
      status
      amount
      failureCode
    }
  }
`);

export function WalletPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: WalletQuery });
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const reload = () => {
    refetch({ requestPolicy: 'network-only' });
    pages.reset();
    setVersion((n) => n + 1);
  };

  if (fetching && !data) return <Loading what="your wallet" />;
  if (!data?.me) return <ErrorNotice error={explain(error) ?? 'Please log in again.'} />;
  const wallet = data.me.wallet;
  return (
    <section aria-labelledby="wallet-title">
      <h2 id="wallet-title">Radiata Pay wallet</h2>
      <ErrorNotice error={explain(error)} />
      {wallet ? (
        <>
          <dl className="facts">
            <dt>Balance</dt>
            <dd>{formatWon(wallet.balance)}</dd>
            <dt>Opened</dt>
            <dd>{formatDateTime(wallet.createdAt)}</dd>
          </dl>
          {wallet.lockedUntil && (
            <p className="error">
              Locked after too many wrong PINs until {formatDateTime(wallet.lockedUntil)}: no payment before then.
            </p>
          )}
          <TopUpForm onDone={reload} />
          <section aria-labelledby="wallet-history-title">
            <h3 id="wallet-history-title">History</h3>
            <PagedList pages={pages} version={version} renderPage={(slot) => <EntriesPage {...slot} />} />
          </section>
        </>
      ) : (
        <CreateWalletForm onDone={reload} />
      )}
    </section>
  );
}

const entryText: Record<string, string> = {
  TOP_UP: 'Top-up',
  CHARGE: 'Payment',
  REFUND: 'Refund',
  WITHDRAW: 'Withdrawal',
};

function EntriesPage(props: {
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({ query: WalletEntriesQuery, variables: { after: props.after } });
  const connection = data?.me?.wallet?.entries;
  const entries = connection?.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {entries.map((entry) => (
        <li key={entry.id} className="card">
          <p>
            <strong>{entryText[entry.type] ?? humanize(entry.type)}</strong> {entry.amount < 0 ? '−' : '+'}
            {formatWon(Math.abs(entry.amount))}
          </p>
          <p className="muted">
            {formatDateTime(entry.createdAt)} · balance after {formatWon(entry.balanceAfter)}
          </p>
        </li>
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <Loading what="your wallet history" />}
          <ErrorNotice error={explain(error)} />
          {connection && entries.length === 0 && props.after === null && <p>Nothing yet: top up to start.</p>}
          <MoreButton pageInfo={connection?.pageInfo} isLast what="wallet history" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}

function CreateWalletForm({ onDone }: { readonly onDone: () => void }) {
  const [result, create] = useMutation(CreateWalletMutation);
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(pin !== again);
    if (pin !== again) return;
    const answer = await create({ input: { pin } });
    if (answer.data) onDone();
  };
  const problem = explain(result.error);
  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="open-wallet-title"
      className="form-block"
    >
      <h3 id="open-wallet-title">Open your wallet</h3>
      <p>Pay in one step with Radiata Pay. Choose a 6-digit PIN: you enter it for every payment.</p>
      <Field
        label="PIN (6 digits)"
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={6}
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        error={problemFor(problem, 'pin')}
      />
      <Field
        label="PIN again"
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={6}
        value={again}
        onChange={(e) => setAgain(e.target.value)}
        error={mismatch ? 'The two PINs are not the same.' : undefined}
      />
      <ErrorNotice error={formError(problem, ['pin'])} />
      <button type="submit" className="primary" disabled={result.fetching}>
        {result.fetching ? 'Opening…' : 'Open wallet'}
      </button>
    </form>
  );
}

const topUpFailure: Record<string, string> = {
  REJECT_CARD_PAYMENT: 'The card company declined the top-up. Try another card.',
};

/** The card provider's checkout (the fake stands in for its widget in development) gives a paymentKey; topUpWallet confirms it. */
function TopUpForm({ onDone }: { readonly onDone: () => void }) {
  const [result, topUp] = useMutation(TopUpWalletMutation);
  const [amount, setAmount] = useState('');
  const [opening, setOpening] = useState(false);
  const [checkoutError, setCheckoutError] = useState<string>();
  const [outcome, setOutcome] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCheckoutError(undefined);
    setOutcome('');
    const won = Number(amount);
    if (!Number.isSafeInteger(won) || won <= 0) {
      setCheckoutError('Enter an amount in whole won, more than 0.');
      return;
    }
    setOpening(true);
    const providerOrderId = `topup-${crypto.randomUUID()}`;
    try {
      const response = await fetch(providerCheckoutUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: providerOrderId, amount: won, orderName: 'Radiata Pay top-up' }),
      });
      const checkout = (await response.json()) as { paymentKey?: string };
      if (!response.ok || !checkout.paymentKey) throw new Error('no paymentKey');
      const answer = await topUp({ input: { amount: won, paymentKey: checkout.paymentKey, providerOrderId } });
      const payment = answer.data?.topUpWallet;
      if (!payment) return;
      if (payment.status === 'APPROVED') {
        setOutcome(`Added ${formatWon(payment.amount)} to your wallet.`);
        setAmount('');
      } else if (payment.status === 'PENDING') {
        setOutcome('Waiting for the card company to answer: the balance moves once it approves.');
      } else {
        setOutcome(topUpFailure[payment.failureCode ?? ''] ?? 'The top-up failed. Nothing was charged: try again.');
      }
      onDone();
    } catch {
      setCheckoutError('The card checkout could not be opened. Please try again.');
    } finally {
      setOpening(false);
    }
  };
  const problem = explain(result.error);
  const busy = opening || result.fetching;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="top-up-title" className="form-block">
      <h3 id="top-up-title">Top up by card</h3>
      <Field
        label="Amount (won)"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={problemFor(problem, 'amount')}
      />
      <ErrorNotice error={checkoutError ?? formError(problem, ['amount'])} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Topping up…' : 'Top up'}
      </button>
      <LiveMessage className="success">{outcome}</LiveMessage>
    </form>
  );
}
