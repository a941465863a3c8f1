import { randomUUID } from 'node:crypto';
import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, setRole, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, ok, unique } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

// Cross-subgraph references (a sale's products, a brand's owner): an entity the owning subgraph
// cannot show nulls only that field, with a NOT_FOUND error, never the list or the whole answer.

let graph: TestGraph;
let admin: SignedIn;
let seller: SignedIn;
let category: string;
beforeAll(async () => {
  graph = await startTestGraph();
  [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
  category = await createCategory(graph, admin, unique('References'));
});
afterAll(() => graph.stop());

const HOUR = 3_600_000;

interface Listed {
  timeSale: { products: { product: { id: string; name: string } | null }[] } | null;
}
const SALE_PRODUCTS = 'query($id: ID!) { timeSale(id: $id) { products { product { id name } } } }';

/** A scheduled sale of `products`, created as soon as timesales has heard of them (catalog events). */
async function scheduleSale(productIds: readonly string[]): Promise<string> {
  const create = () =>
    graphql<{ createTimeSale: { id: string } }>(
      graph.gateway.url,
      'mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { id } }',
      {
        token: seller.accessToken,
        variables: {
          input: {
            title: unique('Sale'),
            startAt: new Date(Date.now() + HOUR).toISOString(),
            endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
            products: productIds.map((productId) => ({ productId, discountRate: 10, totalQuantity: 5 })),
          },
        },
      },
    );
  let created = await create();
  await eventually(async () => {
    if (created.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') return true;
    created = await create();
    return false;
  });
  if (!created.data) throw new Error(`createTimeSale failed: ${JSON.stringify(created.errors)}`);
  return created.data.createTimeSale.id;
}

it('a product the catalog no longer has nulls only that product, with a NOT_FOUND error naming its path', async () => {
  const brand = await createBrand(graph, seller);
  const [kept, lost] = await Promise.all([
    createProduct(graph, seller, brand, category, { name: 'Kept' }),
    createProduct(graph, seller, brand, category, { name: 'Lost' }),
  ]);
  const sale = await scheduleSale([kept.id, lost.id]);
  // Gone from the catalog without an event (as in the moment before timesales hears of it).
  await graph.catalog.sql('UPDATE products SET deleted_at = now() WHERE id = $1', lost.id);

  const answer = await graphql<Listed>(graph.gateway.url, SALE_PRODUCTS, { variables: { id: sale } });
  expect(answer.data?.timeSale?.products).toEqual([{ product: { id: kept.id, name: 'Kept' } }, { product: null }]);
  expect(answer.errors).toEqual([
    expect.objectContaining({
      path: ['timeSale', 'products', 1, 'product', 'name'],
      extensions: { code: 'NOT_FOUND' },
    }),
  ]);
  expect(JSON.stringify(answer)).not.toContain('valueCompletion');
  // Back, so that the other tests' public lists do not meet it.
  await graph.catalog.sql('UPDATE products SET deleted_at = NULL WHERE id = $1', lost.id);
});

it('deleting a product withdraws it from its sales; the public list of sales stays whole', async () => {
  const brand = await createBrand(graph, seller);
  const [kept, deleted] = await Promise.all([
    createProduct(graph, seller, brand, category, { name: 'Stays' }),
    createProduct(graph, seller, brand, category, { name: 'Goes' }),
  ]);
  const sale = await scheduleSale([kept.id, deleted.id]);
  await ok(graph, 'mutation($id: ID!) { deleteProduct(id: $id) }', { id: deleted.id }, seller);

  await eventually(async () => {
    const answer = await graphql<Listed>(graph.gateway.url, SALE_PRODUCTS, { variables: { id: sale } });
    return answer.data?.timeSale?.products.length === 1;
  });
  const listed = await graphql<{
    timeSales: { edges: { node: { id: string; products: { product: { name: string } | null }[] } }[] };
  }>(graph.gateway.url, '{ timeSales(first: 50) { edges { node { id products { product { name } } } } } }');
  expect(listed.errors).toBeUndefined();
  const node = listed.data?.timeSales.edges.find((edge) => edge.node.id === sale)?.node;
  expect(node?.products).toEqual([{ product: { name: 'Stays' } }]);
});

it('a HIDDEN product is seen through a sale only by those who may see it in the catalog', async () => {
  const brand = await createBrand(graph, seller);
  const hidden = await createProduct(graph, seller, brand, category, { name: 'Secret' });
  const sale = await scheduleSale([hidden.id]);
  await ok(
    graph,
    'mutation($id: ID!) { updateProduct(id: $id, input: { status: HIDDEN }) { status } }',
    { id: hidden.id },
    seller,
  );

  // The catalog decides at once, however the product is reached: product(id) and _entities alike.
  const reference = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { name status price } } }`;
  const representations = { reps: [{ __typename: 'Product', id: hidden.id }] };
  const anonymous = await graph.catalog.client.call<{ _entities: unknown[] }>(null, reference, representations);
  expect(anonymous.data?._entities).toEqual([null]);
  const customer = await signUp(graph, 'CUSTOMER');
  const asCustomer = await graph.catalog.client.call<{ _entities: unknown[] }>(
    { id: customer.id, role: 'CUSTOMER' },
    reference,
    representations,
  );
  expect(asCustomer.data?._entities).toEqual([null]);
  const asOwner = await graph.catalog.client.call<{ _entities: unknown[] }>(
    { id: seller.id, role: 'SELLER' },
    reference,
    representations,
  );
  expect(asOwner.data?._entities).toEqual([{ name: 'Secret', status: 'HIDDEN', price: hidden.price }]);

  // Through the gateway: no longer listed to shoppers once timesales hears of it; still to its owner.
  await eventually(async () => {
    const answer = await graphql<Listed>(graph.gateway.url, SALE_PRODUCTS, { variables: { id: sale } });
    return answer.data?.timeSale?.products.length === 0;
  });
  const byOwner = await graphql<Listed>(graph.gateway.url, SALE_PRODUCTS, {
    variables: { id: sale },
    token: seller.accessToken,
  });
  expect(byOwner.errors).toBeUndefined();
  expect(byOwner.data?.timeSale?.products).toEqual([{ product: { id: hidden.id, name: 'Secret' } }]);
});

it('a brand whose owner the users service cannot resolve nulls only that owner, and the list stays whole', async () => {
  const live = await createBrand(graph, seller);
  const orphan = randomUUID();
  const orphanOwner = randomUUID();
  await graph.catalog.sql(
    'INSERT INTO brands (id, name, owner_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())',
    orphan,
    unique('Orphan'),
    orphanOwner,
  );
  const answer = await graphql<{
    brands: { edges: { node: { id: string; owner: { id: string; name: string } | null } }[] };
  }>(graph.gateway.url, '{ brands(first: 100) { edges { node { id owner { id name } } } } }');
  const nodes = answer.data?.brands.edges.map((edge) => edge.node) ?? [];
  expect(nodes.find((node) => node.id === live)?.owner).toEqual({ id: seller.id, name: 'Test SELLER' });
  const index = nodes.findIndex((node) => node.id === orphan);
  expect(nodes[index]?.owner).toBeNull();
  expect(answer.errors).toEqual([
    expect.objectContaining({
      path: ['brands', 'edges', index, 'node', 'owner', 'name'],
      extensions: { code: 'NOT_FOUND' },
    }),
  ]);
});

it("gives a brand only to an existing SELLER, as the users subgraph's role changes say", async () => {
  const query = 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id owner { id } } }';
  const createFor = (ownerId: string) =>
    graphql<{ createBrand: { id: string; owner: { id: string } | null } }>(graph.gateway.url, query, {
      token: admin.accessToken,
      variables: { input: { name: unique('Assigned'), ownerId } },
    });
  const customer = await signUp(graph, 'CUSTOMER');
  const someBrand = await createBrand(graph, seller);
  const brandsBefore = await graph.catalog.sql('SELECT count(*)::int AS n FROM brands');
  for (const ownerId of [randomUUID(), customer.id, someBrand]) {
    const refused = await createFor(ownerId);
    expect(refused.data).toBeNull();
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: 'input.ownerId: is not an existing SELLER',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  }
  expect(await graph.catalog.sql('SELECT count(*)::int AS n FROM brands')).toEqual(brandsBefore);

  // Promoted by an admin: accepted once the catalog has heard of it.
  await setRole(graph, admin, customer.id, 'SELLER');
  let given = await createFor(customer.id);
  await eventually(async () => {
    if (given.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') return true;
    given = await createFor(customer.id);
    return false;
  });
  expect(given.errors).toBeUndefined();
  expect(given.data?.createBrand.owner).toEqual({ id: customer.id });

  // Demoted again: refused once the catalog has heard of that.
  await setRole(graph, admin, customer.id, 'CUSTOMER');
  await eventually(async () => (await createFor(customer.id)).errors?.[0]?.extensions?.code === 'BAD_USER_INPUT');
});
