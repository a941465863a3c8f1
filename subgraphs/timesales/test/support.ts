import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import {
  createTestDatabase,
  deleteRabbitQueue,
  deleteRedisKeys,
  type SubgraphResult,
  subgraphClient,
  TestClock,
  type TestDatabase,
  testLogger,
  testSecrets,
} from '@radiata/testing';
import { Redis } from 'ioredis';
import { loadTimesalesConfig, type TimesalesConfig } from '../src/config.js';
import { type RunningTimesales, startTimesalesSubgraph } from '../src/service.js';

export const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const SECOND = 1_000;
export const HOUR = 3_600_000;

export type GraphQLResult<T> = SubgraphResult<T>;

export interface TimesalesStack {
  readonly subgraph: RunningTimesales;
  readonly services: RunningTimesales['services'];
  readonly config: TimesalesConfig;
  readonly testDb: TestDatabase;
  readonly clock: TestClock;
  /** A plain client on the same Redis, for arranging and counting. */
  readonly redis: Redis;
  readonly prefix: string;
  readonly admin: Viewer;
  /** SQL statements the stack's own instance (not its replicas) has sent since the last reset. */
  readonly queries: { readonly count: number; reset(): void };
  /** The gateway's signed context, as graphql-ws connection params. */
  signedContext(viewer: Viewer | null): Promise<Record<string, string>>;
  /** Posts one operation to the subgraph as `viewer` (the gateway's signed context). */
  call<T>(viewer: Viewer | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  sql<T>(text: string, ...values: unknown[]): Promise<T[]>;
  /** Another instance on the same database, Redis prefix and queue (a replica), stopped with the stack. */
  startReplica(env?: Record<string, string>): Promise<RunningTimesales>;
  stop(): Promise<void>;
}

/**
 * The timesales subgraph against a fresh database, its own Redis key prefix and its own catalog
 * queue, on an ephemeral port.
 */
export async function startTimesalesStack(env: Record<string, string> = {}): Promise<TimesalesStack> {
  const secrets = testSecrets();
  const testDb = await createTestDatabase('timesales', migrationsDir);
  const clock = new TestClock();
  const run = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const prefix = `test:${run}:`;
  const baseEnv = {
    ...secrets,
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: testDb.url,
    DATABASE_POOL_SIZE: '10',
    REDIS_KEY_PREFIX: prefix,
    OUTBOX_POLL_INTERVAL_MS: '200',
    CATALOG_QUEUE: `timesales.catalog-products.test-${run}`,
    ...env,
  };
  const config = loadTimesalesConfig(baseEnv);
  let queryCount = 0;
  const start = (more: Record<string, string> = {}, onQuery?: (sql: string) => void) =>
    startTimesalesSubgraph(loadTimesalesConfig({ ...baseEnv, ...more }), testLogger('timesales'), {
      clock,
      ...(onQuery ? { onQuery } : {}),
    });
  const subgraph = await start({}, () => {
    queryCount += 1;
  });
  const replicas: RunningTimesales[] = [];
  const redis = new Redis(REDIS_URL);
  const client = subgraphClient(subgraph.url, secrets.GATEWAY_CONTEXT_SECRET, 64);
  const admin: Viewer = { id: newId(), role: 'ADMIN' };
  return {
    subgraph,
    services: subgraph.services,
    config,
    testDb,
    clock,
    redis,
    prefix,
    admin,
    queries: {
      get count() {
        return queryCount;
      },
      reset: () => {
        queryCount = 0;
      },
    },
    signedContext: client.signedContext,
    call: client.call,
    sql: <T>(text: string, ...values: unknown[]) => subgraph.services.db.$queryRawUnsafe<T[]>(text, ...values),
    startReplica: async (more = {}) => {
      const replica = await start(more);
      replicas.push(replica);
      return replica;
    },
    stop: async () => {
      for (const replica of replicas) await replica.stop();
      await subgraph.stop();
      await client.close();
      await redis.quit();
      await deleteRedisKeys(prefix);
      await deleteRabbitQueue(config.CATALOG_QUEUE);
      await testDb.drop();
    },
  };
}

export const seller = (): Viewer => ({ id: newId(), role: 'SELLER' });
export const customer = (): Viewer => ({ id: newId(), role: 'CUSTOMER' });

export interface KnownProduct {
  readonly productId: string;
  readonly brandId: string;
  readonly ownerId: string | null;
}

/** A catalog product the projection has heard of (through the same path as a catalog event). */
export async function knownProduct(
  stack: TimesalesStack,
  options: { ownerId?: string | null; brandId?: string; price?: number; discountAmount?: number } = {},
): Promise<KnownProduct> {
  const product = {
    productId: newId(),
    brandId: options.brandId ?? newId(),
    ownerId: options.ownerId === undefined ? newId() : options.ownerId,
  };
  await stack.services.catalogProjection.apply({
    messageId: newId(),
    routingKey: 'catalog.product.created',
    payload: {
      productId: product.productId,
      brandId: product.brandId,
      ...(product.ownerId ? { ownerId: product.ownerId } : {}),
      version: 1,
      occurredAt: new Date().toISOString(),
      categoryId: newId(),
      name: 'Limited sneaker',
      price: options.price ?? 100_000,
      discountAmount: options.discountAmount ?? 0,
      salePrice: (options.price ?? 100_000) - (options.discountAmount ?? 0),
      stock: 500,
      status: 'ON_SALE',
    },
  });
  return product;
}

/** An instant `ms` from the stack clock's now, as the API takes it. */
export const at = (stack: TimesalesStack, ms: number): string =>
  new Date(stack.clock.now().getTime() + ms).toISOString();

export const TIME_SALE_FIELDS = /* GraphQL */ `
  id title startAt endAt status
  products { id discountRate totalQuantity soldQuantity remainingQuantity perUserLimit startAt endAt product { id } }
`;

export const CREATE_TIME_SALE = /* GraphQL */ `
  mutation($input: CreateTimeSaleInput!) { createTimeSale(input: $input) { ${TIME_SALE_FIELDS} } }
`;
export const UPDATE_TIME_SALE = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateTimeSaleInput!) { updateTimeSale(id: $id, input: $input) { ${TIME_SALE_FIELDS} } }
`;
export const DELETE_TIME_SALE = /* GraphQL */ `
  mutation($id: ID!) { deleteTimeSale(id: $id) }
`;
export const ADD_TIME_SALE_PRODUCT = /* GraphQL */ `
  mutation($timeSaleId: ID!, $input: TimeSaleProductInput!) {
    addTimeSaleProduct(timeSaleId: $timeSaleId, input: $input) { id discountRate totalQuantity perUserLimit startAt endAt }
  }
`;
export const UPDATE_TIME_SALE_PRODUCT = /* GraphQL */ `
  mutation($id: ID!, $input: UpdateTimeSaleProductInput!) {
    updateTimeSaleProduct(id: $id, input: $input) { id discountRate totalQuantity perUserLimit startAt endAt }
  }
`;
export const TIME_SALE = /* GraphQL */ `
  query($id: ID!) { timeSale(id: $id) { ${TIME_SALE_FIELDS} } }
`;

export interface SaleView {
  readonly id: string;
  readonly title: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly status: string;
  readonly products: {
    readonly id: string;
    readonly discountRate: number;
    readonly totalQuantity: number;
    readonly soldQuantity: number;
    readonly remainingQuantity: number;
    readonly perUserLimit: number | null;
    readonly startAt: string;
    readonly endAt: string;
    readonly product: { readonly id: string };
  }[];
}

export const saleProductInput = (product: KnownProduct, overrides: Record<string, unknown> = {}) => ({
  productId: product.productId,
  discountRate: 20,
  totalQuantity: 100,
  ...overrides,
});

/** Creates a sale through the API (as `viewer`, the admin by default); throws when refused. */
export async function createSale(
  stack: TimesalesStack,
  input: { startInMs?: number; endInMs?: number; products?: Record<string, unknown>[]; title?: string },
  viewer: Viewer = stack.admin,
): Promise<SaleView> {
  const result = await stack.call<{ createTimeSale: SaleView }>(viewer, CREATE_TIME_SALE, {
    input: {
      title: input.title ?? 'Midnight flash sale',
      startAt: at(stack, input.startInMs ?? HOUR),
      endAt: at(stack, input.endInMs ?? 2 * HOUR),
      products: input.products ?? [],
    },
  });
  if (!result.data?.createTimeSale) throw new Error(`createTimeSale failed: ${JSON.stringify(result.errors)}`);
  return result.data.createTimeSale;
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
