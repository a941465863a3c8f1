// A subscriber joining a countdown feed while its first load is half done (sale
// read, products not yet) is sent remainingQuantity 0 (and, for a running sale, status LIVE
// computed from no products). Real PostgreSQL: a table lock holds the products read.
import pg from 'pg';
import {
  createSale,
  eventually,
  knownProduct,
  saleProductInput,
  startTimesalesStack,
  type TimesalesStack,
} from './support.js';

let stack: TimesalesStack;
beforeAll(async () => {
  stack = await startTimesalesStack({ SALE_SCHEDULER: 'false' });
});
afterAll(() => stack.stop());

it('sends a subscriber who joins during the first load the real remaining quantity', async () => {
  const sale = await createSale(stack, {
    products: [saleProductInput(await knownProduct(stack), { totalQuantity: 5 })],
  });
  const [row] = await stack.sql<{ name: string }>('SELECT current_database() AS name');
  const url = new URL(process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${row?.name}`;
  const locker = new pg.Client({ connectionString: url.toString() });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE time_sale_products IN ACCESS EXCLUSIVE MODE');
  const first = stack.services.countdowns.follow(sale.id);
  // The feed has read the sale and waits for its products.
  await eventually(async () => {
    const [row] = await stack.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%time_sale_products%'",
    );
    return (row?.n ?? 0) > 0;
  });
  const second = stack.services.countdowns.follow(sale.id);
  await locker.query('COMMIT');
  await locker.end();
  const [a, b] = await Promise.all([first, second]);
  const [fromFirst, fromSecond] = await Promise.all([a.next(), b.next()]);
  await Promise.all([a.return?.(), b.return?.()]);
  expect(fromFirst.value).toMatchObject({ remainingQuantity: 5 });
  expect(fromSecond.value).toMatchObject({ remainingQuantity: 5 });
});
