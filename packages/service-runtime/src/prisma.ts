import { PrismaPg } from '@prisma/adapter-pg';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  /** Called for every SQL statement (tests count them to prove batching). */
  readonly onQuery?: (sql: string) => void;
}

interface ClientOptions {
  readonly adapter: PrismaPg;
  readonly log?: { emit: 'event'; level: 'query' }[];
}

interface QueryEvents {
  $on(event: 'query', listener: (event: { query: string }) => void): void;
}

/** A subgraph's generated PrismaClient on a node-postgres pool (driver adapter, no engine binary). */
export function createPrismaClient<T>(PrismaClient: new (options: ClientOptions) => T, options: DatabaseOptions): T {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize });
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  (client as unknown as QueryEvents).$on('query', (event) => onQuery(event.query));
  return client;
}

const prismaCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/** PostgreSQL unique_violation, as Prisma reports it. */
export const isUniqueViolation = (error: unknown): boolean => prismaCode(error) === 'P2002';
