import { type FormEvent, useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { session } from '../../auth/session';
import { ErrorNotice, Field, LiveMessage, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import type { Locale } from '../../generated/graphql/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime, formatPoints } from '../../lib/format';

const ProfileQuery = graphql(`
  query Profile {
    me {
      id
      email
      name
      phone
      locale
      role
      createdAt
      points {
        balance
      }
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
      name
      phone
      locale
    }
  }
`);

export function ProfilePage() {
  const [{ data, fetching, error }] = useQuery({ query: ProfileQuery });
  const [result, update] = useMutation(UpdateProfileMutation);
  const me = data?.me;
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [locale, setLocale] = useState<Locale>('KO');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!me) return;
    setName(me.name);
    setPhone(me.phone ?? '');
    setLocale(me.locale ?? 'KO');
  }, [me]);

  if (fetching && !data) return <Loading what="your profile" />;
  if (!me) return <ErrorNotice error={explain(error) ?? 'Please log in again.'} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const answer = await update({ input: { name, phone: phone.trim() === '' ? null : phone, locale } });
    if (answer.data) {
      setSaved(true);
      // As stored (the phone normalized to 010-1234-5678).
      setName(answer.data.updateProfile.name);
      setPhone(answer.data.updateProfile.phone ?? '');
      session.updateUser({ name: answer.data.updateProfile.name });
    }
  };
  const problem = explain(result.error);
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Member since</dt>
        <dd>{formatDateTime(me.createdAt)}</dd>
        <dt>Reward points</dt>
        <dd>{formatPoints(me.points?.balance ?? 0)}</dd>
      </dl>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problemFor(problem, 'name')}
        />
        <Field
          label="Mobile phone"
          type="tel"
          autoComplete="tel"
          hint="e.g. 010-1234-5678; leave empty to remove it."
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={problemFor(problem, 'phone')}
        />
        <div className="field">
          <label htmlFor="profile-locale">Language of our emails</label>
          <select id="profile-locale" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="EN">English</option>
            <option value="KO">한국어 (Korean)</option>
          </select>
        </div>
        <ErrorNotice error={formError(problem, ['name', 'phone'])} />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Saving…' : 'Save'}
        </button>
        <LiveMessage className="success">{saved && 'Your profile is saved.'}</LiveMessage>
      </form>
    </section>
  );
}
