import { useState } from 'react';
import { Field } from './ui';

/**
 * A new password typed twice (password reset and change). `matches()` is the submit's check: it
 * shows the mismatch under the second field and says whether to go on.
 */
export function useNewPassword() {
  const [value, setValue] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    value,
    again,
    mismatch,
    setValue,
    setAgain,
    matches(): boolean {
      setMismatch(value !== again);
      return value === again;
    },
    clear(): void {
      setValue('');
      setAgain('');
    },
  };
}

export function NewPasswordFields({
  password,
  hint,
  error,
}: {
  readonly password: ReturnType<typeof useNewPassword>;
  readonly hint: string;
  /** The API's problem with `newPassword`, if any. */
  readonly error: string | undefined;
}) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint={hint}
        value={password.value}
        onChange={(event) => password.setValue(event.target.value)}
        error={error}
      />
      <Field
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        value={password.again}
        onChange={(event) => password.setAgain(event.target.value)}
        error={password.mismatch ? 'The two passwords are not the same.' : undefined}
      />
    </>
  );
}
