import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, setRole, signUp } from './support/accounts.js';
import {
  catalogSnapshot,
  createBrand,
  createCategory,
  createProduct,
  productInput,
  unique,
} from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
const actors: Record<'owner' | 'otherSeller' | 'customer' | 'admin', SignedIn> = {} as never;
let categoryId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  [actors.owner, actors.otherSeller, actors.customer, actors.admin] = await Promise.all([
    signUp(graph, 'SELLER'),
    signUp(graph, 'SELLER'),
    signUp(graph, 'CUSTOMER'),
    signUp(graph, 'ADMIN'),
  ]);
  categoryId = await createCategory(graph, actors.admin, unique('Clothing'));
});
afterAll(() => graph.stop());

type Actor = keyof typeof actors | 'anonymous';
type Expected = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN';

interface Case {
  readonly mutation: string;
  /** Builds the operation against fresh targets owned by `owner`. */
  readonly arrange: () => Promise<{ query: string; variables: Record<string, unknown> }>;
  readonly expected: Record<Actor, Expected>;
}

const brandManagers: Record<Actor, Expected> = {
  anonymous: 'UNAUTHENTICATED',
  customer: 'FORBIDDEN',
  otherSeller: 'FORBIDDEN',
  owner: 'OK',
  admin: 'OK',
};
const adminsOnly: Record<Actor, Expected> = {
  anonymous: 'UNAUTHENTICATED',
  customer: 'FORBIDDEN',
  otherSeller: 'FORBIDDEN',
  owner: 'FORBIDDEN',
  admin: 'OK',
};

const freshProduct = async () => {
  const brandId = await createBrand(graph, actors.owner);
  return createProduct(graph, actors.owner, brandId, categoryId);
};

let grades = 0;
/** A grade code no other case uses (uppercase, at most 20 characters). */
const gradeCode = () =>
  `T${process.pid.toString(36).toUpperCase()}_${Date.now().toString(36).toUpperCase()}${grades++}`.slice(0, 20);
const newGrade = async () => {
  const code = gradeCode();
  await graphql(
    graph.gateway.url,
    'mutation($input: CreateBrandGradeInput!) { createBrandGrade(input: $input) { code } }',
    {
      token: actors.admin.accessToken,
      variables: { input: { code, name: 'Tier', feeRatePercent: 3 } },
    },
  );
  return code;
};

const cases: Case[] = [
  {
    mutation: 'createBrand',
    arrange: async () => ({
      query: 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }',
      variables: { input: { name: unique('New brand') } },
    }),
    // Any seller creates brands of their own: the "other seller" creates one too.
    expected: { anonymous: 'UNAUTHENTICATED', customer: 'FORBIDDEN', otherSeller: 'OK', owner: 'OK', admin: 'OK' },
  },
  {
    mutation: 'updateBrand',
    arrange: async () => ({
      query: 'mutation($id: ID!, $input: UpdateBrandInput!) { updateBrand(id: $id, input: $input) { id } }',
      variables: { id: await createBrand(graph, actors.owner), input: { name: unique('Renamed') } },
    }),
    expected: brandManagers,
  },
  {
    mutation: 'deleteBrand',
    arrange: async () => ({
      query: 'mutation($id: ID!) { deleteBrand(id: $id) }',
      variables: { id: await createBrand(graph, actors.owner) },
    }),
    expected: brandManagers,
  },
  {
    mutation: 'createBrandGrade',
    arrange: async () => ({
      query: 'mutation($input: CreateBrandGradeInput!) { createBrandGrade(input: $input) { code } }',
      variables: { input: { code: gradeCode(), name: 'Tier', feeRatePercent: 2 } },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'updateBrandGrade',
    arrange: async () => ({
      query: 'mutation($code: String!) { updateBrandGrade(code: $code, input: { feeRatePercent: 1.5 }) { code } }',
      variables: { code: await newGrade() },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'setBrandGrade',
    arrange: async () => ({
      query: 'mutation($id: ID!) { setBrandGrade(brandId: $id, grade: "GOLD") { id } }',
      variables: { id: await createBrand(graph, actors.owner) },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'createCategory',
    arrange: async () => ({
      query: 'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
      variables: { input: { name: unique('Category'), parentId: categoryId } },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'renameCategory',
    arrange: async () => ({
      query: 'mutation($id: ID!, $name: String!) { renameCategory(id: $id, name: $name) { id } }',
      variables: { id: await createCategory(graph, actors.admin, unique('Old')), name: unique('New') },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'deleteCategory',
    arrange: async () => ({
      query: 'mutation($id: ID!) { deleteCategory(id: $id) }',
      variables: { id: await createCategory(graph, actors.admin, unique('Doomed')) },
    }),
    expected: adminsOnly,
  },
  {
    mutation: 'createProduct',
    arrange: async () => ({
      query: 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      variables: { input: productInput(await createBrand(graph, actors.owner), categoryId) },
    }),
    expected: brandManagers,
  },
  {
    mutation: 'updateProduct',
    arrange: async () => ({
      query: 'mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }',
      variables: { id: (await freshProduct()).id, input: { price: 25_000 } },
    }),
    expected: brandManagers,
  },
  {
    mutation: 'deleteProduct',
    arrange: async () => ({
      query: 'mutation($id: ID!) { deleteProduct(id: $id) }',
      variables: { id: (await freshProduct()).id },
    }),
    expected: brandManagers,
  },
  {
    mutation: 'adjustStock',
    arrange: async () => ({
      query: 'mutation($id: ID!) { adjustStock(productId: $id, delta: 5) { stockQuantity } }',
      variables: { id: (await freshProduct()).id },
    }),
    expected: brandManagers,
  },
];

const rows = cases.flatMap((c) =>
  (Object.keys(c.expected) as Actor[]).map((actor) => [c.mutation, actor, c.expected[actor], c] as const),
);

describe('catalog authorization matrix (through the gateway)', () => {
  it.each(rows)('%s as %s: %s', async (_mutation, actor, expected, testCase) => {
    const { query, variables } = await testCase.arrange();
    const before = await catalogSnapshot(graph);
    const token = actor === 'anonymous' ? undefined : actors[actor].accessToken;
    const response = await graphql(graph.gateway.url, query, { variables, ...(token ? { token } : {}) });
    if (expected === 'OK') {
      expect(response.errors).toBeUndefined();
      expect(await catalogSnapshot(graph)).not.toBe(before);
    } else {
      expect(response.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: expected }) }),
      ]);
      expect(response.data).toBeNull();
      expect(await catalogSnapshot(graph)).toBe(before);
    }
  });

  it('lets an admin create a brand for a seller, and refuses that to sellers', async () => {
    const query = 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id owner { id } } }';
    // Made a SELLER by an admin: the catalog hears of it through the users subgraph's events.
    const managed = await signUp(graph);
    await setRole(graph, actors.admin, managed.id, 'SELLER');
    const forSeller = { input: { name: unique('Managed'), ownerId: managed.id } };
    const create = () =>
      graphql<{ createBrand: { owner: { id: string } } }>(graph.gateway.url, query, {
        variables: forSeller,
        token: actors.admin.accessToken,
      });
    let byAdmin = await create();
    await eventually(async () => {
      if (byAdmin.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') return true;
      byAdmin = await create();
      return false;
    });
    expect(byAdmin.data?.createBrand.owner.id).toBe(managed.id);
    const bySeller = await graphql(graph.gateway.url, query, {
      variables: { input: { name: unique('Hijack'), ownerId: actors.owner.id } },
      token: actors.otherSeller.accessToken,
    });
    expect(bySeller.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
