import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { startTestSubgraph, type TestSubgraph } from '@radiata/testing';
import { MAX_ADDRESSES } from '../src/domain/address-book.js';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;
let users: TestSubgraph<Running>;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph, { env: { DATABASE_POOL_SIZE: '20' } });
});
afterAll(() => users.stop());

const book = () => users.subgraph.services.addresses;

let counter = 0;
async function customer(): Promise<Viewer> {
  const user = await users.subgraph.services.accounts.signUp({
    email: `book.${process.pid}.${counter++}@example.com`,
    password: 'password 123',
    name: 'Kim Minji',
  });
  return { id: user.id, role: 'CUSTOMER' };
}

const HOME = {
  label: 'Home',
  recipient: 'Kim Minji',
  phone: '01012345678',
  zipCode: '06236',
  roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
  detailAddress: '12F',
};

interface AddressView {
  id: string;
  label: string | null;
  recipient: string;
  phone: string;
  zipCode: string;
  roadAddress: string;
  detailAddress: string;
  isDefault: boolean;
}
const FIELDS = 'id label recipient phone zipCode roadAddress detailAddress isDefault';

const codeOf = (result: { errors?: readonly { extensions?: { code?: string } }[] }) =>
  result.errors?.[0]?.extensions?.code;

const add = (viewer: Viewer | null, input: Record<string, unknown>) =>
  users.client.call<{ addAddress: AddressView }>(
    viewer,
    `mutation($input: AddAddressInput!) { addAddress(input: $input) { ${FIELDS} } }`,
    { input },
  );
async function added(viewer: Viewer, input: Record<string, unknown> = HOME): Promise<AddressView> {
  const result = await add(viewer, input);
  expect(result.errors).toBeUndefined();
  return result.data?.addAddress as AddressView;
}
const update = (viewer: Viewer | null, id: string, input: Record<string, unknown>) =>
  users.client.call<{ updateAddress: AddressView }>(
    viewer,
    `mutation($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) { ${FIELDS} } }`,
    { id, input },
  );
const remove = (viewer: Viewer | null, id: string) =>
  users.client.call<{ removeAddress: boolean }>(viewer, 'mutation($id: ID!) { removeAddress(id: $id) }', { id });
const setDefault = (viewer: Viewer | null, id: string) =>
  users.client.call<{ setDefaultAddress: AddressView }>(
    viewer,
    `mutation($id: ID!) { setDefaultAddress(id: $id) { ${FIELDS} } }`,
    { id },
  );
async function bookOf(viewer: Viewer): Promise<{ addresses: AddressView[]; defaultAddress: AddressView | null }> {
  const result = await users.client.call<{
    me: { addresses: AddressView[]; defaultAddress: AddressView | null };
  }>(viewer, `{ me { addresses { ${FIELDS} } defaultAddress { ${FIELDS} } } }`);
  expect(result.errors).toBeUndefined();
  return result.data?.me as { addresses: AddressView[]; defaultAddress: AddressView | null };
}

interface OutboxRow {
  routing_key: string;
  payload: Record<string, unknown>;
}
const eventsOf = (userId: string) =>
  users.sql<OutboxRow>(
    `SELECT routing_key, payload FROM outbox_messages
     WHERE exchange = 'radiata.users' AND routing_key LIKE 'users.address.%' AND payload->>'userId' = $1
     ORDER BY id`,
    userId,
  );

const countOf = async (userId: string) => {
  const [row] = await users.sql<{ all: number; defaults: number }>(
    'SELECT count(*)::int AS all, count(*) FILTER (WHERE is_default)::int AS defaults FROM user_addresses WHERE user_id = $1',
    userId,
  );
  return row;
};

describe('adding, reading and changing addresses', () => {
  it('makes the first address the default, stores the phone normalised, lists the default first then the newest', async () => {
    const me = await customer();
    const home = await added(me);
    expect(home).toEqual({ ...HOME, id: expect.any(String), phone: '010-1234-5678', isDefault: true });
    const office = await added(me, { ...HOME, label: 'Office', phone: '010 5555 6666', detailAddress: null });
    expect(office).toMatchObject({ label: 'Office', phone: '010-5555-6666', detailAddress: '', isDefault: false });
    const parents = await added(me, { ...HOME, label: '  ', recipient: 'Kim Parent' });
    expect(parents.label).toBeNull();

    const listed = await bookOf(me);
    expect(listed.addresses.map((address) => address.id)).toEqual([home.id, parents.id, office.id]);
    expect(listed.defaultAddress?.id).toBe(home.id);

    const edited = await update(me, office.id, { recipient: ' Lee Minji ', zipCode: null, label: null });
    expect(edited.errors).toBeUndefined();
    expect(edited.data?.updateAddress).toEqual({
      ...office,
      recipient: 'Lee Minji',
      label: null,
    });
  });

  it('adds a new default when asked, and moves the default with setDefaultAddress (one default only)', async () => {
    const me = await customer();
    const first = await added(me);
    const second = await added(me, { ...HOME, isDefault: true });
    expect(second.isDefault).toBe(true);
    let listed = await bookOf(me);
    expect(listed.addresses.map((address) => [address.id, address.isDefault])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    const moved = await setDefault(me, first.id);
    expect(moved.data?.setDefaultAddress).toMatchObject({ id: first.id, isDefault: true });
    const again = await setDefault(me, first.id);
    expect(again.data?.setDefaultAddress).toMatchObject({ id: first.id, isDefault: true });
    listed = await bookOf(me);
    expect(listed.defaultAddress?.id).toBe(first.id);
    expect(listed.addresses.filter((address) => address.isDefault)).toHaveLength(1);
  });

  it('promotes the most recently added other address when the default is removed, and none when the last goes', async () => {
    const me = await customer();
    const first = await added(me);
    const second = await added(me, { ...HOME, label: 'Second' });
    const third = await added(me, { ...HOME, label: 'Third' });
    await setDefault(me, second.id);
    expect((await remove(me, second.id)).data?.removeAddress).toBe(true);
    let listed = await bookOf(me);
    expect(listed.defaultAddress?.id).toBe(third.id);
    expect(listed.addresses.map((address) => [address.id, address.isDefault])).toEqual([
      [third.id, true],
      [first.id, false],
    ]);
    await remove(me, first.id);
    expect((await bookOf(me)).defaultAddress?.id).toBe(third.id);
    await remove(me, third.id);
    listed = await bookOf(me);
    expect(listed).toEqual({ addresses: [], defaultAddress: null });
    expect(codeOf(await remove(me, third.id))).toBe('NOT_FOUND');
  });

  it('refuses invalid fields with BAD_USER_INPUT naming each field, and writes nothing', async () => {
    const me = await customer();
    const refused = await add(me, {
      label: 'x'.repeat(21),
      recipient: ' ',
      phone: '02-1234-5678',
      zipCode: '1234',
      roadAddress: 'r'.repeat(201),
      detailAddress: 'd'.repeat(201),
    });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.label', message: 'must be at most 20 characters' },
      { field: 'input.recipient', message: 'must not be empty' },
      { field: 'input.phone', message: 'must be a Korean mobile number like 010-1234-5678' },
      { field: 'input.zipCode', message: 'must be a 5-digit postal code' },
      { field: 'input.roadAddress', message: 'must be at most 200 characters' },
      { field: 'input.detailAddress', message: 'must be at most 200 characters' },
    ]);
    expect(codeOf(await add(me, { ...HOME, recipient: 'r'.repeat(51) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await add(me, { ...HOME, zipCode: '062361' }))).toBe('BAD_USER_INPUT');
    expect((await bookOf(me)).addresses).toEqual([]);

    const home = await added(me);
    const badEdit = await update(me, home.id, { phone: '010-1234', recipient: '' });
    expect(badEdit.errors?.[0]?.extensions?.problems?.map((problem) => problem.field)).toEqual([
      'input.recipient',
      'input.phone',
    ]);
    expect((await bookOf(me)).addresses).toEqual([{ ...home }]);
    expect(await eventsOf(me.id)).toHaveLength(1);
  });

  it('is UNAUTHENTICATED when anonymous', async () => {
    expect(codeOf(await add(null, HOME))).toBe('UNAUTHENTICATED');
    expect(codeOf(await remove(null, newId()))).toBe('UNAUTHENTICATED');
  });
});

describe('ownership', () => {
  it("answers NOT_FOUND for another user's address (admins included) and leaves it alone", async () => {
    const owner = await customer();
    const other = await customer();
    const admin: Viewer = { id: newId(), role: 'ADMIN' };
    const home = await added(owner);
    for (const viewer of [other, admin]) {
      const edited = await update(viewer, home.id, { recipient: 'Thief' });
      expect(codeOf(edited)).toBe('NOT_FOUND');
      expect(edited.errors?.[0]?.message).toBe('Address not found');
      expect(codeOf(await remove(viewer, home.id))).toBe('NOT_FOUND');
      expect(codeOf(await setDefault(viewer, home.id))).toBe('NOT_FOUND');
    }
    expect(codeOf(await update(owner, 'not-an-id', { recipient: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(await remove(owner, newId()))).toBe('NOT_FOUND');
    expect((await bookOf(owner)).addresses).toEqual([home]);
  });

  it('shows an address book to its owner and admins only', async () => {
    const owner = await customer();
    const home = await added(owner);
    const query = `{ _entities(representations: [{ __typename: "User", id: "${owner.id}" }]) { ... on User { addresses { id } defaultAddress { id } } } }`;
    const asAdmin = await users.client.call<{ _entities: unknown[] }>({ id: newId(), role: 'ADMIN' }, query);
    expect(asAdmin.data?._entities).toEqual([{ addresses: [{ id: home.id }], defaultAddress: { id: home.id } }]);
    const asOther = await users.client.call<{ _entities: unknown[] }>({ id: newId(), role: 'CUSTOMER' }, query);
    expect(asOther.data?._entities).toEqual([{ addresses: null, defaultAddress: null }]);
  });
});

describe('the limit of 10', () => {
  it('refuses the 11th address with CONFLICT', async () => {
    const me = await customer();
    for (let i = 0; i < MAX_ADDRESSES; i++) await added(me, { ...HOME, label: `No ${i}` });
    const eleventh = await add(me, HOME);
    expect(codeOf(eleventh)).toBe('CONFLICT');
    expect(eleventh.errors?.[0]?.message).toBe('You can keep at most 10 addresses: remove one first');
  });

  it('holds under concurrency: two adds at 9 make 10, never 11; a burst from 0 makes exactly 10 with one default', async () => {
    const me = await customer();
    for (let i = 0; i < MAX_ADDRESSES - 1; i++) await book().add(me, { ...HOME, label: `No ${i}` });
    const pair = await Promise.allSettled([book().add(me, HOME), book().add(me, HOME)]);
    expect(pair.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = pair.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await countOf(me.id)).toEqual({ all: MAX_ADDRESSES, defaults: 1 });

    const burst = await customer();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => book().add(burst, { ...HOME, label: `Burst ${i}` })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_ADDRESSES);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ extensions: { code: 'CONFLICT' } });
    }
    expect(await countOf(burst.id)).toEqual({ all: MAX_ADDRESSES, defaults: 1 });
    expect(await eventsOf(burst.id)).toHaveLength(MAX_ADDRESSES);
  });

  it('keeps one default in the database itself', async () => {
    const me = await customer();
    const home = await book().add(me, HOME);
    await book().add(me, HOME);
    await expect(
      users.sql('UPDATE user_addresses SET is_default = true WHERE user_id = $1 AND id <> $2', me.id, home.id),
    ).rejects.toThrow(/user_addresses_one_default/);
  });
});

describe('events (outbox)', () => {
  it('records users.address.saved with the whole address and a growing version, and .removed one version above', async () => {
    const me = await customer();
    const home = await added(me);
    const office = await added(me, { ...HOME, label: 'Office', isDefault: true });
    await update(me, home.id, { detailAddress: '13F' });
    await remove(me, office.id);

    const events = await eventsOf(me.id);
    const common = { userId: me.id, occurredAt: expect.any(String) };
    const address = {
      recipient: 'Kim Minji',
      phone: '010-1234-5678',
      zipCode: '06236',
      roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
    };
    expect(events).toEqual([
      {
        routing_key: 'users.address.saved',
        payload: {
          ...common,
          ...address,
          addressId: home.id,
          label: 'Home',
          detailAddress: '12F',
          isDefault: true,
          version: 1,
        },
      },
      {
        routing_key: 'users.address.saved',
        payload: {
          ...common,
          ...address,
          addressId: home.id,
          label: 'Home',
          detailAddress: '12F',
          isDefault: false,
          version: 2,
        },
      },
      {
        routing_key: 'users.address.saved',
        payload: {
          ...common,
          ...address,
          addressId: office.id,
          label: 'Office',
          detailAddress: '12F',
          isDefault: true,
          version: 1,
        },
      },
      {
        routing_key: 'users.address.saved',
        payload: {
          ...common,
          ...address,
          addressId: home.id,
          label: 'Home',
          detailAddress: '13F',
          isDefault: false,
          version: 3,
        },
      },
      { routing_key: 'users.address.removed', payload: { ...common, addressId: office.id, version: 2 } },
      {
        routing_key: 'users.address.saved',
        payload: {
          ...common,
          ...address,
          addressId: home.id,
          label: 'Home',
          detailAddress: '13F',
          isDefault: true,
          version: 4,
        },
      },
    ]);
  });

  it('records nothing for a refused change', async () => {
    const me = await customer();
    const other = await customer();
    const home = await added(me);
    await update(other, home.id, { recipient: 'Thief' });
    await setDefault(me, home.id);
    expect(await eventsOf(me.id)).toHaveLength(1);
  });
});
