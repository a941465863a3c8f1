import { graphql } from '@radiata/testing';
import { signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, unique } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const ADJUST = 'mutation($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta) { stockQuantity } }';
const RACERS = 200;
const STOCK = 100;

/**
 * Races RACERS adjustStock(-1) through the gateway, half as an admin and half as the owning
 * seller, on a product with STOCK units; checks every answer and the stock left.
 */
async function race(graph: TestGraph): Promise<void> {
  const [admin, seller] = await Promise.all([signUp(graph, 'ADMIN'), signUp(graph, 'SELLER')]);
  const categoryId = await createCategory(graph, admin, unique('Contention'));
  const brandId = await createBrand(graph, seller);
  const product = await createProduct(graph, seller, brandId, categoryId, { stockQuantity: STOCK });

  const answers = await Promise.all(
    Array.from({ length: RACERS }, (_, index) =>
      graphql<{ adjustStock: { stockQuantity: number } }>(graph.gateway.url, ADJUST, {
        token: (index % 2 === 0 ? admin : seller).accessToken,
        variables: { id: product.id, delta: -1 },
      }),
    ),
  );

  const codes = answers.map((answer) => (answer.errors ? String(answer.errors[0]?.extensions?.code) : 'OK'));
  const count = (code: string) => codes.filter((c) => c === code).length;
  const tally = Object.fromEntries([...new Set(codes)].map((code) => [code, count(code)]));
  console.info(`adjustStock race: ${JSON.stringify(tally)}`);
  expect(answers.every((answer) => answer.status < 500)).toBe(true);
  expect(Object.keys(tally).filter((code) => !['OK', 'BAD_USER_INPUT', 'SERVICE_UNAVAILABLE'].includes(code))).toEqual(
    [],
  );
  for (const answer of answers.filter((a) => a.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE')) {
    expect(answer.errors?.[0]?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
  }

  // Every success took exactly one unit; nothing went below zero or was lost.
  const [row] = await graph.catalog.sql<{ stock: number }>('SELECT stock FROM products WHERE id = $1', product.id);
  expect(row?.stock).toBe(STOCK - count('OK'));
  expect(row?.stock).toBeGreaterThanOrEqual(0);
  const stocksSeen = answers.flatMap((answer) => (answer.data ? [answer.data.adjustStock.stockQuantity] : []));
  expect(new Set(stocksSeen).size).toBe(stocksSeen.length);
  expect(Math.min(...stocksSeen)).toBeGreaterThanOrEqual(0);
  // Refusals only once the stock ran out; the work waits its turn rather than failing.
  if (count('SERVICE_UNAVAILABLE') === 0) expect(count('OK')).toBe(STOCK);
  expect(count('BAD_USER_INPUT')).toBe(RACERS - count('OK') - count('SERVICE_UNAVAILABLE'));
  const events = await graph.catalog.sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM outbox_messages WHERE routing_key = 'catalog.product.stock-changed' AND payload->>'productId' = $1`,
    product.id,
  );
  expect(Number(events[0]?.n)).toBe(count('OK'));
}

describe.each([
  ['a pool of the default size', {}],
  // Two connections and 50 ms of patience: the pool runs out for sure, and that must be retryable.
  ['a starved pool', { DATABASE_POOL_SIZE: '2', DATABASE_POOL_TIMEOUT_MS: '50' }],
])(`${RACERS} parallel adjustStock(-1) on stock ${STOCK}, catalog on %s`, (_name, catalogEnv) => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({}, { catalog: catalogEnv });
  });
  afterAll(() => graph?.stop());

  it('answers only successes, domain errors or a retryable code, and sells each unit once', () => race(graph), 120_000);
});
