import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { NewPasswordFields, useNewPassword } from '../../components/NewPassword';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain, formError, problemFor } from '../../lib/errors';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export function PasswordPage() {
  const [result, change] = useMutation(ChangePasswordMutation);
  const [current, setCurrent] = useState('');
  const password = useNewPassword();
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (!password.matches()) return;
    const answer = await change({ currentPassword: current, newPassword: password.value });
    if (answer.data?.changePassword) {
      setDone(true);
      setCurrent('');
      password.clear();
    }
  };
  const error = explain(result.error);
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      <p>Your other sessions (other browsers and devices) will be logged out; this one stays.</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={error?.code === 'FORBIDDEN' ? error.message : problemFor(error, 'currentPassword')}
        />
        <NewPasswordFields
          password={password}
          hint="At least 8 characters, with a letter and a digit, different from the current one."
          error={problemFor(error, 'newPassword')}
        />
        <ErrorNotice
          error={error?.code === 'FORBIDDEN' ? undefined : formError(error, ['currentPassword', 'newPassword'])}
        />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Saving…' : 'Change password'}
        </button>
        <LiveMessage className="success">
          {done && 'Your password has been changed. Your other sessions were logged out.'}
        </LiveMessage>
      </form>
    </section>
  );
}
