import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import type { AdminSellerApplicationsQuery as ApplicationsResult } from '../../generated/graphql/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';

const AdminSellerApplicationsQuery = graphql(`
  query AdminSellerApplications($after: String) {
    sellerApplications(status: PENDING, first: 20, after: $after) {
      edges {
        node {
          id
          businessName
          businessRegistrationNumber
          contact {
            name
            phone
            email
          }
          applicant {
            id
            name
            email
          }
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const ApproveMutation = graphql(`
  mutation ApproveSellerApplication($id: ID!) {
    approveSellerApplication(id: $id) {
      id
      status
    }
  }
`);

const RejectMutation = graphql(`
  mutation RejectSellerApplication($id: ID!, $reason: String!) {
    rejectSellerApplication(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

type Application = ApplicationsResult['sellerApplications']['edges'][number]['node'];

export function AdminSellerApplicationsPage() {
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  const decided = (message: string) => {
    setNotice(message);
    pages.reset();
    setVersion((n) => n + 1);
  };
  return (
    <section aria-labelledby="applications-title">
      <h2 id="applications-title">Seller applications waiting</h2>
      <LiveMessage className="success">{notice}</LiveMessage>
      <PagedList
        pages={pages}
        version={version}
        renderPage={(slot) => <ApplicationsPage {...slot} onDecided={decided} />}
      />
    </section>
  );
}

function ApplicationsPage(props: {
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
  readonly onDecided: (message: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: AdminSellerApplicationsQuery,
    variables: { after: props.after },
    requestPolicy: 'network-only',
  });
  const applications = data?.sellerApplications.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {applications.map((application) => (
        <ApplicationCard key={application.id} application={application} onDecided={props.onDecided} />
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <p role="status">Loading applications…</p>}
          <ErrorNotice error={explain(error)} />
          {data && applications.length === 0 && props.after === null && <p>No application is waiting.</p>}
          <MoreButton pageInfo={data?.sellerApplications.pageInfo} isLast what="applications" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}

function ApplicationCard({
  application,
  onDecided,
}: {
  readonly application: Application;
  readonly onDecided: (message: string) => void;
}) {
  const [approved, approve] = useMutation(ApproveMutation);
  const [rejected, reject] = useMutation(RejectMutation);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const name = application.businessName;
  const titleId = `application-${application.id}`;
  const submitReject = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await reject({ id: application.id, reason });
    if (answer.data) onDecided(`${name} rejected.`);
  };
  const rejectProblem = explain(rejected.error);
  return (
    <li className="card" aria-labelledby={titleId}>
      <h3 id={titleId}>{name}</h3>
      <p>Registration number {application.businessRegistrationNumber}</p>
      {application.applicant && (
        <p>
          Applicant: {application.applicant.name} ({application.applicant.email})
        </p>
      )}
      {application.contact && (
        <p>
          Contact: {application.contact.name}, {application.contact.phone}, {application.contact.email}
        </p>
      )}
      <p className="muted">Sent {formatDateTime(application.createdAt)}</p>
      <ErrorNotice error={explain(approved.error)} />
      {rejecting ? (
        <form onSubmit={(event) => void submitReject(event)} noValidate aria-label={`Reject ${name}`}>
          <Field
            label="Reason the applicant reads"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            error={problemFor(rejectProblem, 'reason')}
          />
          <ErrorNotice error={formError(rejectProblem, ['reason'])} />
          <div className="actions">
            <button type="submit" className="danger" disabled={rejected.fetching}>
              Reject<span className="visually-hidden"> {name}</span>
            </button>
            <button type="button" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={approved.fetching}
            onClick={async () => {
              const answer = await approve({ id: application.id });
              if (answer.data) onDecided(`${name} approved: the applicant is now a seller.`);
            }}
          >
            Approve<span className="visually-hidden"> {name}</span>
          </button>
          <button type="button" className="danger" onClick={() => setRejecting(true)}>
            Reject…<span className="visually-hidden"> {name}</span>
          </button>
        </div>
      )}
    </li>
  );
}
