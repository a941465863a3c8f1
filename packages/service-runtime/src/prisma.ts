import { PrismaPg } from '@prisma/adapter-pg';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  /**
   * How long work waits for a pool connection: a query (the pool's connection timeout) or an
   * interactive transaction (Prisma's maxWait, P2028). Default 10 s, not Prisma's 2 s or pg's
   * forever: a burst larger than the pool (the reservations a rush accepts in one moment) waits
   * its turn, and past the bound the caller gets a retryable SERVICE_UNAVAILABLE instead of a
   * request that hangs (see transientFailure).
   */
  readonly poolTimeoutMs?: number;
  /** Called for every SQL statement (tests count them to prove batching). */
  readonly onQuery?: (sql: string) => void;
}

/**
 * The longest an interactive transaction may stay open once started (Prisma's default, said
 * here on purpose): they hold row locks, so one must never outlive a caller's patience. Hot
 * paths avoid them altogether (e.g. stock adjustment is one conditional statement).
 */
const TRANSACTION_TIMEOUT_MS = 5_000;

interface ClientOptions {
  readonly adapter: PrismaPg;
  readonly transactionOptions: { readonly maxWait: number; readonly timeout: number };
  readonly log?: { emit: 'event'; level: 'query' }[];
}

interface QueryEvents {
  $on(event: 'query', listener: (event: { query: string }) => void): void;
}

/** A subgraph's generated PrismaClient on a node-postgres pool (driver adapter, no engine binary). */
export function createPrismaClient<T>(PrismaClient: new (options: ClientOptions) => T, options: DatabaseOptions): T {
  const poolTimeoutMs = options.poolTimeoutMs ?? 10_000;
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: poolTimeoutMs,
  });
  const transactionOptions = { maxWait: poolTimeoutMs, timeout: TRANSACTION_TIMEOUT_MS };
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter, transactionOptions });
  const client = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] });
  (client as unknown as QueryEvents).$on('query', (event) => onQuery(event.query));
  return client;
}

const prismaCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/** PostgreSQL unique_violation, as Prisma reports it. */
export const isUniqueViolation = (error: unknown): boolean => prismaCode(error) === 'P2002';
