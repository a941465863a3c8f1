import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { session } from '../auth/session';
import { ErrorNotice, Field } from '../components/ui';
import { graphql } from '../generated/graphql';
import { explain, formError, problemFor } from '../lib/errors';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...IssuedTokens
    }
  }
`);

export function SignUpPage() {
  const navigate = useNavigate();
  const [result, signUp] = useMutation(SignUpMutation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<'KO' | 'EN'>('EN');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await signUp({ input: { name, email, password, locale } });
    if (answer.data) {
      session.start(answer.data.signUp);
      void navigate('/', { replace: true });
    }
  };
  const error = explain(result.error);
  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create an account</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Name"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={problemFor(error, 'name')}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problemFor(error, 'email')}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters, with a letter and a digit."
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problemFor(error, 'password')}
        />
        <div className="field">
          <label htmlFor="signup-locale">Language of our emails</label>
          <select id="signup-locale" value={locale} onChange={(event) => setLocale(event.target.value as 'KO' | 'EN')}>
            <option value="EN">English</option>
            <option value="KO">한국어 (Korean)</option>
          </select>
        </div>
        <ErrorNotice error={formError(error, ['name', 'email', 'password'])} />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Creating your account…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
