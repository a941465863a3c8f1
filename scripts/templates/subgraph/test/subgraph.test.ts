import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { startTestSubgraph, type TestSubgraph } from '@radiata/testing';
import { widgetrySubgraph } from '../src/subgraph.js';

let widgetry: TestSubgraph<Awaited<ReturnType<typeof widgetrySubgraph.start>>>;
beforeAll(async () => {
  widgetry = await startTestSubgraph(widgetrySubgraph);
});
afterAll(() => widgetry.stop());

const admin: Viewer = { id: newId(), role: 'ADMIN' };
const customer: Viewer = { id: newId(), role: 'CUSTOMER' };
const CREATE = 'mutation($input: CreateWidgetInput!) { createWidget(input: $input) { id name createdAt } }';
const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

/** Every row a createWidget can write. */
const snapshot = async () =>
  JSON.stringify([
    await widgetry.sql('SELECT * FROM widgets ORDER BY id'),
    await widgetry.sql('SELECT id FROM outbox_messages ORDER BY id'),
  ]);

it('creates a widget for an admin, with its event in the outbox, and finds it again', async () => {
  const created = await widgetry.client.call<{ createWidget: { id: string; name: string } }>(admin, CREATE, {
    input: { name: '  First widget ' },
  });
  expect(created.errors).toBeUndefined();
  const id = created.data?.createWidget.id as string;
  expect(created.data?.createWidget.name).toBe('First widget');

  const events = await widgetry.sql<{ routing_key: string; payload: { widgetId: string } }>(
    'SELECT routing_key, payload FROM outbox_messages',
  );
  expect(events).toEqual([
    expect.objectContaining({
      routing_key: 'widgetry.widget.created',
      payload: expect.objectContaining({ widgetId: id }),
    }),
  ]);

  const found = await widgetry.client.call<{
    widget: { name: string };
    widgets: { edges: { node: { id: string } }[] };
  }>(null, `{ widget(id: "${id}") { name } widgets(first: 5) { edges { node { id } } } }`);
  expect(found.data).toEqual({ widget: { name: 'First widget' }, widgets: { edges: [{ node: { id } }] } });

  const entities = await widgetry.client.call<{ _entities: unknown[] }>(
    null,
    `{ _entities(representations: [{ __typename: "Widget", id: "${id}" }]) { ... on Widget { name } } }`,
  );
  expect(entities.data?._entities).toEqual([{ name: 'First widget' }]);
});

it.each([
  ['anonymous', 'UNAUTHENTICATED', null],
  ['a customer', 'FORBIDDEN', customer],
] as const)('refuses %s with %s and writes nothing', async (_who, code, viewer) => {
  const before = await snapshot();
  const refused = await widgetry.client.call(viewer, CREATE, { input: { name: 'Not allowed' } });
  expect(codeOf(refused)).toBe(code);
  expect(await snapshot()).toBe(before);
});

it('refuses an empty name with BAD_USER_INPUT naming the field, and a taken name with CONFLICT', async () => {
  const empty = await widgetry.client.call<unknown>(admin, CREATE, { input: { name: ' ' } });
  expect(codeOf(empty)).toBe('BAD_USER_INPUT');
  expect(empty.errors?.[0]?.extensions?.problems?.map((problem) => problem.field)).toEqual(['input.name']);
  await widgetry.client.call(admin, CREATE, { input: { name: 'Twin' } });
  const twin = await widgetry.client.call(admin, CREATE, { input: { name: 'Twin' } });
  expect(codeOf(twin)).toBe('CONFLICT');
});
