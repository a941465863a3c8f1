import { fileURLToPath } from 'node:url';
import type { Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import {
  type SubgraphResult,
  startTestSubgraph,
  TestClock,
  type TestNamespace,
  type TestSubgraph,
  testLogger,
} from '@radiata/testing';
import { Redis } from 'ioredis';
import { timesalesSubgraph } from '../src/subgraph.js';

export const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export const SECOND = 1_000;
export const HOUR = 3_600_000;

/**
 * How long a test waits for something asynchronous (an event through RabbitMQ or Redis pub/sub,
 * a scheduler's pass) before it fails: far more than it takes on a busy machine, so only a
 * missing outcome fails a test, never a slow one. Tests poll for the outcome; none sleeps.
 */
export const PATIENCE = 30 * SECOND;

export type GraphQLResult<T> = SubgraphResult<T>;

export type RunningTimesales = Awaited<ReturnType<typeof timesalesSubgraph.start>>;

export interface TimesalesStack {
  readonly subgraph: RunningTimesales;
  readonly services: RunningTimesales['services'];
  /** The Redis key prefix and RabbitMQ namespace of this run. */
  readonly namespace: TestNamespace;
  readonly clock: TestClock;
  /** A plain client on the same Redis, for arranging and counting. */
  readonly redis: Redis;
  /** The run's Redis key prefix (REDIS_KEY_PREFIX). */
  readonly prefix: string;
  readonly admin: Viewer;
  /** SQL statements the stack's own instance (not its replicas) has sent since the last reset. */
  readonly queries: { readonly count: number; reset(): void };
  /** The gateway's signed context, as graphql-ws connection params. */
  signedContext(viewer: Viewer | null): Promise<Record<string, string>>;
  /** Posts one operation to the subgraph as `viewer` (the gateway's signed context). */
  call<T>(viewer: Viewer | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  sql<T>(text: string, ...values: unknown[]): Promise<T[]>;
  /** Another instance on the same database, Redis prefix and RabbitMQ namespace (a replica), stopped with the stack. */
  startReplica(env?: Record<string, string>): Promise<RunningTimesales>;
  stop(): Promise<void>;
}

/**
 * The timesales subgraph against a fresh database, in a Redis key prefix and RabbitMQ namespace
 * of its own (startTestSubgraph), on an ephemeral port, on a TestClock.
 */
export async function startTimesalesStack(env: Record<string, string> = {}): Promise<TimesalesStack> {
  const clock = new TestClock();
  let queryCount = 0;
  const test: TestSubgraph<RunningTimesales> = await startTestSubgraph(timesalesSubgraph, {
    env,
    clock,
    onQuery: () => {
      queryCount += 1;
    },
  });
  const replicas: RunningTimesales[] = [];
  const redis = new Redis(REDIS_URL);
  const admin: Viewer = { id: newId(), role: 'ADMIN' };
  return {
    subgraph: test.subgraph,
    services: test.subgraph.services,
    namespace: test.namespace,
    clock,
    redis,
    prefix: test.namespace.redisKeyPrefix,
    admin,
    queries: {
      get count() {
        return queryCount;
      },
      reset: () => {
        queryCount = 0;
      },
    },
    signedContext: test.client.signedContext,
    call: test.client.call,
    sql: test.sql,
    startReplica: async (more = {}) => {
      const replica = await timesalesSubgraph.start({
        env: { ...test.env, ...more },
        logger: testLogger('timesales'),
        clock,
      });
      replicas.push(replica);
      return replica;
    },
    stop: async () => {
      // A replica a test already stopped stops again at once.
      for (const replica of replicas) await replica.stop();
      await redis.quit();
      await test.stop();
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

/**
 * Creates a sale whose start (and any own window) is only moments ahead of real time, as the
 * scheduler tests need: `startInMs` and `endInMs` count from `now` (a moment ago), and the request
 * is validated against the stack clock held at `now`, so however long it takes the start is still
 * "in the future" for it. The clock follows real time again afterwards (schedulers fire at real
 * instants; one that passed meanwhile fires on the scheduler's next pass).
 */
export async function createSaleSoon(
  stack: TimesalesStack,
  now: Date,
  input: { startInMs: number; endInMs: number; products?: Record<string, unknown>[] },
): Promise<SaleView> {
  stack.clock.set(now);
  try {
    return await createSale(stack, input);
  } finally {
    stack.clock.set(undefined);
  }
}

export { eventually } from '@radiata/testing';
