import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { nextPath } from '../auth/next-path';
import { session } from '../auth/session';
import { useSession } from '../auth/use-session';
import { ErrorNotice, Field } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain } from '../lib/errors';

const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      ...IssuedTokens
    }
  }
`);

export function LoginPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const state = useSession();
  const [result, logIn] = useMutation(LogInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = nextPath(search);
  if (state.status === 'signedIn' && !result.fetching) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await logIn({ input: { email, password } });
    if (answer.data) {
      session.start(answer.data.logIn);
      void navigate(next, { replace: true });
    }
  };
  const error = explain(result.error);
  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <ErrorNotice
          error={
            error?.code === 'UNAUTHENTICATED' || error?.code === 'BAD_USER_INPUT'
              ? 'That email and password do not match an account.'
              : error
          }
        />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
