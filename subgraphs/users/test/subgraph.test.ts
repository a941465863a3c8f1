import { startTestSubgraph, type TestSubgraph } from '@radiata/testing';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;
let users: TestSubgraph<Running>;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph);
});
afterAll(() => users.stop());

it('signs up, answers me, refuses admin fields', async () => {
  const signUp = await users.client.call<{
    signUp: { user: { id: string; email: string; points: { balance: number } } };
  }>(
    null,
    'mutation { signUp(input: { email: "A@b.dev", password: "secret 123", name: "A" }) { accessToken user { id email role points { balance history { edges { node { id } } pageInfo { hasNextPage } } } } } }',
  );
  expect(signUp.errors).toBeUndefined();
  const id = signUp.data?.signUp.user.id as string;
  expect(signUp.data?.signUp.user).toMatchObject({ email: 'a@b.dev', points: { balance: 0 } });
  const me = await users.client.call<{ me: { id: string } }>({ id, role: 'CUSTOMER' }, '{ me { id name email } }');
  expect(me.data?.me).toEqual({ id, name: 'A', email: 'a@b.dev' });
  const list = await users.client.call({ id, role: 'CUSTOMER' }, '{ users { edges { node { id } } } }');
  expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const entities = await users.client.call<{ _entities: unknown[] }>(
    null,
    `{ _entities(representations: [{ __typename: "User", id: "${id}" }]) { ... on User { name role } } }`,
  );
  expect(entities.data?._entities).toEqual([{ name: 'A', role: 'CUSTOMER' }]);
});
