import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { NewPasswordFields, useNewPassword } from '../components/NewPassword';
import { ErrorNotice, LiveMessage } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain, formError, problemFor } from '../lib/errors';

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword)
  }
`);

/** The page the password reset email links to: /reset-password?token=… */
export function ResetPasswordPage() {
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const [result, reset] = useMutation(ResetPasswordMutation);
  const password = useNewPassword();
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password.matches()) return;
    const answer = await reset({ token, newPassword: password.value });
    if (answer.data?.resetPassword) setDone(true);
  };
  const error = explain(result.error);
  if (!token) {
    return (
      <section className="narrow">
        <h1>Choose a new password</h1>
        <p className="error" role="alert">
          This link is incomplete. Open the link from the email again, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {done ? null : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <NewPasswordFields
            password={password}
            hint="At least 8 characters, with a letter and a digit."
            error={problemFor(error, 'newPassword')}
          />
          <ErrorNotice error={formError(error, ['newPassword'])} />
          <button type="submit" className="primary" disabled={result.fetching}>
            {result.fetching ? 'Saving…' : 'Save the new password'}
          </button>
          {error?.problems.some((problem) => problem.field === 'token') && (
            <p>
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          )}
        </form>
      )}
      <LiveMessage className="success">
        {done && (
          <>
            Your password has been changed and every session was ended. <Link to="/login">Log in</Link> with the new
            password.
          </>
        )}
      </LiveMessage>
    </section>
  );
}
