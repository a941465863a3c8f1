import { PrismaPg } from '@prisma/adapter-pg';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  /**
   * How long a transaction waits for a pool connection before failing (P2028). Default 10 s, not
   * Prisma's 2 s: a burst larger than the pool (the reservations a rush accepts in one moment)
   * waits its turn instead of failing for want of a connection on a busy machine.
   */
  readonly transactionWaitMs?: number;
  /** Called for every SQL statement (tests count them to prove batching). */
  readonly onQuery?: (sql: string) => void;
}

interface ClientOptions {
  readonly adapter: PrismaPg;
  readonly transactionOptions: { readonly maxWait: number };
  readonly log?: { emit: 'event'; level: 'query' }[];
}

interface QueryEvents {
  $on(event: 'query', listener: (event: { query: string }) => void): void;
}

/** A subgraph's generated PrismaClient on a node-postgres pool (driver adapter, no engine binary). */
export function createPrismaClient<T>(PrismaClient: new (options: ClientOptions) => T, options: DatabaseOptions): T {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize });
  const transactionOptions = { maxWait: options.transactionWaitMs ?? 10_000 };
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
