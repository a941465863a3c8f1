import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { ErrorNotice, Field, LiveMessage } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain } from '../lib/errors';

const RequestResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export function ForgotPasswordPage() {
  const [result, request] = useMutation(RequestResetMutation);
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await request({ email });
    if (answer.data?.requestPasswordReset) setSentTo(email);
  };
  return (
    <section className="narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      <p>Enter your account's email: we will send you a link to choose a new password (valid for 30 minutes).</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <ErrorNotice error={explain(result.error)} />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Sending…' : 'Send me a link'}
        </button>
      </form>
      <LiveMessage className="success">
        {sentTo && `If ${sentTo} has an account, a link is on its way. Check your inbox.`}
      </LiveMessage>
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </section>
  );
}
