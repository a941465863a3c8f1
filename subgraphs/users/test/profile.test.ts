import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { startTestSubgraph, type TestSubgraph } from '@radiata/testing';
import { normalizeKoreanMobile } from '../src/domain/phone.js';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;
let users: TestSubgraph<Running>;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph);
});
afterAll(() => users.stop());

let counter = 0;
async function customer(locale?: 'KO' | 'EN'): Promise<Viewer> {
  const signedUp = await users.client.call<{ signUp: { user: { id: string; locale: string } } }>(
    null,
    'mutation($input: SignUpInput!) { signUp(input: $input) { user { id locale } } }',
    {
      input: {
        email: `profile.${process.pid}.${counter++}@example.com`,
        password: 'password 123',
        name: 'Kim Minji',
        ...(locale ? { locale } : {}),
      },
    },
  );
  expect(signedUp.errors).toBeUndefined();
  expect(signedUp.data?.signUp.user.locale).toBe(locale ?? 'KO');
  return { id: signedUp.data?.signUp.user.id as string, role: 'CUSTOMER' };
}

const UPDATE = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id name phone locale } }';
const update = (viewer: Viewer | null, input: Record<string, unknown>) =>
  users.client.call<{ updateProfile: { id: string; name: string; phone: string | null; locale: string } }>(
    viewer,
    UPDATE,
    { input },
  );
const rowOf = async (id: string) =>
  (
    await users.sql<{ name: string; phone: string | null; locale: string }>(
      'SELECT name, phone, locale FROM users WHERE id = $1',
      id,
    )
  )[0];

describe('Korean mobile numbers', () => {
  it.each([
    ['01012345678', '010-1234-5678'],
    ['010-1234-5678', '010-1234-5678'],
    ['010 1234 5678', '010-1234-5678'],
    [' 011-123-4567 ', '011-123-4567'],
    ['0161234567', '016-123-4567'],
    ['019 9876 5432', '019-9876-5432'],
  ])('reads %p as %p', (typed, stored) => {
    expect(normalizeKoreanMobile(typed)).toBe(stored);
  });

  it.each(['02-1234-5678', '031-123-4567', '012-1234-5678', '010-12-5678', '010123456789', '1588-1234', 'call me', ''])(
    'refuses %p',
    (typed) => {
      expect(normalizeKoreanMobile(typed)).toBeNull();
    },
  );
});

describe('updateProfile', () => {
  it('changes only the fields given, stores the phone normalised and clears it with null', async () => {
    const me = await customer();
    const named = await update(me, { name: '  Lee Minji ' });
    expect(named.errors).toBeUndefined();
    expect(named.data?.updateProfile).toEqual({ id: me.id, name: 'Lee Minji', phone: null, locale: 'KO' });

    const phoned = await update(me, { phone: '010 9876 5432', locale: 'EN' });
    expect(phoned.data?.updateProfile).toEqual({ id: me.id, name: 'Lee Minji', phone: '010-9876-5432', locale: 'EN' });
    expect(await rowOf(me.id)).toEqual({ name: 'Lee Minji', phone: '010-9876-5432', locale: 'en' });

    const unchanged = await update(me, {});
    expect(unchanged.data?.updateProfile).toEqual(phoned.data?.updateProfile);

    const cleared = await update(me, { phone: null, name: null, locale: null });
    expect(cleared.data?.updateProfile).toEqual({ id: me.id, name: 'Lee Minji', phone: null, locale: 'EN' });
    expect(await rowOf(me.id)).toEqual({ name: 'Lee Minji', phone: null, locale: 'en' });
  });

  it('refuses invalid fields with BAD_USER_INPUT naming each, and changes nothing', async () => {
    const me = await customer();
    await update(me, { phone: '01012345678' });
    const refused = await update(me, { name: '   ', phone: '02-123-4567' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toContain('must be a Korean mobile number like 010-1234-5678');
    expect(refused.errors?.[0]?.extensions?.problems?.map((problem) => problem.field).sort()).toEqual([
      'input.name',
      'input.phone',
    ]);
    const tooLong = await update(me, { name: 'x'.repeat(101) });
    expect(tooLong.errors?.[0]?.extensions?.problems?.[0]).toEqual({
      field: 'input.name',
      message: 'must be at most 100 characters',
    });
    const badLocale = await update(me, { locale: 'FR' });
    expect(badLocale.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowOf(me.id)).toEqual({ name: 'Kim Minji', phone: '010-1234-5678', locale: 'ko' });
  });

  it('is UNAUTHENTICATED when anonymous', async () => {
    const anonymous = await update(null, { name: 'Nobody' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('signs up in English when asked, and refuses an unknown locale', async () => {
    const english = await customer('EN');
    expect((await rowOf(english.id))?.locale).toBe('en');
    const refused = await users.client.call(
      null,
      'mutation { signUp(input: { email: "fr@example.com", password: "password 123", name: "F", locale: FR }) { accessToken } }',
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('who sees phone and locale', () => {
  it('shows them to the user themself and to admins only, sellers included', async () => {
    const owner = await customer();
    await update(owner, { phone: '010-2222-3333' });
    await users.sql("UPDATE users SET role = 'SELLER' WHERE id = $1", owner.id);
    const query = `{ _entities(representations: [{ __typename: "User", id: "${owner.id}" }]) { ... on User { phone locale } } }`;
    const asSelf = await users.client.call<{ _entities: unknown[] }>({ id: owner.id, role: 'SELLER' }, query);
    expect(asSelf.data?._entities).toEqual([{ phone: '010-2222-3333', locale: 'KO' }]);
    const asAdmin = await users.client.call<{ _entities: unknown[] }>({ id: newId(), role: 'ADMIN' }, query);
    expect(asAdmin.data?._entities).toEqual([{ phone: '010-2222-3333', locale: 'KO' }]);
    const asOther = await users.client.call<{ _entities: unknown[] }>({ id: newId(), role: 'CUSTOMER' }, query);
    expect(asOther.data?._entities).toEqual([{ phone: null, locale: null }]);
    const anonymous = await users.client.call<{ _entities: unknown[] }>(null, query);
    expect(anonymous.data?._entities).toEqual([{ phone: null, locale: null }]);
  });
});
