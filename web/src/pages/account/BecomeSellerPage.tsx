import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice, Field, LiveMessage, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';

const MySellerApplicationsQuery = graphql(`
  query MySellerApplications {
    me {
      id
      role
      sellerApplications {
        id
        status
        businessName
        businessRegistrationNumber
        createdAt
        decidedAt
        rejectionReason
      }
    }
  }
`);

const ApplyAsSellerMutation = graphql(`
  mutation ApplyAsSeller($input: ApplyAsSellerInput!) {
    applyAsSeller(input: $input) {
      id
      status
    }
  }
`);

const statusText: Record<string, string> = {
  PENDING: 'Waiting for a decision',
  APPROVED: 'Approved: you are a seller',
  REJECTED: 'Rejected',
  WITHDRAWN: 'Withdrawn',
};

export function BecomeSellerPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: MySellerApplicationsQuery });
  const [notice, setNotice] = useState('');
  if (fetching && !data) return <Loading what="your applications" />;
  const me = data?.me;
  if (!me) return <ErrorNotice error={explain(error) ?? 'Please log in again.'} />;
  const applications = me.sellerApplications ?? [];
  const pending = applications.some((application) => application.status === 'PENDING');
  return (
    <section aria-labelledby="become-seller-title">
      <h2 id="become-seller-title">Become a seller</h2>
      <ErrorNotice error={explain(error)} />
      <LiveMessage className="success">{notice}</LiveMessage>
      {me.role !== 'CUSTOMER' ? (
        <p>Your account is already a {me.role === 'ADMIN' ? 'admin' : 'seller'} account.</p>
      ) : pending ? (
        <p>Your application is waiting for an admin's decision. We show it here as soon as it is taken.</p>
      ) : (
        <ApplyForm
          onDone={() => {
            setNotice('Application sent. An admin will decide on it.');
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
      {applications.length > 0 && (
        <section aria-labelledby="applications-title">
          <h3 id="applications-title">Your applications</h3>
          <ul className="card-list">
            {applications.map((application) => (
              <li key={application.id} className="card">
                <p>
                  <strong>{application.businessName}</strong> ({application.businessRegistrationNumber})
                </p>
                <p>
                  <span className="badge">{statusText[application.status] ?? application.status}</span>
                </p>
                {application.rejectionReason && <p>Reason: {application.rejectionReason}</p>}
                <p className="muted">
                  Sent {formatDateTime(application.createdAt)}
                  {application.decidedAt && ` · decided ${formatDateTime(application.decidedAt)}`}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function ApplyForm({ onDone }: { readonly onDone: () => void }) {
  const [result, apply] = useMutation(ApplyAsSellerMutation);
  const [businessName, setBusinessName] = useState('');
  const [number, setNumber] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await apply({
      input: { businessName, businessRegistrationNumber: number, contact: { name, phone, email } },
    });
    if (answer.data) onDone();
  };
  const problem = explain(result.error);
  const fields = ['businessName', 'businessRegistrationNumber', 'contact.name', 'contact.phone', 'contact.email'];
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="form-block" aria-labelledby="apply-title">
      <h3 id="apply-title">Apply</h3>
      <Field
        label="Business name"
        autoComplete="organization"
        value={businessName}
        onChange={(e) => setBusinessName(e.target.value)}
        error={problemFor(problem, 'businessName')}
      />
      <Field
        label="Business registration number"
        hint="10 digits, e.g. 124-81-00998."
        inputMode="numeric"
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        error={problemFor(problem, 'businessRegistrationNumber')}
      />
      <fieldset>
        <legend>Who to contact</legend>
        <Field
          label="Contact name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problemFor(problem, 'contact.name')}
        />
        <Field
          label="Contact phone"
          type="tel"
          autoComplete="tel"
          hint="e.g. 010-1234-5678 or 02-123-4567."
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={problemFor(problem, 'contact.phone')}
        />
        <Field
          label="Contact email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={problemFor(problem, 'contact.email')}
        />
      </fieldset>
      <ErrorNotice error={formError(problem, fields)} />
      <button type="submit" className="primary" disabled={result.fetching}>
        {result.fetching ? 'Sending…' : 'Send application'}
      </button>
    </form>
  );
}
